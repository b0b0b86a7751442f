"""From a parsed interview to answers.jsonl records: ids, pseudonyms, languages, redaction."""

from __future__ import annotations

import hashlib
import re

from stancebank.dataset.answers_io import Answer
from stancebank.dataset.errors import InputError
from stancebank.dataset.interview.model import RawDocument
from stancebank.dataset.language import identify, identify_all
from stancebank.dataset.names import name_patterns, replace_names

_DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def content_document_id(data: bytes) -> str:
    """The default document id: from the file's bytes, never its name (a file is often
    named after the person interviewed)."""
    return "doc-" + hashlib.sha256(data).hexdigest()[:10]


def check_document_id(label: str) -> str:
    """A user's document label, if it can be an id (lower-case letters, digits, ``-``)."""
    if not _DOCUMENT_ID.match(label):
        raise InputError(
            label, "a document id is 1-64 lower-case letters, digits and '-', e.g. 'seed-2024'"
        )
    return label


def pseudonyms(doc: RawDocument) -> dict[str, str]:
    """``R1``, ``R2``, … per document, in order of first appearance."""
    order: dict[str, str] = {}
    for answer in sorted(doc.answers, key=lambda a: a.line_start):
        order.setdefault(answer.speaker, f"R{len(order) + 1}")
    return order


def answers_from(doc: RawDocument, *, document_id: str) -> list[Answer]:
    """Answer records in file order; speaker names replaced by pseudonyms everywhere
    (see :mod:`stancebank.dataset.names` for how a name is found). ``source`` is the
    document id: the file's path stays in the local provenance file."""
    mapping = pseudonyms(doc)
    patterns = name_patterns(doc.names, mapping)

    def redact(text: str) -> str:
        return replace_names(text, patterns)

    raw = sorted(doc.answers, key=lambda a: (a.question_index, a.line_start))
    raw = [a for a in raw if a.paragraphs]
    texts = [redact("\n\n".join(a.paragraphs)) for a in raw]
    languages = identify_all(texts)
    records: list[Answer] = []
    for answer, text, language in zip(raw, texts, languages, strict=True):
        question_id = f"{document_id}-q{answer.question_index}"
        respondent = mapping[answer.speaker]
        records.append(
            Answer(
                document_id=document_id,
                question_id=question_id,
                question_index=answer.question_index,
                question=redact(doc.questions[answer.question_index - 1]),
                respondent=respondent,
                answer_id=f"{question_id}-{respondent.lower()}",
                text=text,
                source=document_id,
                line_start=answer.line_start,
                line_end=max(answer.line_end, answer.line_start),
                language=language,
            )
        )
    context = redact(doc.context)
    if records and context:
        records[0]["context"] = context
        records[0]["context_language"] = identify(context)
    return records
