"""Speaker layout: ``Interviewer: …`` / ``Name: …`` turns.

The interviewer's turn is the question; every other speaker answers it. A label counts
as a speaker when it is an interviewer word, recurs in the file, opens the turn right after
the interviewer's, or looks like a person's full name after another turn, so a stray
``Note:`` inside an answer is not a new speaker but a third respondent who speaks once is.
Lines without a label continue the turn above them.
"""

from __future__ import annotations

import re
from collections import Counter

from stancebank.dataset import languages
from stancebank.dataset.interview.model import RawAnswer, RawDocument

_TIMESTAMP = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*)?"
_WORD = r"(?:[A-ZÆØÅÄÖÜÉ][\w'’.-]*|[\u3400-\u9fff]{1,6})"
"""A capitalised word, or a Chinese name or role of up to six characters ("王小明", "记者")."""
_LABEL = re.compile(
    rf"^{_TIMESTAMP}(?P<label>{_WORD}(?: (?:{_WORD}|\d+)){{0,3}})\s*[:：]\s*(?P<text>.*)$"
)
_INTERVIEWER_WORDS = frozenset(languages.union("interviewer_words"))
"""The interviewer's labels in every known language (:mod:`stancebank.dataset.languages`)."""


def _is_interviewer(label: str) -> bool:
    return re.sub(r"[\s\d.]+", " ", label).strip().lower() in _INTERVIEWER_WORDS


_FULL_NAME = re.compile(r"^(?:[^\W\d_]+(?: [^\W\d_]+)+|[\u3400-\u9fff]{2,4})$")
"""Two or more words ("Kari Holm"), or two to four Han characters ("李华"): a person, even
when they speak once and after another respondent (a name left in an answer is a leak)."""


def _labels(lines: list[str]) -> list[str | None]:
    return [m["label"] if (m := _LABEL.match(line)) else None for line in lines]


def _speaker_lines(lines: list[str]) -> list[str | None]:
    """The label of each line that opens a turn, else None."""
    labels = _labels(lines)
    counts = Counter(label for label in labels if label)
    result: list[str | None] = []
    previous_turn: str | None = None
    for label in labels:
        is_turn = label is not None and (
            _is_interviewer(label)
            or counts[label] >= 2
            or (previous_turn is not None and _is_interviewer(previous_turn))
            or (previous_turn is not None and bool(_FULL_NAME.match(label)))
        )
        result.append(label if is_turn else None)
        if is_turn:
            previous_turn = label
    return result


def looks_speaker(lines: list[str]) -> bool:
    turns = [label for label in _speaker_lines(lines) if label]
    interviewers = {label for label in turns if _is_interviewer(label)}
    return bool(interviewers) and len(set(turns) - interviewers) >= 1


def parse_speaker(lines: list[str]) -> RawDocument:
    doc = RawDocument()
    answers: dict[tuple[int, str], RawAnswer] = {}
    current: RawAnswer | None = None
    in_question = False
    paragraph_break = False
    for number, (line, label) in enumerate(zip(lines, _speaker_lines(lines), strict=True), start=1):
        if not line.strip():
            paragraph_break = True
            continue
        text = _LABEL.match(line)["text"] if label else line
        if label and _is_interviewer(label):
            if in_question:
                doc.extend_question(text)
            else:
                doc.add_question(text)
            in_question, current = True, None
        elif label and doc.questions:
            doc.names.add(label)
            key = (len(doc.questions), label)
            if key not in answers:
                answers[key] = RawAnswer(len(doc.questions), label, number)
                doc.answers.append(answers[key])
            current, in_question = answers[key], False
            current.add_line(text, number, new_paragraph=True)
        elif current is not None:
            current.add_line(text, number, new_paragraph=paragraph_break)
        elif in_question:
            doc.extend_question(text)
        else:
            if label:
                doc.names.add(label)
            doc.add_context(line, new_paragraph=paragraph_break)
        paragraph_break = False
    return doc
