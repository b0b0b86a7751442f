"""Benchmark: ``stancebank build`` on N synthetic claims × K annotators.

Usage:
    .venv/bin/python scripts/bench/build.py [--claims 100000] [--annotators 3]

Writes synthetic claims and one snapshot per annotator to a temp dir, then runs the
build as a whole process and prints its wall time and peak RSS (``getrusage``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stancebank.dataset.schema import label_names

ROOT = Path(__file__).resolve().parents[2]
STANCES = list(label_names().stances)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        claims_file = tmp_path / "claims.jsonl"
        truth = []
        with claims_file.open("w", encoding="utf-8") as out:
            for i in range(args.claims):
                answer = f"doc{i // 400}-q{(i // 20) % 20}-r{i % 2 + 1}"
                text = f"Claim {i}: the cameras on my street make me feel watched, or safe."
                start = (i % 20) * (len(text) + 1)
                out.write(json.dumps({
                    "claim_id": f"{answer}-{i:07d}", "answer_id": answer,
                    "question_id": answer.rsplit("-", 1)[0], "document_id": f"doc{i // 400}",
                    "respondent": f"R{i % 2 + 1}", "question": "What do you think?",
                    "text": text, "start": start, "end": start + len(text), "index": i % 20,
                    "unit": "claim", "language": "en",
                }) + "\n")  # fmt: skip
                truth.append((f"{answer}-{i:07d}", rng.choice(STANCES)))
        annotations = tmp_path / "annotations"
        annotations.mkdir()
        for a in range(args.annotators):
            with (annotations / f"snapshot-2026010{a + 1}T000000Z.jsonl").open("w") as out:
                for claim_id, stance in truth:
                    label = stance if rng.random() < 0.8 else rng.choice(STANCES)
                    out.write(json.dumps({
                        "claim_id": claim_id, "annotator": f"A{a + 1}", "stance": label,
                        "aspects": [], "rationale": "", "created_at": "2026-01-01T00:00:00Z",
                        "updated_at": "2026-01-01T00:00:00Z", "lead_time": 3.0,
                        "was_cancelled": False, "ls_project_id": 1, "ls_task_id": 1,
                        "ls_annotation_id": 1,
                    }) + "\n")  # fmt: skip
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "stancebank.cli", "build",
             "--claims", str(claims_file), "--annotations", str(annotations),
             "--out", str(tmp_path / "dataset")],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        wall = time.perf_counter() - start
        rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        print(f"build {args.claims} claims x {args.annotators} annotators: wall {wall:.1f} s, "
              f"peak RSS {rss_kib / 1024:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
