#!/usr/bin/env bash
# The main job on the shipped interview, from a fresh clone: set up .venv, ingest the
# interview, split it into claims, start Label Studio (SQLite, 127.0.0.1) and push the
# claims into a project, rebuild the dataset release from the shipped annotations and
# check it with the privacy gate. Later stages are added here as they land. A second run
# reuses .venv, the server and the project, and is quick.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
sb=".venv/bin/stancebank"
work="${STANCEBANK_WORK:-$root/work}"
ls_dir="$work/label-studio"
port="${STANCEBANK_PORT:-8080}"
project="interview-social-credit"
mkdir -p "$work"
# The demo talks to its own server, whatever the shell points at.
unset LABEL_STUDIO_URL LABEL_STUDIO_API_KEY

$sb ingest dataset/sources/interview-social-credit.txt --out "$work/answers.jsonl"
$sb segment "$work/answers.jsonl" --out "$work/claims.jsonl"
url="$($sb server start --data-dir "$ls_dir" --port "$port")"
$sb label push "$work/claims.jsonl" --project "$project" --data-dir "$ls_dir"
$sb build --claims "$work/claims.jsonl" --annotations dataset/annotations \
    --answers "$work/answers.jsonl" --out "$work/dataset"
$sb publish "$work/dataset" --repo-id stancebank/surveillance-stance \
    --answers "$work/answers.jsonl" --dry-run

cat <<TXT

answers:      $work/answers.jsonl
claims:       $work/claims.jsonl
dataset:      $work/dataset  (card: $work/dataset/README.md)
Label Studio: $url  (project "$project")
login:        e-mail and password in $ls_dir/credentials.json
stop it with: $sb server stop --data-dir $ls_dir
TXT
