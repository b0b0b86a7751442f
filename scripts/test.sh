#!/usr/bin/env bash
# Run the whole test suite: lint, then pytest (unit and Label Studio integration tests).
# Usage: ./scripts/test.sh [pytest args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: chromium not found; the report test will skip (CI installs it: apt-get install chromium)" >&2
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
