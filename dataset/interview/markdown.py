"""Markdown layout: question headings (``## 1. …``) and bold speaker labels (``**P1:** …``).

A heading is a question when it is numbered or ends with ``?``; once the first question
heading is seen, every heading of its level opens a question. Text before it is the
preface. Paragraphs without a label continue the speaker above them; an interviewer's
bold label adds to the question.
"""

from __future__ import annotations

import re

from stancebank.dataset.interview.model import RawAnswer, RawDocument
from stancebank.dataset.interview.speaker import _is_interviewer

_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_NUMBER = re.compile(r"^(?:Q(?:uestion)?\s*)?\d+\s*[.):]\s*", re.I)
_BOLD_LABEL = re.compile(
    r"^\s*(?:[-*]\s+)?\*\*(?P<label>[^*:\n]{1,40}?)\s*:?\s*\*\*\s*:?\s*(?P<text>.*)$"
)


def _is_question_heading(text: str) -> bool:
    return bool(_NUMBER.match(text)) or text.rstrip().endswith("?")


def looks_markdown(lines: list[str]) -> bool:
    headings = [m for m in map(_HEADING.match, lines) if m]
    return any(_is_question_heading(m["text"]) for m in headings) and any(
        map(_BOLD_LABEL.match, lines)
    )


def parse_markdown(lines: list[str]) -> RawDocument:
    doc = RawDocument()
    answers: dict[tuple[int, str], RawAnswer] = {}
    current: RawAnswer | None = None
    question_level: int | None = None
    paragraph_break = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            paragraph_break = True
            continue
        heading = _HEADING.match(line)
        label = _BOLD_LABEL.match(line)
        if heading and _opens_question(heading, question_level):
            question_level = len(heading["level"])
            doc.add_question(_NUMBER.sub("", heading["text"], count=1))
            current = None
        elif label and doc.questions and _is_interviewer(label["label"]):
            doc.extend_question(label["text"])
            current = None
        elif label and doc.questions:
            speaker = label["label"].strip()
            doc.names.add(speaker)
            key = (len(doc.questions), speaker)
            if key not in answers:
                answers[key] = RawAnswer(len(doc.questions), speaker, number)
                doc.answers.append(answers[key])
            current = answers[key]
            current.add_line(label["text"], number, new_paragraph=True)
        elif current is not None and not heading:
            current.add_line(line, number, new_paragraph=paragraph_break)
        elif doc.questions and not heading:
            doc.extend_question(line)
        elif not doc.questions:
            if label:
                doc.names.add(label["label"].strip())
            doc.add_context(heading["text"] if heading else line, new_paragraph=paragraph_break)
        paragraph_break = False
    return doc


def _opens_question(heading: re.Match[str], question_level: int | None) -> bool:
    if question_level is None:
        return _is_question_heading(heading["text"])
    return len(heading["level"]) == question_level
