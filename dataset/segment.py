"""Answers → argumentative units.

Sentences come from sentencex (Wikimedia's rule-based segmenter: maintained, ~300
languages with their abbreviation lists, written in Rust, far faster than pysbd with the
same boundaries on the seed). On top of it, three rules of our own:

* a sentence that starts with a lower-case letter continues the one before it
  (sentencex splits after Norwegian "f.eks." / "bl.a." when the next word is lower case);
* a sentence is split before a contrastive marker that opens a new clause
  (", but they …", "; however, …"), because the two sides often argue opposite ways;
* units that carry no argument — placeholders (``*anonymized*``), pointers ("Answers for
  this can be found above") and bare numbering ("7 and 8.") — are marked ``non_argument``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

import sentencex

from stancebank.dataset.answers_io import Answer
from stancebank.dataset.claims_io import Claim

_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", re.S)
_STARTS_LOWER = re.compile(r"^[\"'“‘(\[]*[a-zæøåäöüé]")
# Contrastive markers that open a new clause. ", but also" continues a "not only" list.
_CONTRAST = {
    "default": re.compile(
        r"(?:,|;)\s+(?=but\s+(?!also\b|not\b|only\b)\w)"
        r"|;\s+(?=however\b)",
        re.I,
    ),
    "scandinavian": re.compile(
        r"(?:,|;)\s+(?=(?:but|men)\s+(?!også\b|ikke\b)\w)"
        r"|;\s+(?=however\b|likevel\b)",
        re.I,
    ),
}
_NOT_ONLY = re.compile(r"\bnot only\b|\bikke bare\b", re.I)
_SCANDINAVIAN = {"no", "nb", "nn", "da", "sv"}
_MIN_WORDS_BEFORE, _MIN_WORDS_AFTER = 3, 4

_PLACEHOLDER = r"anonymi[sz]ed|redacted|removed|anonymisert|fjernet"
_NON_ARGUMENT = [
    # placeholders: *anonymized*, [redacted]
    re.compile(rf"^[*_\[<(]+\s*(?:{_PLACEHOLDER})\s*[*_\]>)]+\W*$", re.I),
    # bare numbering: "7 and 8.", "3, 4"
    re.compile(r"^\(?\d+[.)]?(?:\s*(?:and|&|,|-|–|og)\s*\d+[.)]?)*\s*\.?$"),
    # pointers to elsewhere: "… can be found above", "see question 3"
    re.compile(r"\b(?:can be |are |is )?found (?:above|below|here|earlier)\W*$", re.I),
    re.compile(
        r"^(?:see|cf\.?|se)\s+(?:above|below|my answer|the answer|question \d+|over|ovenfor)\b",
        re.I,
    ),
    re.compile(
        r"^(?:the )?answers? (?:for|to) (?:this|these|that)\b.*\b(?:above|below|earlier)\W*$",
        re.I,
    ),
]


def _sentences(paragraph: str, language: str) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sentencex.segment(language, paragraph):
        stripped = sentence.strip()
        if not stripped:
            continue
        start = paragraph.index(stripped, cursor)
        end = start + len(stripped)
        cursor = end
        if spans and _STARTS_LOWER.match(stripped):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _contrastive_splits(text: str, span: tuple[int, int], language: str) -> list[tuple[int, int]]:
    """Split one sentence span before each contrastive marker that opens a long enough clause."""
    pattern = _CONTRAST["scandinavian" if language in _SCANDINAVIAN else "default"]
    start, end = span
    pieces: list[tuple[int, int]] = []
    for match in pattern.finditer(text, start, end):
        before = text[start : match.start() + 1]  # keep the comma with the first half
        after = text[match.end() : end]
        if _NOT_ONLY.search(before):
            continue  # "not only X, but Y" is one correlative clause
        if len(before.split()) >= _MIN_WORDS_BEFORE and len(after.split()) >= _MIN_WORDS_AFTER:
            pieces.append((start, match.start() + 1))
            start = match.end()
    pieces.append((start, end))
    return pieces


def unit_kind(text: str) -> str:
    """``non_argument`` for placeholders, pointers and bare numbering, else ``claim``."""
    return "non_argument" if any(p.search(text) for p in _NON_ARGUMENT) else "claim"


def unit_spans(text: str, language: str = "en") -> list[tuple[int, int]]:
    """Character spans of the argumentative units of ``text``, in order, never overlapping."""
    spans: list[tuple[int, int]] = []
    for paragraph in _PARAGRAPH.finditer(text):
        offset = paragraph.start()
        for start, end in _sentences(paragraph.group(), language):
            spans.extend(_contrastive_splits(text, (offset + start, offset + end), language))
    return spans


def claim_id_for(answer_id: str, text: str, occurrence: int) -> str:
    """Stable id from the answer and the unit's own text, so editing one sentence of an
    answer does not renumber the others."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{answer_id}-{digest}" + (f"-{occurrence}" if occurrence > 1 else "")


def segment_answer(answer: Answer) -> list[Claim]:
    """All units of one answer, with offsets into ``answer["text"]``."""
    text, language = answer["text"], answer.get("language") or "en"
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for index, (start, end) in enumerate(unit_spans(text, language)):
        unit_text = text[start:end]
        seen[unit_text] = seen.get(unit_text, 0) + 1
        claims.append(
            Claim(
                claim_id=claim_id_for(answer["answer_id"], unit_text, seen[unit_text]),
                answer_id=answer["answer_id"],
                question_id=answer["question_id"],
                document_id=answer["document_id"],
                respondent=answer["respondent"],
                question=answer["question"],
                text=unit_text,
                start=start,
                end=end,
                index=index,
                unit=unit_kind(unit_text),
                language=language,
            )
        )
    return claims


def segment_answers(answers: Iterable[Answer]) -> Iterator[Claim]:
    for answer in answers:
        yield from segment_answer(answer)
