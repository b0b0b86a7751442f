"""Interview files in, answer records out: layout detection and the parsers behind it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from stancebank.dataset.errors import InputError
from stancebank.dataset.interview.markdown import looks_markdown, parse_markdown
from stancebank.dataset.interview.model import FORMATS, RawDocument
from stancebank.dataset.interview.numbered import looks_numbered, parse_numbered
from stancebank.dataset.interview.qa import looks_qa, parse_qa
from stancebank.dataset.interview.records import Answer, answers_from, document_id_for
from stancebank.dataset.interview.speaker import looks_speaker, parse_speaker
from stancebank.dataset.interview.tabular import parse_csv, parse_jsonl
from stancebank.dataset.textio import read_text

# Text layouts in the order auto-detection tries them: the most specific first.
_TEXT_LAYOUTS: dict[str, tuple[Callable[[list[str]], bool], Callable[[list[str]], RawDocument]]] = {
    "markdown": (looks_markdown, parse_markdown),
    "qa": (looks_qa, parse_qa),
    "speaker": (looks_speaker, parse_speaker),
    "numbered": (looks_numbered, parse_numbered),
}


def detect_format(path: Path, lines: list[str]) -> str:
    """The first text layout whose markers the file has; an error if it has none."""
    for name, (looks, _parse) in _TEXT_LAYOUTS.items():
        if looks(lines):
            return name
    raise InputError(
        path,
        "no question/answer structure found (looked for numbered questions, Q:/A:, "
        "'Interviewer:' turns and markdown headings); pass --format to say which",
    )


def parse_file(path: str | Path, fmt: str = "auto") -> tuple[str, RawDocument]:
    """Parse one interview file; returns the layout used and the raw document."""
    path = Path(path)
    if fmt not in FORMATS:
        raise InputError(path, f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    suffix = path.suffix.lower()
    if fmt == "jsonl" or (fmt == "auto" and suffix in {".jsonl", ".ndjson"}):
        return "jsonl", parse_jsonl(path)
    text = read_text(path)
    if fmt == "csv" or (fmt == "auto" and suffix in {".csv", ".tsv"}):
        return "csv", parse_csv(text, path)
    lines = text.split("\n")
    if fmt == "auto":
        fmt = detect_format(path, lines)
    doc = _TEXT_LAYOUTS[fmt][1](lines)
    if not doc.answers:
        raise InputError(path, f"no answers found in the '{fmt}' layout")
    return fmt, doc


def ingest_files(paths: Sequence[str | Path], fmt: str = "auto") -> list[Answer]:
    """Answer records for every file, each file its own document with a unique id."""
    records: list[Answer] = []
    seen: dict[str, int] = {}
    for path in paths:
        _layout, doc = parse_file(path, fmt)
        base = document_id_for(path)
        seen[base] = seen.get(base, 0) + 1
        document_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        records.extend(answers_from(doc, source=str(path), document_id=document_id))
    return records


__all__ = ["FORMATS", "Answer", "detect_format", "ingest_files", "parse_file"]
