"""Q/A layout: ``Q: question`` / ``A: answer`` with one respondent.

An unprefixed paragraph continues whatever stands above it (the answer, or the question
before any answer). The labels of every known language are read (``Spørsmål:`` / ``Svar:``,
``问：`` / ``答：``; :mod:`stancebank.dataset.languages`).
"""

from __future__ import annotations

import re

from stancebank.dataset import languages
from stancebank.dataset.interview.model import RawAnswer, RawDocument


def _label(words: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{names})\s*\d*\s*[:.)：]\s*(?P<text>.*)$", re.I)


_QUESTION = _label(languages.union("question_labels"))
_ANSWER = _label(languages.union("answer_labels"))
RESPONDENT = "respondent"


def looks_qa(lines: list[str]) -> bool:
    return any(map(_QUESTION.match, lines)) and any(map(_ANSWER.match, lines))


def parse_qa(lines: list[str]) -> RawDocument:
    doc = RawDocument()
    answer: RawAnswer | None = None
    paragraph_break = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            paragraph_break = True
            continue
        if question := _QUESTION.match(line):
            doc.add_question(question["text"])
            answer = None
        elif (reply := _ANSWER.match(line)) and doc.questions:
            if answer is None:
                answer = RawAnswer(len(doc.questions), RESPONDENT, number)
                doc.answers.append(answer)
            answer.add_line(reply["text"], number, new_paragraph=True)
        else:
            doc.continue_with(answer, line, number, new_paragraph=paragraph_break)
        paragraph_break = False
    return doc
