"""claims.jsonl: its record type, the one reader (checked line by line) and writer, and
answers rebuilt from their units."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypedDict, get_type_hints

from stancebank.dataset.errors import InputError
from stancebank.dataset.jsonl import read_jsonl, write_jsonl


class ClaimFields(TypedDict):
    """What every claims.jsonl record has (a file written by hand may stop here)."""

    claim_id: str
    """Stable: the answer id and a hash of the unit's text."""
    answer_id: str
    question_id: str
    document_id: str
    respondent: str
    """A pseudonym (``R1``, ``R2``, … per document)."""
    question: str
    text: str
    start: int
    """``answer.text[start:end] == text``, always."""
    end: int


class Claim(ClaimFields, total=False):
    """One record of claims.jsonl: one argumentative unit, as ``segment`` writes it."""

    index: int
    """Position of the unit in its answer."""
    unit: str
    """``claim``, or ``non_argument`` (placeholders, pointers, bare numbering)."""
    language: str


CLAIM_FIELDS = get_type_hints(ClaimFields)
"""The fields every record needs, and their types (checked line by line on reading)."""


MAX_GAP = 100
"""Most characters between two units of an answer (or before its first): segmentation drops
only white space, and claims.jsonl holds every unit, so a larger gap means bad offsets."""


def read_claims(
    path: str | Path, *, answers: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Claim records from ``path``; InputError naming the line of the first bad one.

    Offsets are checked: ``0 <= start < end``, ``end - start == len(text)``, units of an
    answer neither overlap nor leave more than :data:`MAX_GAP` characters between them, and,
    where ``answers`` (``{answer_id: text}``) knows the answer, ``text == answer[start:end]``.
    """
    claims, lines, seen = [], [], set()
    for line, record in read_jsonl(path):
        bad = [k for k, kind in CLAIM_FIELDS.items() if not isinstance(record.get(k), kind)]
        if bad:
            raise InputError(path, f"claim record lacks {', '.join(bad)}", line=line)
        if record["claim_id"] in seen:
            raise InputError(path, f"duplicate claim_id '{record['claim_id']}'", line=line)
        start, end, text = record["start"], record["end"], record["text"]
        if not 0 <= start < end or end - start != len(text):
            raise InputError(
                path, f"offsets start={start}, end={end} do not fit a {len(text)}-character "
                "text (need 0 <= start < end and end - start == len(text))", line=line,
            )  # fmt: skip
        answer = (answers or {}).get(record["answer_id"])
        if answer is not None and answer[start:end] != text:
            raise InputError(
                path, f"text is not answer '{record['answer_id']}'[{start}:{end}]; the claims "
                "file does not belong to these answers (segment them again)", line=line,
            )  # fmt: skip
        seen.add(record["claim_id"])
        claims.append(record)
        lines.append(line)
    if not claims:
        raise InputError(path, "no claims in the file")
    _check_tiling(path, claims, lines)
    return claims


def _check_tiling(path: str | Path, claims: list[dict], lines: list[int]) -> None:
    by_answer: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for claim, line in zip(claims, lines, strict=True):
        by_answer[claim["answer_id"]].append((claim["start"], claim["end"], line))
    for answer_id, spans in by_answer.items():
        cursor, previous = 0, 0
        for start, end, line in sorted(spans):
            if start < cursor:  # name the later line of the two: the likelier edit
                raise InputError(
                    path, f"unit overlaps another unit of '{answer_id}'", line=max(line, previous)
                )
            if start - cursor > MAX_GAP:
                raise InputError(
                    path, f"unit starts {start - cursor} characters after the previous unit of "
                    f"'{answer_id}' ends (at most {MAX_GAP}: every unit of an answer belongs in "
                    "the claims file)", line=line,
                )  # fmt: skip
            cursor, previous = end, line


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
