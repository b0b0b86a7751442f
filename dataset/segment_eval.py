"""Boundary precision / recall / F1 of a segmentation against a gold one.

A boundary is the start of a unit that does not open a paragraph: paragraph breaks are
given by the text, so counting them would flatter every segmenter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

Span = tuple[int, int]
_PARAGRAPH_START = re.compile(r"(?:\A|\n\s*\n)\s*")


@dataclass(frozen=True)
class BoundaryScores:
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int
    matched: int


def read_gold(path: str | Path) -> dict[str, list[tuple[str, str]]]:
    """``{answer_id: [(unit_text, unit_kind), …]}`` from the team's gold file format."""
    gold: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = gold.setdefault(line[3:].strip(), [])
        elif line.startswith("#") or not line.strip():
            continue
        elif current is not None:
            kind = "non_argument" if line.startswith("~ ") else "claim"
            current.append((line[2:] if kind == "non_argument" else line, kind))
    return gold


def locate(text: str, units: Sequence[str]) -> list[Span]:
    """Spans of ``units`` found in order in ``text``; ValueError if one is missing."""
    spans, cursor = [], 0
    for unit in units:
        start = text.index(unit, cursor)
        spans.append((start, start + len(unit)))
        cursor = start + len(unit)
    return spans


def boundaries(text: str, spans: Sequence[Span]) -> set[int]:
    paragraph_starts = {m.end() for m in _PARAGRAPH_START.finditer(text)}
    return {start for start, _end in spans if start not in paragraph_starts}


def score(
    texts: Mapping[str, str],
    gold: Mapping[str, Sequence[Span]],
    segmenter: Callable[[str], Sequence[Span]],
) -> BoundaryScores:
    """Micro-averaged boundary scores of ``segmenter`` over every answer in ``gold``."""
    n_gold = n_pred = n_match = 0
    for answer_id, gold_spans in gold.items():
        text = texts[answer_id]
        expected = boundaries(text, gold_spans)
        found = boundaries(text, segmenter(text))
        n_gold, n_pred, n_match = (
            n_gold + len(expected),
            n_pred + len(found),
            n_match + len(expected & found),
        )
    precision = n_match / n_pred if n_pred else 1.0
    recall = n_match / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BoundaryScores(precision, recall, f1, n_gold, n_pred, n_match)
