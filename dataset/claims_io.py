"""claims.jsonl: the one reader (checked line by line) and writer, and answers rebuilt from
their units."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stancebank.dataset.errors import InputError
from stancebank.dataset.jsonl import read_jsonl, write_jsonl

CLAIM_FIELDS = {
    "claim_id": str, "answer_id": str, "question_id": str, "document_id": str,
    "respondent": str, "question": str, "text": str, "start": int, "end": int,
}  # fmt: skip


def read_claims(path: str | Path) -> list[dict[str, Any]]:
    """Claim records from ``path``; InputError naming the line of the first bad one."""
    claims, seen = [], set()
    for line, record in read_jsonl(path):
        bad = [k for k, kind in CLAIM_FIELDS.items() if not isinstance(record.get(k), kind)]
        if bad:
            raise InputError(path, f"claim record lacks {', '.join(bad)}", line=line)
        if record["claim_id"] in seen:
            raise InputError(path, f"duplicate claim_id '{record['claim_id']}'", line=line)
        seen.add(record["claim_id"])
        claims.append(record)
    if not claims:
        raise InputError(path, "no claims in the file")
    return claims


def write_claims(path: str | Path, claims: Iterable[Mapping[str, Any]]) -> None:
    """Atomically write claim records as JSONL."""
    write_jsonl(path, claims)


def answer_texts(claims: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Rebuild each answer's text from its units, offsets kept exact.

    claims.jsonl holds every unit of an answer (non-arguments included) and segmentation
    drops only white space, so the gaps are white space: a gap of two or more characters
    is rendered as a paragraph break.
    """
    by_answer: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for claim in claims:
        by_answer[claim["answer_id"]].append(claim)
    texts: dict[str, str] = {}
    for answer_id, units in by_answer.items():
        parts, cursor = [], 0
        for unit in sorted(units, key=lambda u: u["start"]):
            gap = unit["start"] - cursor
            parts.append(("\n\n" + " " * (gap - 2)) if gap >= 2 else " " * gap)
            parts.append(unit["text"])
            cursor = unit["end"]
        texts[answer_id] = "".join(parts)
    return texts
