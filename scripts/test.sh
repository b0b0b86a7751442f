#!/usr/bin/env bash
# Run the tests: lint, then pytest.
#   ./scripts/test.sh          the whole suite (unit, slow and Label Studio integration tests)
#                              on two workers; what CI runs
#   ./scripts/test.sh --fast   lint and every test that needs neither Label Studio,
#                              PostgreSQL nor a pretrained encoder (under two minutes)
# Extra arguments go to pytest, e.g. ./scripts/test.sh --fast -k privacy
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
lane=(-n 2)
if [ "${1:-}" = "--fast" ]; then
  shift
  lane=(-n 2 -m "not integration and not slow")
fi
bash scripts/bootstrap.sh test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: chromium not found; the report test will skip (CI installs it: apt-get install chromium)" >&2
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "${lane[@]}" "$@"
