"""The languages stancebank knows, one module per family, and the registry that finds one
by its code: what segmentation (abbreviations, contrastive markers, placeholders, pointers),
the ingest layouts (question, answer and interviewer words), name matching (given names that
are common words) and the privacy gate (phone regions) read for a language.

A new language is one module here with a :class:`Language` named ``LANGUAGE``, added to
:data:`_MODULES`; every stage picks it up. A code no module claims gets the fallback (plain
sentences, English contrast words, no abbreviations of its own).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

_MODULES = ("english", "norwegian", "chinese")
SAME = {"nb": "no", "nn": "no", "nob": "no", "nno": "no", "nor": "no", "zho": "zh", "eng": "en"}
"""Codes reported as one: Norwegian Bokmål and Nynorsk are both ``no`` (py3langid says ``no``
for one text and ``nn`` for the next), three-letter codes as their two-letter ones."""


@dataclass(frozen=True)
class Language:
    """What the pipeline needs to know of one language (family)."""

    code: str
    """The code reported in answers, claims and cards (ISO 639-1; ``no`` for Norwegian)."""
    name: str
    codes: tuple[str, ...] = ()
    """Every code this module answers for (``no``, ``nb``, ``nn``)."""
    spaced: bool = True
    """Words are separated by spaces (Chinese, Japanese and Thai are not)."""
    abbreviations: frozenset[str] = frozenset()
    """Lower-case abbreviations, final dot included, after which no sentence ends ("kl.",
    "f.eks."); sentencex's own lists miss some."""
    sentence_ends: tuple[str, ...] = ()
    """Words that end sentences although sentencex's list has them as abbreviations
    (Norwegian "det.", "i."): a sentence is split after them before a capital letter."""
    contrast_words: tuple[str, ...] = ()
    """Contrastive markers that open a new clause after a comma or semicolon ("but", "men",
    "但是"): the two sides of such a sentence often argue opposite ways."""
    contrast_after_semicolon: tuple[str, ...] = ()
    """Markers that open a new clause only after a semicolon ("however")."""
    not_contrast_after: tuple[str, ...] = ()
    """Words right after a marker that keep the sentence one clause ("but also")."""
    correlative: tuple[str, ...] = ()
    """Openers of a correlative pair ("not only … but"): such a sentence is not split."""
    question_labels: tuple[str, ...] = ()
    """Labels of a question in the Q/A layout ("Q", "Spørsmål", "问")."""
    answer_labels: tuple[str, ...] = ()
    interviewer_words: frozenset[str] = frozenset()
    """Speaker labels that mean the interviewer (lower case)."""
    placeholders: tuple[str, ...] = ()
    """Words of a placeholder unit ("*anonymized*", "[fjernet]")."""
    pointers: tuple[str, ...] = ()
    """Regular expressions of a unit that only points elsewhere ("see above")."""
    common_name_words: frozenset[str] = frozenset()
    """Ordinary words that are also given names (folded, lower case): "will", "liv"."""
    regions: tuple[str, ...] = ()
    """Phone-number regions of the language's speakers, for the privacy gate."""
    min_clause: tuple[int, int] = (3, 4)
    """Words (for a language without spaces: characters) a clause needs before and after a
    contrastive marker for the sentence to be split there."""

    def words(self, text: str) -> int:
        """How long ``text`` is, in the measure :attr:`min_clause` uses."""
        return len(text.split()) if self.spaced else sum(ch.isalpha() for ch in text)

    @property
    def contrast(self) -> re.Pattern[str] | None:
        """Where a sentence may be split: right after the comma or semicolon."""
        return _contrast(self)


def normalise(code: str | None) -> str:
    """The code as reported (``nb``, ``nn`` → ``no``); ``und`` for none."""
    if not code:
        return "und"
    code = code.strip().lower()
    return SAME.get(code, code)


@cache
def _languages() -> tuple[Language, ...]:
    modules = [importlib.import_module(f"stancebank.dataset.languages.{m}") for m in _MODULES]
    return tuple(m.LANGUAGE for m in modules)


@cache
def language(code: str | None) -> Language:
    """The language of ``code`` (any of its codes), else the fallback."""
    from stancebank.dataset.languages.fallback import fallback

    wanted = normalise(code)
    for known in _languages():
        if wanted == known.code or wanted in known.codes:
            return known
    return fallback(wanted)


def known() -> tuple[Language, ...]:
    """Every language with a module of its own."""
    return _languages()


def union(attribute: str) -> tuple:
    """An attribute's values over every known language (for layouts that do not know the
    file's language yet, such as the Q/A and speaker labels)."""
    found: list = []
    for lang in _languages():
        for value in getattr(lang, attribute):
            if value not in found:
                found.append(value)
    return tuple(found)


def regions_of(codes: Iterable[str]) -> set[str]:
    return {region for code in codes for region in language(code).regions}


@cache
def _contrast(lang: Language) -> re.Pattern[str] | None:
    if not lang.contrast_words and not lang.contrast_after_semicolon:
        return None
    keep = "|".join(re.escape(w) for w in lang.not_contrast_after)
    edge = r"\b" if lang.spaced else ""
    after = rf"\s+(?!(?:{keep}){edge})" if keep else r"\s+"
    parts = []
    if lang.contrast_words:
        words = "|".join(re.escape(w) for w in lang.contrast_words)
        if lang.spaced:
            parts.append(rf"(?:,|;)\s+(?=(?:{words}){after}\w)")
        else:
            parts.append(rf"(?:，|,|；|;)\s*(?=(?:{words}))")
    if lang.contrast_after_semicolon:
        words = "|".join(re.escape(w) for w in lang.contrast_after_semicolon)
        semicolon = r";\s+" if lang.spaced else r"(?:;|；)\s*"
        parts.append(rf"{semicolon}(?=(?:{words}){edge})")
    return re.compile("|".join(parts), re.I)
