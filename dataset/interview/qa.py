"""Q/A layout: ``Q: question`` / ``A: answer`` with one respondent.

An unprefixed paragraph continues whatever stands above it (the answer, or the question
before any answer). Norwegian ``Spørsmål:`` / ``Svar:`` are read too.
"""

from __future__ import annotations

import re

from stancebank.dataset.interview.model import RawAnswer, RawDocument

_QUESTION = re.compile(r"^\s*(?:Q|Question|Spørsmål|Sp)\s*\d*\s*[:.)]\s*(?P<text>.*)$", re.I)
_ANSWER = re.compile(r"^\s*(?:A|Answer|Svar)\s*\d*\s*[:.)]\s*(?P<text>.*)$", re.I)
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
