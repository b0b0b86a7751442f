"""Benchmark: push, re-push and pull of N synthetic claims against a fresh Label Studio.

Usage:
    .venv/bin/python scripts/bench/label_studio.py [--claims 10000]

Starts its own server (temp data dir, free port), times ``stancebank label push`` of N
new claims, the re-push of the same N, ``label pull`` of the annotations (imported with
their tasks into a second project: one annotator on every task, a second on every other),
``label status`` with nothing remembered, and ``label status`` again after a third
annotator's 100 new annotations (20 of them changed, 5 deleted), each as a whole command,
then stops the server.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stancebank.dataset.claims_io import answer_texts
from stancebank.dataset.jsonl import write_jsonl
from stancebank.dataset.schema import load_schema
from stancebank.labeling import server
from stancebank.labeling.client import connect, resolve_connection
from stancebank.labeling.ls_contract import annotation_result, label_config, task_for
from stancebank.labeling.net import free_port

ROOT = Path(__file__).resolve().parents[2]


def synthetic_claims(n: int) -> list[dict]:
    claims = []
    for i in range(n):
        answer = f"bench-q{i // 20}-r1"
        text = f"Synthetic claim number {i} says cameras make streets safer but cost privacy."
        start = (i % 20) * (len(text) + 1)
        claims.append({
            "claim_id": f"{answer}-{i:06d}", "answer_id": answer, "question_id": "bench-q",
            "document_id": "bench", "respondent": "R1", "question": "What do you think?",
            "text": text, "start": start, "end": start + len(text), "index": i % 20,
            "unit": "claim", "language": "en",
        })  # fmt: skip
    return claims


def timed(env: dict, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "stancebank.cli", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        data_dir = tmp_path / "ls"
        url, _ = server.start(data_dir, port=free_port())
        try:
            env = {**os.environ, "STANCEBANK_LS_DATA_DIR": str(data_dir)}
            env.pop("LABEL_STUDIO_URL", None), env.pop("LABEL_STUDIO_API_KEY", None)
            claims = synthetic_claims(args.claims)
            claims_file = tmp_path / "claims.jsonl"
            write_jsonl(claims_file, claims)
            push = timed(env, "label", "push", str(claims_file), "--project", "bench")
            repush = timed(env, "label", "push", str(claims_file), "--project", "bench")
            print(f"push    {args.claims} new claims      {push:6.1f} s")
            print(f"re-push {args.claims} unchanged claims {repush:6.1f} s")

            schema = load_schema()
            client = connect(resolve_connection(url, data_dir))
            project = client.projects.create(title="bench-pull", label_config=label_config(schema))
            texts = answer_texts(claims)
            second = client.users.create(username="second@bench.local", email="second@bench.local")
            tasks = []
            for i, claim in enumerate(claims):
                task = task_for(claim, texts[claim["answer_id"]])
                task["annotations"] = [{"result": annotation_result(schema, "harm")}]
                if i % 2 == 0:  # a second annotator on every other task, agreeing 9 times in 10
                    stance = "benefit" if i % 20 == 0 else "harm"
                    task["annotations"].append(
                        {"result": annotation_result(schema, stance), "completed_by": second.id}
                    )
                tasks.append(task)
            for start in range(0, len(tasks), 1000):
                client.projects.import_tasks(id=project.id, request=tasks[start : start + 1000])
            out = tmp_path / "snapshots"
            pull = timed(env, "label", "pull", "--project", "bench-pull", "--out", str(out))
            lines = sum(1 for _ in next(out.glob("snapshot-*.jsonl")).open())
            print(f"pull    {lines} annotations        {pull:6.1f} s")
            env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # nothing remembered yet
            status = timed(env, "label", "status", "--project", "bench-pull")
            print(f"status  {args.claims} tasks, {lines} annotations {status:6.1f} s")
            # a few minutes of a team's work: 100 new annotations, 20 changed, 5 deleted
            third = client.users.create(username="third@bench.local", email="third@bench.local")
            ids = sorted(t.id for t in client.tasks.list(project=project.id, include="id",
                                                         page_size=1000))  # fmt: skip
            mine = [client.annotations.create(id=task_id, completed_by=third.id,
                                              result=annotation_result(schema, "harm"))
                    for task_id in ids[:100]]  # fmt: skip
            for annotation in mine[:20]:
                client.annotations.update(id=annotation.id,
                                          result=annotation_result(schema, "benefit"))  # fmt: skip
            for annotation in mine[20:25]:
                client.annotations.delete(id=annotation.id)
            again = timed(env, "label", "status", "--project", "bench-pull")
            print(f"status  again after 125 changes       {again:6.1f} s")
        finally:
            server.stop(data_dir)
    print(json.dumps({"push_s": push, "repush_s": repush, "pull_s": pull, "status_s": status,
                      "status_again_s": again}))  # fmt: skip


if __name__ == "__main__":
    main()
