"""Any language without a module of its own: sentences from sentencex (which knows ~300
languages), the English contrast words (they appear in many languages' interviews), no
abbreviations or common words of its own, and the phone regions of a few big neighbours."""

from __future__ import annotations

from stancebank.dataset.languages import Language
from stancebank.dataset.languages.english import LANGUAGE as ENGLISH

_REGIONS = {"sv": ("SE",), "da": ("DK",), "de": ("DE",), "fr": ("FR",), "es": ("ES",),
            "fi": ("FI",), "nl": ("NL",), "it": ("IT",), "pl": ("PL",)}  # fmt: skip


def fallback(code: str) -> Language:
    return Language(
        code=code,
        name=code,
        contrast_words=ENGLISH.contrast_words,
        contrast_after_semicolon=ENGLISH.contrast_after_semicolon,
        not_contrast_after=ENGLISH.not_contrast_after,
        correlative=ENGLISH.correlative,
        regions=_REGIONS.get(code, ()),
    )
