#!/usr/bin/env bash
# The main job on the shipped interview, from a fresh clone: set up .venv, ingest the
# interview, split it into claims. Later stages (Label Studio, dataset, model, report)
# are added here as they land. A second run reuses .venv and is quick.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
sb=".venv/bin/stancebank"
work="${STANCEBANK_WORK:-$root/work}"
mkdir -p "$work"

$sb ingest dataset/sources/interview-social-credit.txt --out "$work/answers.jsonl"
$sb segment "$work/answers.jsonl" --out "$work/claims.jsonl"

echo
echo "answers: $work/answers.jsonl"
echo "claims:  $work/claims.jsonl"
