"""Interview files in, answer records out: layout detection and the parsers behind it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from stancebank.dataset.answers_io import Answer
from stancebank.dataset.errors import InputError
from stancebank.dataset.interview.markdown import looks_markdown, parse_markdown
from stancebank.dataset.interview.model import FORMATS, RawDocument
from stancebank.dataset.interview.numbered import looks_numbered, parse_numbered
from stancebank.dataset.interview.qa import looks_qa, parse_qa
from stancebank.dataset.interview.records import (
    answers_from,
    check_document_id,
    content_document_id,
)
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


def document_ids(paths: Sequence[str | Path], given: Sequence[str] = ()) -> list[str]:
    """One id per file: the user's labels in file order, else one from each file's bytes
    (``doc-`` + a hash; the same content twice gets ``-2``)."""
    if given:
        if len(given) != len(paths):
            raise InputError(
                "--document-id", f"give one id per file ({len(given)} ids for {len(paths)} files)"
            )
        ids = [check_document_id(label) for label in given]
        if len(set(ids)) != len(ids):
            raise InputError("--document-id", "the document ids repeat; give each file its own")
        return ids
    ids: list[str] = []
    for path in paths:
        try:
            base = content_document_id(Path(path).read_bytes())
        except FileNotFoundError:
            raise InputError(path, "no such file") from None
        except IsADirectoryError:
            raise InputError(path, "is a directory, expected an interview file") from None
        count = sum(1 for i in ids if i == base or i.startswith(base + "-")) + 1
        ids.append(base if count == 1 else f"{base}-{count}")
    return ids


def ingest_files(
    paths: Sequence[str | Path], fmt: str = "auto", ids: Sequence[str] | None = None
) -> list[Answer]:
    """Answer records for every file, each file its own document (``ids``, default
    :func:`document_ids`)."""
    paths = list(paths)
    ids = list(ids) if ids is not None else document_ids(paths)
    records: list[Answer] = []
    for path, document_id in zip(paths, ids, strict=True):
        _layout, doc = parse_file(path, fmt)
        records.extend(answers_from(doc, document_id=document_id))
    return records


__all__ = ["FORMATS", "Answer", "detect_format", "document_ids", "ingest_files", "parse_file"]
