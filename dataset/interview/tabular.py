"""CSV and JSONL layouts: one row per answer with question, respondent and answer columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from stancebank.dataset.errors import InputError
from stancebank.dataset.interview.model import RawAnswer, RawDocument
from stancebank.dataset.jsonl import read_jsonl

# The column each field is read from, first match wins.
COLUMNS = {
    "question": ("question",),
    "respondent": ("respondent", "speaker", "participant"),
    "answer": ("answer", "text", "response"),
}


def _column_map(header: Iterable[str], path: Path, line: int) -> dict[str, str]:
    by_norm = {h.strip().lower(): h for h in header if h is not None}
    found: dict[str, str] = {}
    for field, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in by_norm:
                found[field] = by_norm[alias]
                break
        else:
            have = ", ".join(sorted(by_norm)) or "none"
            raise InputError(path, f"missing column '{field}' (found: {have})", line=line)
    return found


class _Table:
    """Rows gathered into a document: one question per distinct question text."""

    def __init__(self) -> None:
        self.doc = RawDocument()
        self.questions: dict[str, int] = {}
        self.answers: dict[tuple[int, str], RawAnswer] = {}


def _add_row(table: _Table, row: dict[str, str], span: tuple[int, int]) -> None:
    doc = table.doc
    question, speaker, text = row["question"].strip(), row["respondent"].strip(), row["answer"]
    if question not in table.questions:
        table.questions[question] = doc.add_question(question)
    doc.names.add(speaker)
    key = (table.questions[question], speaker)
    if key not in table.answers:
        table.answers[key] = RawAnswer(key[0], speaker, span[0])
        doc.answers.append(table.answers[key])
    answer = table.answers[key]
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        answer.add_line(" ".join(paragraph.split()), span[1], new_paragraph=True)


def _check_row(row: dict[str, str], path: Path, line: int) -> bool:
    """False for a row with no answer (nothing to keep); error for a row missing its keys."""
    for field in ("question", "respondent"):
        if not (row.get(field) or "").strip():
            raise InputError(path, f"empty '{field}'", line=line)
    return bool((row.get("answer") or "").strip())


def parse_csv(text: str, path: Path) -> RawDocument:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = _column_map(reader.fieldnames or [], path, line=1)
    table = _Table()
    start = reader.line_num + 1
    for raw in reader:
        row = {field: raw.get(column) or "" for field, column in columns.items()}
        if _check_row(row, path, start):
            _add_row(table, row, (start, reader.line_num))
        start = reader.line_num + 1
    if not table.doc.answers:
        raise InputError(path, "no answers in the file")
    return table.doc


def parse_jsonl(path: Path) -> RawDocument:
    table = _Table()
    for line, record in read_jsonl(path):
        columns = _column_map(record.keys(), path, line=line)
        row = {field: str(record.get(column) or "") for field, column in columns.items()}
        if _check_row(row, path, line):
            _add_row(table, row, (line, line))
    if not table.doc.answers:
        raise InputError(path, "no answers in the file")
    return table.doc
