"""Numbered layout: ``1. Question?`` followed by indented ``1. answer`` / ``2. answer``.

Answer ``n.`` is respondent ``n`` in every question (the seed's layout). Indented lines
without a number continue the answer above them. When no answer in the file is indented,
a numbered line is a question if it contains ``?`` and carries the next question number.
"""

from __future__ import annotations

import re

from stancebank.dataset.interview.model import RawAnswer, RawDocument

_NUMBERED = re.compile(r"^(?P<indent>[ \t]*)(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)$")


def looks_numbered(lines: list[str]) -> bool:
    """At least one top-level numbered line followed later by another numbered line."""
    matches = [m for m in map(_NUMBERED.match, lines) if m]
    return any(not m["indent"] for m in matches) and len(matches) >= 2


def parse_numbered(lines: list[str]) -> RawDocument:
    doc = RawDocument()
    matches = [_NUMBERED.match(line) for line in lines]
    indented_answers = any(m and m["indent"] for m in matches)
    answer: RawAnswer | None = None
    answer_indent = 0
    paragraph_break = False
    for number, (line, match) in enumerate(zip(lines, matches, strict=True), start=1):
        if not line.strip():
            paragraph_break = True
            continue
        if match and _is_question(match, doc, indented_answers):
            doc.add_question(match["text"])
            answer = None
        elif match and doc.questions and (answer is None or len(match["indent"]) <= answer_indent):
            answer = RawAnswer(len(doc.questions), match["number"], number)
            answer.add_line(match["text"], number, new_paragraph=True)
            answer_indent = len(match["indent"])
            doc.answers.append(answer)
        else:
            doc.continue_with(answer, line, number, new_paragraph=paragraph_break)
        paragraph_break = False
    return doc


def _is_question(match: re.Match[str], doc: RawDocument, indented_answers: bool) -> bool:
    if match["indent"]:
        return False
    if indented_answers or not doc.questions:
        return True
    return "?" in match["text"] and int(match["number"]) == len(doc.questions) + 1
