"""Answers → argumentative units.

Sentences come from sentencex (Wikimedia's rule-based segmenter: maintained, ~300
languages with their abbreviation lists, written in Rust, far faster than pysbd with the
same boundaries on the seed). On top of it, three rules of our own, with each language's
words from :mod:`stancebank.dataset.languages`:

* a sentence that starts with a lower-case letter, or follows an abbreviation of its
  language, continues the one before it (sentencex splits after Norwegian "f.eks." before a
  lower-case word, and after "kl." before "14.30");
* a sentence is split before a contrastive marker that opens a new clause
  (", but they …", "; however, …", "，但是…"), because the two sides often argue
  opposite ways;
* units that carry no argument — placeholders (``*anonymized*``), pointers ("Answers for
  this can be found above") and bare numbering ("7 and 8.") — are marked ``non_argument``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

import sentencex

from stancebank.dataset import languages
from stancebank.dataset.answers_io import Answer
from stancebank.dataset.claims_io import Claim
from stancebank.dataset.language import identify_within

_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", re.S)
_STARTS_LOWER = re.compile(r"^[\"'“‘(\[]*[a-zæøåäöüé]")
_PLACEHOLDER = "|".join(re.escape(w) for w in languages.union("placeholders"))
_NON_ARGUMENT = [
    # placeholders: *anonymized*, [redacted], [fjernet]
    re.compile(rf"^[*_\[<(【]+\s*(?:{_PLACEHOLDER})\s*[*_\]>)】]+\W*$", re.I),
    # bare numbering: "7 and 8.", "3, 4", "3 og 4"
    re.compile(r"^\(?\d+[.)]?(?:\s*(?:and|&|,|-|–|og)\s*\d+[.)]?)*\s*\.?$"),
    # pointers to elsewhere, in every known language: "… can be found above", "se ovenfor"
    *(re.compile(pointer, re.I) for pointer in languages.union("pointers")),
]


def _sentencex(paragraph: str, lang: languages.Language) -> list[str]:
    """sentencex's sentences, split again after a word the language says ends sentences."""
    sentences = list(sentencex.segment(lang.code, paragraph))
    if not lang.sentence_ends:
        return sentences
    words = "|".join(re.escape(w) for w in lang.sentence_ends)
    end = re.compile(rf"\b(?:{words})\.(?=\s+[\"'“«(]?[A-ZÆØÅ])")
    pieces = []
    for sentence in sentences:
        cut = 0
        for match in end.finditer(sentence):
            pieces.append(sentence[cut : match.end()])
            cut = match.end()
        pieces.append(sentence[cut:])
    return pieces


def _sentences(paragraph: str, lang: languages.Language) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in _sentencex(paragraph, lang):
        stripped = sentence.strip()
        if not stripped:
            continue
        start = paragraph.index(stripped, cursor)
        end = start + len(stripped)
        cursor = end
        previous = paragraph[spans[-1][0] : spans[-1][1]] if spans else ""
        if spans and (_STARTS_LOWER.match(stripped) or _ends_in_abbreviation(previous, lang)):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _ends_in_abbreviation(sentence: str, lang: languages.Language) -> bool:
    """ "Møtet starter kl." is no sentence: sentencex ends one before "14.30"."""
    last = sentence.rsplit(None, 1)[-1].lower() if sentence.strip() else ""
    return last in lang.abbreviations


def _contrastive_splits(
    text: str, span: tuple[int, int], lang: languages.Language
) -> list[tuple[int, int]]:
    """Split one sentence span before each contrastive marker that opens a long enough clause."""
    pattern = lang.contrast
    start, end = span
    pieces: list[tuple[int, int]] = []
    for match in pattern.finditer(text, start, end) if pattern else ():
        before = text[start : match.start() + 1]  # keep the comma with the first half
        after = text[match.end() : end]
        if any(opener in before.lower() for opener in lang.correlative):
            continue  # "not only X, but Y" is one correlative clause
        least_before, least_after = lang.min_clause
        if lang.words(before) >= least_before and lang.words(after) >= least_after:
            pieces.append((start, match.start() + 1))
            start = match.end()
    pieces.append((start, end))
    return pieces


def unit_kind(text: str) -> str:
    """``non_argument`` for placeholders, pointers and bare numbering, else ``claim``."""
    return "non_argument" if any(p.search(text) for p in _NON_ARGUMENT) else "claim"


def unit_spans(text: str, language: str = "en") -> list[tuple[int, int]]:
    """Character spans of the argumentative units of ``text``, in order, never overlapping;
    sentences and contrastive markers by the rules of ``language``
    (:mod:`stancebank.dataset.languages`)."""
    lang = languages.language(language)
    spans: list[tuple[int, int]] = []
    for paragraph in _PARAGRAPH.finditer(text):
        offset = paragraph.start()
        for start, end in _sentences(paragraph.group(), lang):
            spans.extend(_contrastive_splits(text, (offset + start, offset + end), lang))
    return spans


def claim_id_for(answer_id: str, text: str, occurrence: int) -> str:
    """Stable id from the answer and the unit's own text, so editing one sentence of an
    answer does not renumber the others."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{answer_id}-{digest}" + (f"-{occurrence}" if occurrence > 1 else "")


def segment_answer(answer: Answer) -> list[Claim]:
    """All units of one answer, with offsets into ``answer["text"]``."""
    text = answer["text"]
    language = languages.normalise(answer.get("language") or "en")
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
                language=identify_within(unit_text, language),
            )
        )
    return claims


def segment_answers(answers: Iterable[Answer]) -> Iterator[Claim]:
    for answer in answers:
        yield from segment_answer(answer)
