"""The privacy gate: scan every text field for contact details, IDs and listed names.

Findings name the row, field and kind, never the matched text, so the report itself
leaks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "url": re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|no|cn|io)/\S*", re.I),
    # 8+ digits in groups, optionally with a +country code: +47 912 34 567, (555) 123-4567
    "phone": re.compile(
        r"(?<![\w.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?!\w)"
    ),
    # 6+ digits in a row, or letters followed by 6+ digits (passport, ID card numbers)
    "id_number": re.compile(r"\b[A-Z]{0,3}\d{6,}\b"),
}
# Two or three capitalised words: "Anna Berg", "Solveig Kristine Holtvedt".
_NAME = re.compile(r"\b[A-ZÆØÅÄÖÜ][a-zæøåäöüéè'-]+(?:\s+[A-ZÆØÅÄÖÜ][a-zæøåäöüéè'-]+){1,2}\b")


@dataclass(frozen=True)
class Finding:
    row_id: str
    field: str
    kind: str


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def find_kinds(text: str, names: Iterable[re.Pattern[str]] = ()) -> list[str]:
    kinds = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            if kind == "phone" and _digits(match.group()) < 8:
                continue
            kinds.append(kind)
            break
    if any(p.search(text) for p in names):
        kinds.append("name")
    return kinds


def names_in(texts: Iterable[str]) -> set[str]:
    """Candidate person names (two or three capitalised words) in preface texts."""
    return {m.group() for text in texts for m in _NAME.finditer(text)}


def name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(rf"(?<!\w){re.escape(n.strip())}(?!\w)") for n in names if n.strip()]


def scan_rows(
    rows: Iterable[Mapping[str, Any]], *, names: Iterable[str] = (), id_field: str = "claim_id"
) -> list[Finding]:
    patterns = name_patterns(names)
    findings: list[Finding] = []
    for row in rows:
        for field, value in row.items():
            texts = _strings(value)
            for kind in sorted({k for text in texts for k in find_kinds(text, patterns)}):
                findings.append(Finding(str(row.get(id_field, "?")), field, kind))
    return findings


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []
