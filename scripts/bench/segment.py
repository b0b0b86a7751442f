"""Benchmark: segmentation throughput next to pysbd, and ingest of synthetic interviews.

Usage:
    .venv/bin/python scripts/bench/segment.py [--repeat 200] [--interviews 10000]

Prints sentences per second for stancebank's segmenter and for pysbd on the same
paragraphs (the seed's answers repeated), their boundary F1 on the team's gold, and the
wall time of ``ingest`` over N synthetic numbered interviews written to a temp dir.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import pysbd

from stancebank.dataset.interview import ingest_files
from stancebank.dataset.segment import unit_spans
from stancebank.dataset.segment_eval import locate, read_gold, score

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "dataset" / "sources" / "interview-social-credit.txt"
GOLD = ROOT / "tests" / "fixtures" / "seed_gold_segmentation.txt"


def pysbd_spans(segmenter: pysbd.Segmenter):
    def spans(text: str) -> list[tuple[int, int]]:
        out, cursor = [], 0
        for sentence in segmenter.segment(text):
            stripped = sentence.strip()
            if stripped:
                start = text.index(stripped, cursor)
                cursor = start + len(stripped)
                out.append((start, cursor))
        return out

    return spans


def throughput(segment, paragraphs: list[str]) -> tuple[int, float]:
    start = time.perf_counter()
    count = sum(len(segment(p)) for p in paragraphs)
    return count, count / (time.perf_counter() - start)


def synthetic_interview(rng: random.Random, sentences: list[str]) -> str:
    lines = ["A synthetic interview for benchmarking.", ""]
    for q in range(1, 9):
        lines += [f"{q}. Question number {q} about surveillance?", ""]
        for r in (1, 2):
            body = " ".join(rng.sample(sentences, 4))
            lines.append(f"  {r}. {body}")
        lines += ["", "    " + " ".join(rng.sample(sentences, 3)), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="copies of the seed's answers")
    parser.add_argument("--interviews", type=int, default=10_000, help="synthetic interviews")
    args = parser.parse_args()

    answers = ingest_files([SEED], ids=["interview-social-credit"])
    texts = {a["answer_id"]: a["text"] for a in answers}
    gold = {k: locate(texts[k], [t for t, _ in v]) for k, v in read_gold(GOLD).items()}
    paragraphs = [p for a in answers for p in a["text"].split("\n\n")] * args.repeat
    ours = unit_spans
    theirs = pysbd_spans(pysbd.Segmenter(language="en", clean=False))
    for name, segment in (("stancebank", ours), ("pysbd", theirs)):
        count, rate = throughput(segment, paragraphs)
        f1 = score(texts, gold, segment).f1
        print(f"{name:11s} {count:7d} units  {rate:10.0f} units/s  boundary F1 {f1:.3f}")

    rng = random.Random(0)
    sentences = [texts[k][s:e] for k, spans in gold.items() for s, e in spans]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.interviews):
            path = Path(tmp) / f"interview-{i:05d}.txt"
            path.write_text(synthetic_interview(rng, sentences), encoding="utf-8")
            paths.append(path)
        start = time.perf_counter()
        records = ingest_files(paths)
        elapsed = time.perf_counter() - start
    print(
        f"ingest      {args.interviews} interviews, {len(records)} answers in {elapsed:.1f} s "
        f"({args.interviews / elapsed:.0f} interviews/s)"
    )


if __name__ == "__main__":
    main()
