"""How a person's name is found in text, shared by pseudonymisation and the privacy gate.

Names are looked for in a *folded view* of the text, with every position mapped back to
the original, so a replacement changes only the name and leaves the rest of the text as it
was. The view is the text in NFKC (fullwidth letters and digits become plain ones) with
diacritics removed and ø→o, æ→ae, ß→ss, ł→l (case kept), a word hyphenated across a line
break joined, and nothing else changed. A name's parts are searched in every form a writer
may use: as given, without diacritics, and with the two-letter spellings (ø→oe, å→aa, ü→ue,
ö→oe, ä→ae), so "Tomasz Wróbel" is found in "tomasz wrobel" and "Bjørn" in "Bjoern".

A name matches in any case, with the words of a full name split by any white space, with a
possessive or genitive ending (``Kari's``, ``Kari’s``, ``Karis``, ``Nordmanns``), and each
part of it alone. The edges of a match must not touch another letter of a script written
with spaces (Latin, Cyrillic, Greek, …): an underscore, a digit or a case change may, so
handles (``kari_nordmann85``, ``KariNordmann``) are found. Names in scripts written without
spaces (Chinese, Japanese, Thai, …) need no edge at all: ``王小明`` is found inside
``我是王小明的同学``; a Chinese name of three or more characters is also found by its given
name (all but the first character).

Matching errs on the side of replacing too much, with two exceptions where too much would
be noise: a two-letter part (``Li``, ``Wu``) matches only as written or in capitals, and a
given name that is also a common word (``per``, ``may``, ``will``, ``mark``, ``liv``, ``dag`` …,
:data:`COMMON_WORDS`) counts only when capitalised and not at the start of a sentence, or
right next to another part of the same name ("Per Berg", "Berg, Per"). A surname that is a
word ("Berg") is replaced wherever it stands.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from stancebank.dataset import languages

# Words that label a role, not a person: never treated as a name on their own.
ROLE_WORDS = frozenset({
    "student", "participant", "respondent", "interviewee", "interviewer", "speaker", "person",
    "guest", "informant", "deltaker", "mr", "mrs", "ms", "dr", "prof", "the", "and",
})  # fmt: skip

COMMON_WORDS = frozenset(languages.union("common_name_words"))
"""Name parts that are ordinary words too (folded, lower case), in every known language
(:mod:`stancebank.dataset.languages`): as given names they need a capital letter away from a
sentence start, or a neighbouring part of the same name."""

_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0002fa1f"
)
"""Thai, Lao, Myanmar, Khmer, kana and Han: scripts written without spaces between words."""
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_SPECIAL = {
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ẞ": "Ss",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
    "ı": "i",
}  # fmt: skip
"""Letters that carry no combining mark to remove, and their plain forms."""
_TWO_LETTER_SPELLINGS = {"ø": "oe", "å": "aa", "ü": "ue", "ö": "oe", "ä": "ae"}
"""How a letter is spelt with two when a keyboard lacks it ("Bjoern", "Haakon")."""
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\s+(?=[^\W\d_])")
"""A word hyphenated across a line break ("Nord-\\nmann"; after ingest joins the lines of a
paragraph, "Nord- mann")."""
_POSSESSIVE = re.compile(r"['’]s|['’]|s")
_PART = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = ".!?:;…\n"
_OPENERS = "\"'“‘«(["


def normalise(text: str) -> str:
    """NFC, so a name typed with combining accents matches one typed precomposed."""
    return unicodedata.normalize("NFC", text)


@cache
def _fold_char(ch: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c in _SPECIAL:
            out.append(_SPECIAL[c])
            continue
        plain = "".join(d for d in unicodedata.normalize("NFD", c) if not unicodedata.combining(d))
        out.append(plain or c)
    return "".join(out)


def fold(text: str) -> str:
    """The folded form of a short string (a name, a word), case kept."""
    return "".join(_fold_char(ch) for ch in normalise(text))


@dataclass(frozen=True)
class View:
    """The folded view of a text: ``text`` (case kept), ``lower``, and for each position
    the index in the original (NFC) text it came from (``None``: the same index)."""

    original: str
    text: str
    lower: str
    origin: list[int] | None

    @classmethod
    def of(cls, text: str) -> View:
        text = normalise(text)
        if text.isascii() and not _HYPHENATED.search(text):  # the common case: nothing to fold
            return cls(text, text, text.lower(), None)
        skip = {i for m in _HYPHENATED.finditer(text) for i in range(m.start(), m.end())}
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(text):
            if i in skip or ch == "\u00ad":  # a soft hyphen, or a hyphen at a line break
                continue
            for c in _fold_char(ch):
                chars.append(c)
                origin.append(i)
        lower = [c.lower() if len(c.lower()) == 1 else c for c in chars]
        return cls(text, "".join(chars), "".join(lower), origin)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span of the view's ``[start:end]``."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def _spaced_letter(ch: str) -> bool:
    return ch.isalpha() and not _UNSPACED_CHAR.match(ch)


def _edge_ok(view: str, inside: int, outside: int) -> bool:
    """No letter of a spaced script across the edge, unless the case changes there."""
    if outside < 0 or outside >= len(view) or not _spaced_letter(view[outside]):
        return True
    left, right = sorted((inside, outside))
    return view[left].islower() and view[right].isupper()  # camelCase: "KariNordmann"


def _sentence_start(view: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (view[i] in " \t" or view[i] in _OPENERS):
        i -= 1
    return i < 0 or view[i] in _SENTENCE_END


@dataclass(frozen=True)
class NamePattern:
    """One name, or one part of a name, and what it becomes."""

    pattern: re.Pattern[str]
    """Searches the folded, lower-case view (edges are checked in code, see above)."""
    replacement: str
    """What the name becomes (a pseudonym, or ``[name]``)."""
    written: str = ""
    """The folded form as given (for the case rules)."""
    spaced: tuple[bool, bool] = (True, True)
    """Whether the first and last characters belong to scripts written with spaces."""
    rule: str = ""
    """``""``; ``"two-letter"``; or ``"common"`` (see the module docstring)."""
    neighbours: frozenset[str] = frozenset()
    """The other parts of the same name (folded, lower case), for the common-word rule."""

    def matches(self, view: View) -> list[tuple[int, int]]:
        """Spans (in the view) of this name, possessive endings not included."""
        found = []
        for m in self.pattern.finditer(view.lower):
            start, end = m.start(), m.end("name")
            if self.spaced[0] and not _edge_ok(view.text, start, start - 1):
                continue
            ends = [end + len(m["suffix"]), end] if m["suffix"] else [end]
            if self.spaced[1] and not any(_edge_ok(view.text, e - 1, e) for e in ends):
                continue
            if self.rule and not self._case_ok(view, start, end):
                continue
            found.append((start, end))
        return found

    def _case_ok(self, view: View, start: int, end: int) -> bool:
        as_written = view.text[start:end]
        if self.rule == "two-letter":
            return as_written in (self.written, self.written.upper())
        if self._next_to_a_neighbour(view, start, end):
            return True
        capitalised = as_written[:1].isupper() and not as_written[1:2].isupper()
        return capitalised and not _sentence_start(view.text, start)

    def _next_to_a_neighbour(self, view: View, start: int, end: int) -> bool:
        before = re.findall(r"[^\W\d_]+", view.lower[max(0, start - 40) : start])
        after = re.match(r"[\s,]*([^\W\d_]+)", view.lower[end : end + 40])
        return bool(
            (before and before[-1] in self.neighbours) or (after and after[1] in self.neighbours)
        )


def _variants(text: str) -> set[str]:
    """The forms of a name (or part) to look for, folded and in lower case."""
    given = normalise(text).lower()
    forms = {fold(given)}
    two = "".join(_TWO_LETTER_SPELLINGS.get(ch, ch) for ch in given)
    forms.add(fold(two))
    return {f for f in forms if f}


def _compile(forms: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted(forms, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in alternatives)
    return re.compile(rf"(?P<name>{body})(?P<suffix>{_POSSESSIVE.pattern})?")


def _pattern(text: str, replacement: str, *, rule: str = "", neighbours=frozenset()):
    first, last = text[0], text[-1]
    return NamePattern(
        _compile(_variants(text)), replacement, written=fold(text), rule=rule,
        spaced=(not _UNSPACED_CHAR.match(first), not _UNSPACED_CHAR.match(last)),
        neighbours=neighbours,
    )  # fmt: skip


def _parts(name: str) -> list[str]:
    """A name's parts: its words of two letters or more (split also at hyphens and
    apostrophes), and for a name in a script without spaces of three or more characters,
    its given name."""
    parts = _PART.findall(name)
    if len(parts) == 1 and _UNSPACED_CHAR.match(name) and len(parts[0]) >= 3:
        return [parts[0][1:]]
    return [p for p in parts if p != name]


def _rule(key: str, *, given: bool) -> str:
    """A part's case rule; the common-word rule is for given names only (a surname that is
    a word, "Berg", is replaced wherever it stands: a leak is worse than an odd word)."""
    if len(key) <= 2:
        return "two-letter"
    return "common" if given and key in COMMON_WORDS else ""


def name_patterns(
    names: Iterable[str], pseudonyms: dict[str, str] | None = None, default: str = "[name]"
) -> list[NamePattern]:
    """Patterns for each name and each of its parts, longest first (``Anna Berg`` is
    replaced before ``Anna``). A part two names share becomes ``default``, since it
    cannot tell which person is meant."""
    pseudonyms = pseudonyms or {}
    names = {normalise(n).strip(): pseudonyms.get(n, default) for n in names if n.strip()}
    owners = Counter(p for name in names for p in {fold(q).lower() for q in _parts(name)})
    found: list[tuple[int, NamePattern]] = []
    for name, replacement in names.items():
        if not any(ch.isalpha() for ch in name):
            continue
        words = name.split()
        if not (len(words) == 1 and words[0].casefold() in ROLE_WORDS):
            # a one-word name ("Will", "Li") follows the rules of a part
            rule = _rule(fold(name).lower(), given=True) if len(words) == 1 else ""
            found.append((len(name), _pattern(name, replacement, rule=rule)))
        parts = _parts(name)
        folded = {fold(p).lower() for p in parts}
        surname = parts[-1] if len(parts) > 1 and not _UNSPACED_CHAR.match(name) else None
        for part in parts:
            key = fold(part).lower()
            if key in ROLE_WORDS:
                continue
            target = default if owners[key] > 1 else replacement
            neighbours = frozenset(folded - {key})
            rule = _rule(key, given=part is not surname)
            found.append((len(part), _pattern(part, target, rule=rule, neighbours=neighbours)))
    found.sort(key=lambda item: -item[0])
    return [pattern for _, pattern in found]


def name_spans(text: str, patterns: Iterable[NamePattern]) -> list[tuple[int, int, str]]:
    """``(start, end, replacement)`` of every name in ``normalise(text)``, longest pattern
    first, none overlapping another, in text order."""
    view = View.of(text)
    taken: list[tuple[int, int, str]] = []
    for pattern in patterns:
        for start, end in pattern.matches(view):
            if any(start < e and s < end for s, e, _ in taken):
                continue
            taken.append((start, end, pattern.replacement))
    spans = [(*view.span(s, e), r) for s, e, r in taken]
    return sorted(spans)


def replace_names(text: str, patterns: Iterable[NamePattern]) -> str:
    """``text`` (in NFC) with every name replaced; everything else as it was."""
    text = normalise(text)
    for start, end, replacement in reversed(name_spans(text, patterns)):
        text = text[:start] + replacement + text[end:]
    return text


def contains_name(text: str, patterns: Iterable[NamePattern]) -> bool:
    view = View.of(text)
    return any(p.matches(view) for p in patterns)
