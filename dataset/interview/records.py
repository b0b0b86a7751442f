"""From a parsed interview to answers.jsonl records: ids, pseudonyms, languages, redaction."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TypedDict

from stancebank.dataset.interview.model import RawDocument
from stancebank.dataset.language import identify, identify_all

# Words that label a role, not a person: never treated as a name to redact on their own.
_ROLE_WORDS = {
    "student", "participant", "respondent", "interviewee", "speaker", "person",
    "guest", "informant", "deltaker", "mr", "mrs", "ms", "dr", "prof",
}  # fmt: skip


class Answer(TypedDict, total=False):
    """One record of answers.jsonl (see DESIGN.md); ``context`` only on a document's first."""

    document_id: str
    question_id: str
    question_index: int
    question: str
    respondent: str
    answer_id: str
    text: str
    source: str
    line_start: int
    line_end: int
    language: str
    context: str
    context_language: str


def document_id_for(path: str | Path) -> str:
    """A readable, stable id from the file name: lower case, ``-`` between words."""
    stem = Path(path).name.split(".")[0]
    slug = re.sub(r"[^0-9a-z]+", "-", stem.lower()).strip("-")
    return slug or "document"


def pseudonyms(doc: RawDocument) -> dict[str, str]:
    """``R1``, ``R2``, … per document, in order of first appearance."""
    order: dict[str, str] = {}
    for answer in sorted(doc.answers, key=lambda a: a.line_start):
        order.setdefault(answer.speaker, f"R{len(order) + 1}")
    return order


def name_patterns(names: set[str], mapping: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
    """Whole-word patterns for each speaker name (and its distinctive parts) → pseudonym."""
    parts = Counter(part for name in names for part in set(re.findall(r"[^\W\d_]{3,}", name)))
    pairs: list[tuple[str, str]] = []
    for name in names:
        pseudonym = mapping.get(name, "[name]")
        if any(ch.isalpha() for ch in name):
            pairs.append((name, pseudonym))
        for part in re.findall(r"[^\W\d_]{3,}", name):
            if part != name and parts[part] == 1 and part.lower() not in _ROLE_WORDS:
                pairs.append((part, pseudonym))
    pairs.sort(key=lambda pair: -len(pair[0]))  # "Anna Berg" before "Anna"
    return [(re.compile(rf"(?<!\w){re.escape(n)}(?!\w)"), p) for n, p in pairs]


def redact(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, pseudonym in patterns:
        text = pattern.sub(pseudonym, text)
    return text


def answers_from(doc: RawDocument, *, source: str, document_id: str) -> list[Answer]:
    """Answer records in file order; speaker names replaced by pseudonyms everywhere."""
    mapping = pseudonyms(doc)
    patterns = name_patterns(doc.names, mapping)
    raw = sorted(doc.answers, key=lambda a: (a.question_index, a.line_start))
    raw = [a for a in raw if a.paragraphs]
    texts = [redact("\n\n".join(a.paragraphs), patterns) for a in raw]
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
                question=redact(doc.questions[answer.question_index - 1], patterns),
                respondent=respondent,
                answer_id=f"{question_id}-{respondent.lower()}",
                text=text,
                source=source,
                line_start=answer.line_start,
                line_end=max(answer.line_end, answer.line_start),
                language=language,
            )
        )
    context = redact(doc.context, patterns)
    if records and context:
        records[0]["context"] = context
        records[0]["context_language"] = identify(context)
    return records
