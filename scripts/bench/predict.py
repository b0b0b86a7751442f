"""Benchmark: ``stancebank predict`` against ``pipeline("text-classification")``, and
training time of the default model.

Usage:
    .venv/bin/python scripts/bench/predict.py MODEL_DIR [--claims 4000] [--precision P] [--quantize]
    .venv/bin/python scripts/bench/predict.py MODEL_DIR --onnx EXPORT_DIR [--claims 4000]
    .venv/bin/python scripts/bench/predict.py --train [--train-claims 1000] [--epochs E]

Predict: both sides run as whole processes on the same N synthetic claims (the seed's
claims and the team-written examples, varied); prints wall times, the speed-up and the
share of identical labels. With ``--onnx``: ``stancebank predict`` on MODEL_DIR (the default
precision) against ``stancebank predict`` on its ONNX export, same claims. Train: builds a
synthetic dataset of N claims and times ``stancebank train --no-cv`` (the default recipe;
with ``--epochs E``, ``--recipe fine-tune --epochs E``) as a whole process.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stancebank.dataset.schema import label_names

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = """
import json, sys
from transformers import pipeline
texts = [json.loads(l)["text"] for l in open(sys.argv[2], encoding="utf-8")]
classify = pipeline("text-classification", model=sys.argv[1])
out = classify(texts, batch_size=32)
json.dump([o["label"] for o in out], open(sys.argv[3], "w"))
"""


def synthetic_claims(n: int) -> list[dict]:
    rng = random.Random(0)
    sources = [
        json.loads(line)["text"] for line in (ROOT / "models/examples/team_examples.jsonl").open()
    ]
    claims = []
    for i in range(n):
        words = " ".join(rng.sample(sources, rng.randint(1, 3)))
        claims.append({
            "claim_id": f"bench-{i:05d}", "answer_id": f"bench-q1-r{i}", "question_id": "bench-q1",
            "document_id": "bench", "respondent": "R1", "question": "What do you think?",
            "text": words, "start": 0, "end": len(words), "index": i, "unit": "claim",
            "language": "en",
        })  # fmt: skip
    return claims


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def bench_predict(model: str, n: int, extra: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        claims = tmp_path / "claims.jsonl"
        claims.write_text("".join(json.dumps(c) + "\n" for c in synthetic_claims(n)))
        script = tmp_path / "pipeline_bench.py"
        script.write_text(PIPELINE)
        baseline = timed(
            [sys.executable, str(script), model, str(claims), str(tmp_path / "p.json")]
        )
        ours_cmd = [sys.executable, "-m", "stancebank.cli", "predict", model, str(claims),
                    "--out", str(tmp_path / "ours.jsonl"), *extra]  # fmt: skip
        ours = timed(ours_cmd)
        theirs = json.loads((tmp_path / "p.json").read_text())
        mine = [json.loads(line)["label"] for line in (tmp_path / "ours.jsonl").open()]
        same = sum(a == b for a, b in zip(theirs, mine, strict=True)) / len(mine)
        print(f"pipeline(batch_size=32) {n} claims: {baseline:.1f} s")
        print(f"stancebank predict {' '.join(extra)}: {ours:.1f} s "
              f"({baseline / ours:.2f}x), identical labels {same:.2%}")  # fmt: skip


def bench_onnx(model: str, exported: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        claims = tmp_path / "claims.jsonl"
        claims.write_text("".join(json.dumps(c) + "\n" for c in synthetic_claims(n)))
        seconds, labels = {}, {}
        for name, folder in (("PyTorch (default precision)", model), ("ONNX", exported)):
            out = tmp_path / f"{len(seconds)}.jsonl"
            seconds[name] = timed([sys.executable, "-m", "stancebank.cli", "predict", folder,
                                   str(claims), "--out", str(out)])  # fmt: skip
            labels[name] = [json.loads(line)["label"] for line in out.open()]
            print(f"stancebank predict, {name}, {n} claims: {seconds[name]:.1f} s")
        first, second = labels.values()
        same = sum(a == b for a, b in zip(first, second, strict=True)) / n
        print(f"identical labels {same:.2%}")


def bench_train(n: int, epochs: int) -> None:
    claims = synthetic_claims(round(n / 0.7))  # so that the train split holds about n
    stances = list(label_names().stances)
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        offset = 0
        for i, claim in enumerate(claims):  # ten claims per answer, one after the other
            claim["answer_id"] = f"bench-q{i // 10}-r1"
            offset = 0 if i % 10 == 0 else offset
            claim["start"], claim["end"] = offset, offset + len(claim["text"])
            offset = claim["end"] + 1
        (tmp_path / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
        ann = tmp_path / "ann"
        ann.mkdir()
        (ann / "snapshot-20260101T000000Z.jsonl").write_text("".join(
            json.dumps({"claim_id": c["claim_id"], "annotator": "A1", "stance": rng.choice(stances),
                        "aspects": [], "updated_at": "2026-01-01T00:00:00Z",
                        "was_cancelled": False}) + "\n"
            for c in claims))  # fmt: skip
        build = [sys.executable, "-m", "stancebank.cli", "build", "--claims",
                 str(tmp_path / "claims.jsonl"), "--annotations", str(ann), "--out",
                 str(tmp_path / "ds")]  # fmt: skip
        subprocess.run(build, cwd=ROOT, check=True, capture_output=True)
        recipe = ["--recipe", "fine-tune", "--epochs", str(epochs)] if epochs else []
        seconds = timed([sys.executable, "-m", "stancebank.cli", "train", str(tmp_path / "ds"),
                         "--out", str(tmp_path / "model"), *recipe, "--no-cv",
                         "--no-team-examples"])  # fmt: skip
        train_rows = json.loads((tmp_path / "ds" / "build_report.json").read_text())["rows"][
            "train"
        ]
        what = f"fine-tune x {epochs} epochs" if epochs else "default recipe"
        print(f"train ({what}): {train_rows} training claims "
              f"(+ test and baselines): {seconds:.1f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?")
    parser.add_argument("--claims", type=int, default=4000)
    parser.add_argument("--quantize", action="store_true")
    parser.add_argument("--precision", default="auto", choices=("auto", "fp32", "bf16"))
    parser.add_argument("--onnx", metavar="EXPORT_DIR", help="time predict on this export too")
    parser.add_argument("--train", action="store_true")
    parser.add_argument("--train-claims", type=int, default=1000)
    parser.add_argument("--epochs", type=int, help="time --recipe fine-tune with E epochs")
    args = parser.parse_args()
    if args.train:
        bench_train(args.train_claims, args.epochs)
    else:
        if not args.model:
            parser.error("give MODEL_DIR, or --train")
        if args.onnx:
            bench_onnx(args.model, args.onnx, args.claims)
            return
        extra = ["--precision", args.precision] + (["--quantize"] if args.quantize else [])
        bench_predict(args.model, args.claims, extra)


if __name__ == "__main__":
    main()
