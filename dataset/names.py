"""How a person's name is found in text, shared by pseudonymisation and the privacy gate.

A name matches in any case, in any Unicode normal form, with the words of a full name
split by any whitespace, and with a possessive or genitive ending (``Kari's``, ``Kari’s``,
``Karis``, ``Nordmanns``). Each part of a name of three letters or more matches alone
too; a two-letter part (``Li``, ``Wu``) matches only as written or in capitals, because
in lower case it is too often an ordinary word (``he``, ``wu``).

Matching errs on the side of replacing too much: a speaker called "Will Hope" turns
every "will" and "hope" into the pseudonym. A missed name is a privacy breach; an
over-eager replacement is a visible, fixable oddity.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Words that label a role, not a person: never treated as a name on their own.
ROLE_WORDS = frozenset({
    "student", "participant", "respondent", "interviewee", "interviewer", "speaker", "person",
    "guest", "informant", "deltaker", "mr", "mrs", "ms", "dr", "prof", "the", "and",
})  # fmt: skip
_POSSESSIVE = r"(?P<suffix>['’]s|['’]|s)?"
_PART = re.compile(r"[^\W\d_]{2,}")


def normalise(text: str) -> str:
    """NFC, so a name typed with combining accents matches one typed precomposed."""
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class NamePattern:
    pattern: re.Pattern[str]
    replacement: str
    """What the name becomes (a pseudonym, or ``[name]``)."""

    def sub(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.replacement + (m["suffix"] or ""), text)


def _compile(words: list[str], *, any_case: bool) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(w) for w in words)
    flags = re.IGNORECASE if any_case else 0
    return re.compile(rf"(?<!\w){body}{_POSSESSIVE}(?!\w)", flags)


def _part_patterns(part: str) -> list[re.Pattern[str]]:
    if len(part) >= 3:
        return [_compile([part], any_case=True)]
    # two letters: as written, and in capitals
    return [_compile([form], any_case=False) for form in {part, part.upper()}]


def name_patterns(
    names: Iterable[str], pseudonyms: dict[str, str] | None = None, default: str = "[name]"
) -> list[NamePattern]:
    """Patterns for each name and each of its parts, longest first (``Anna Berg`` is
    replaced before ``Anna``). A part two names share becomes ``default``, since it
    cannot tell which person is meant."""
    pseudonyms = pseudonyms or {}
    names = {normalise(n).strip(): pseudonyms.get(n, default) for n in names if n.strip()}
    owners = Counter(
        p.casefold() for name in names for p in {q.casefold() for q in _PART.findall(name)}
    )
    found: list[tuple[int, NamePattern]] = []
    for name, replacement in names.items():
        words = name.split()
        if not any(ch.isalpha() for ch in name):
            continue
        if not (len(words) == 1 and words[0].casefold() in ROLE_WORDS):
            found.append((len(name), NamePattern(_compile(words, any_case=True), replacement)))
        for part in _PART.findall(name):
            if part == name or part.casefold() in ROLE_WORDS:
                continue
            shared = owners[part.casefold()] > 1
            for pattern in _part_patterns(part):
                found.append((len(part), NamePattern(pattern, default if shared else replacement)))
    found.sort(key=lambda item: -item[0])
    return [pattern for _, pattern in found]


def replace_names(text: str, patterns: Iterable[NamePattern]) -> str:
    text = normalise(text)
    for pattern in patterns:
        text = pattern.sub(text)
    return text


def contains_name(text: str, patterns: Iterable[NamePattern]) -> bool:
    text = normalise(text)
    return any(p.pattern.search(text) for p in patterns)
