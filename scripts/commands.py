"""One small function per subcommand: read inputs, call the packages, write outputs."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from tqdm import tqdm

from dataset.answers_io import read_answers
from dataset.interview import FORMATS, ingest_files
from dataset.jsonl import write_jsonl
from dataset.segment import segment_answer

INGEST_FORMATS = FORMATS


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def ingest(args: argparse.Namespace) -> int:
    answers = ingest_files(
        tqdm(args.files, desc="ingest", unit="file", disable=None), fmt=args.format
    )
    write_jsonl(args.out, answers)
    documents = len({a["document_id"] for a in answers})
    _say(f"wrote {len(answers)} answers from {documents} document(s) to {args.out}")
    return 0


def segment(args: argparse.Namespace) -> int:
    answers = read_answers(args.answers)
    claims = [
        claim
        for answer in tqdm(answers, desc="segment", unit="answer", disable=None)
        for claim in segment_answer(answer)
    ]
    write_jsonl(args.out, claims)
    kinds = Counter(claim["unit"] for claim in claims)
    _say(
        f"wrote {len(claims)} units ({kinds['claim']} claims, {kinds['non_argument']} "
        f"non-argument) from {len(answers)} answers to {args.out}"
    )
    return 0
