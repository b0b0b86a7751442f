"""answers.jsonl: its record type, the one reader (checking each record has what
segmentation needs) and writer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypedDict

from stancebank.dataset.errors import InputError
from stancebank.dataset.jsonl import read_jsonl, write_jsonl


class AnswerFields(TypedDict):
    """What segmentation needs of every answers.jsonl record."""

    answer_id: str
    """``<question_id>-<respondent in lower case>``."""
    question_id: str
    """``<document_id>-q<question_index>``."""
    document_id: str
    """``doc-`` and a hash of the file, or the ``--document-id`` given; never a file name."""
    respondent: str
    """A pseudonym (``R1``, ``R2``, … per document); real names never reach this file."""
    question: str
    text: str
    """The answer, speaker names replaced by pseudonyms."""


class Answer(AnswerFields, total=False):
    """One record of answers.jsonl: one respondent's answer to one question, as ``ingest``
    writes it; ``context`` only on a document's first answer."""

    question_index: int
    source: str
    """The document id again (the file's path stays in the local provenance file)."""
    line_start: int
    line_end: int
    language: str
    context: str
    """The document's preface, when it has one: context, never an answer."""
    context_language: str


REQUIRED = tuple(AnswerFields.__annotations__)
"""The fields every record needs (all strings)."""


def read_answers(path: str | Path) -> list[Answer]:
    """Answer records from ``path``; InputError naming the line of the first bad one."""
    answers: list[Answer] = []
    seen: set[str] = set()
    for line, record in read_jsonl(path):
        missing = [key for key in REQUIRED if not isinstance(record.get(key), str)]
        if missing:
            raise InputError(path, f"answer record lacks {', '.join(missing)}", line=line)
        if record["answer_id"] in seen:
            raise InputError(path, f"duplicate answer_id '{record['answer_id']}'", line=line)
        seen.add(record["answer_id"])
        answers.append(record)  # type: ignore[arg-type]
    if not answers:
        raise InputError(path, "no answers in the file")
    return answers


def write_answers(path: str | Path, answers: Iterable[Answer]) -> None:
    """Atomically write answer records as JSONL."""
    write_jsonl(path, answers)
