"""Benchmark: ``/predict`` of ``serve-model`` for pages of 100 tasks, called by a real Label
Studio.

Usage:
    .venv/bin/python scripts/bench/ml_backend.py MODEL_DIR [--pages 20] [--page-size 100]

Starts its own Label Studio (temp data dir, free port, local ML backends allowed) and
``stancebank serve-model MODEL_DIR``, imports PAGES × PAGE_SIZE tasks without predictions
(the team-written examples and the seed's claims, cycled), connects the backend with
``label connect-model``, then asks Label Studio for each data-manager page in turn: for a
page whose tasks have no prediction, Label Studio sends them to ``/predict`` in one request
before it answers. Reports p50/p95 of ``/predict`` as the backend timed it (from the
request's body to its answer, read from ``serve-model -v``'s log), of that page request,
of the same page asked again (predictions stored, no backend call), and of their
difference per page (what the backend's suggestions cost Label Studio's page in all: its
health and setup calls, the HTTP round trip, and storing the predictions).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from stancebank.dataset.jsonl import read_jsonl
from stancebank.dataset.schema import load_schema
from stancebank.labeling import server
from stancebank.labeling.ls_contract import label_config
from stancebank.labeling.net import free_port
from stancebank.models.options import TEAM_EXAMPLES

ROOT = Path(__file__).resolve().parents[2]


def texts() -> list[tuple[str, str]]:
    from stancebank.dataset.interview import ingest_files
    from stancebank.dataset.segment import segment_answers

    seed = ROOT / "dataset" / "sources" / "interview-social-credit.txt"
    claims = segment_answers(ingest_files([seed], ids=["interview-social-credit"]))
    pairs = [(c["text"], c["question"]) for c in claims if c["unit"] == "claim"]
    pairs += [(r["text"], str(r.get("question") or "")) for _, r in read_jsonl(TEAM_EXAMPLES)]
    return pairs


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    from label_studio_sdk import LabelStudio

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "ls"
        url, _ = server.start(data_dir, port=free_port(), local_ml_backends=True)
        token = server.load_credentials(data_dir).token
        port = free_port()
        env = {**os.environ, "LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": token}
        backend_log = Path(tmp) / "serve-model.log"
        backend = subprocess.Popen(
            [sys.executable, "-m", "stancebank.cli", "serve-model", args.model, "--port",
             str(port), "-v"], env=env, stdout=subprocess.PIPE, stderr=backend_log.open("w"),
            text=True,
        )  # fmt: skip
        try:
            address = backend.stdout.readline().strip()
            for _ in range(240):
                try:
                    if httpx.get(f"{address}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            sdk = LabelStudio(base_url=url, api_key=token, timeout=600)
            project = sdk.projects.create(title="bench-backend", label_config=label_config(
                load_schema()))  # fmt: skip
            pool = texts()
            n = args.pages * args.page_size
            tasks = []
            for i in range(n):
                claim, question = pool[i % len(pool)]
                tasks.append({"data": {"claim": claim, "question": question, "heading": "",
                                       "answer_html": f"<p>{html.escape(claim)}</p>"}})  # fmt: skip
            sdk.projects.import_tasks(id=project.id, request=tasks)
            subprocess.run([sys.executable, "-m", "stancebank.cli", "label", "connect-model",
                            "--project", "bench-backend", "--backend", address], env=env,
                           check=True)  # fmt: skip
            headers = {"Authorization": f"Token {token}"}
            first, again = [], []
            with httpx.Client(base_url=url, headers=headers, timeout=600) as web:
                for page in range(1, args.pages + 1):
                    params = {
                        "project": project.id,
                        "page": page,
                        "page_size": args.page_size,
                        "fields": "all",
                    }
                    for bucket in (first, again):
                        start = time.perf_counter()
                        answer = web.get("/api/tasks/", params=params)
                        answer.raise_for_status()
                        bucket.append(time.perf_counter() - start)
                    predicted = sum(bool(t["predictions"]) for t in answer.json()["tasks"])
                    assert predicted == args.page_size, (page, predicted)
            backend_share = [a - b for a, b in zip(first, again, strict=True)]
            pattern = rf"predict: {args.page_size} tasks in ([0-9.]+) s"
            served = [float(m.group(1)) for m in re.finditer(pattern, backend_log.read_text())]
            report = {
                "tasks_per_request": args.page_size,
                "requests": args.pages,
                "page_with_predict_p50_s": round(statistics.median(first), 3),
                "page_with_predict_p95_s": round(percentile(first, 0.95), 3),
                "page_without_predict_p50_s": round(statistics.median(again), 3),
                "predict_requests_seen": len(served),
                "predict_p50_s": round(statistics.median(served), 3),
                "predict_p95_s": round(percentile(served, 0.95), 3),
                "backend_share_p50_s": round(statistics.median(backend_share), 3),
                "backend_share_p95_s": round(percentile(backend_share, 0.95), 3),
                "model_version": httpx.get(f"{address}/health").json()["model_version"],
            }
            print(json.dumps(report, indent=1))
        finally:
            backend.terminate()
            backend.wait(timeout=30)
            server.stop(data_dir)


if __name__ == "__main__":
    main()
