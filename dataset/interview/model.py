"""What every layout parser returns: questions and answers as they stand in the file.

Speakers are still source keys here (a name, a label, an answer number); pseudonyms,
ids and languages are given later, in one place (:mod:`dataset.interview.records`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = ("auto", "numbered", "qa", "speaker", "markdown", "csv", "jsonl")


@dataclass
class RawAnswer:
    """One respondent's answer to one question, as paragraphs of text."""

    question_index: int
    """1-based position of the question in the document."""
    speaker: str
    """The respondent as the file names them (a name, a label such as ``P1``, an answer number)."""
    line_start: int
    """1-based line of the file where the answer starts."""
    line_end: int = 0
    """1-based line of the file where the answer ends (inclusive)."""
    paragraphs: list[str] = field(default_factory=list)

    def add_line(self, text: str, number: int, *, new_paragraph: bool) -> None:
        """Append a source line: a new paragraph, or a continuation of the last one."""
        text = text.strip()
        if not text:
            return
        if new_paragraph or not self.paragraphs:
            self.paragraphs.append(text)
        else:
            self.paragraphs[-1] = f"{self.paragraphs[-1]} {text}"
        self.line_end = max(self.line_end, number)


@dataclass
class RawDocument:
    """A parsed interview file: optional preface, questions in order, answers."""

    questions: list[str] = field(default_factory=list)
    answers: list[RawAnswer] = field(default_factory=list)
    context_lines: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    """Speaker names found in the file, to be kept out of every output."""

    def add_question(self, text: str) -> int:
        self.questions.append(text.strip())
        return len(self.questions)

    def extend_question(self, text: str) -> None:
        text = text.strip()
        if text:
            self.questions[-1] = f"{self.questions[-1]} {text}".strip()

    def add_context(self, line: str, *, new_paragraph: bool) -> None:
        if new_paragraph:
            self.context_lines.append("")
        self.context_lines.append(line)

    def continue_with(
        self, answer: RawAnswer | None, line: str, number: int, *, new_paragraph: bool
    ) -> None:
        """An unlabelled line continues the answer above it, else the question, else the
        preface (text before the first question)."""
        if answer is not None:
            answer.add_line(line, number, new_paragraph=new_paragraph)
        elif self.questions:
            self.extend_question(line)
        else:
            self.add_context(line, new_paragraph=new_paragraph)

    @property
    def context(self) -> str:
        """The preface as paragraphs separated by blank lines."""
        paragraphs: list[str] = []
        current: list[str] = []
        for line in [*self.context_lines, ""]:
            if line.strip():
                current.append(line.strip())
            elif current:
                paragraphs.append(" ".join(current))
                current = []
        return "\n\n".join(paragraphs)
