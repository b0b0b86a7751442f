#!/usr/bin/env bash
# Create or reuse the project environment in .venv and install stancebank into it.
# Sourced by test.sh and demo.sh. Re-installs only when pyproject.toml changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${STANCEBANK_PYTHON:-python3}"
venv="$root/.venv"
extras="${1:-test}"
stamp="$venv/.stancebank-install"
want="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1) $extras"

if [ ! -x "$venv/bin/python" ]; then
  echo "bootstrap: creating $venv" >&2
  "$python" -m venv "$venv"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing stancebank[$extras] into .venv (first run takes a few minutes)" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  # torch is pinned in pyproject.toml to the CPU build; nothing here may pull CUDA wheels.
  "$venv/bin/python" -m pip install --quiet -e "$root[$extras]"
  echo "$want" > "$stamp"
fi
