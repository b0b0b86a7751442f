"""answers.jsonl: the one reader (checking each record has what segmentation needs) and writer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from stancebank.dataset.errors import InputError
from stancebank.dataset.interview.records import Answer
from stancebank.dataset.jsonl import read_jsonl, write_jsonl

REQUIRED = ("answer_id", "question_id", "document_id", "respondent", "question", "text")


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
