"""The privacy gate's detectors: contact details, ID numbers, bank accounts, street
addresses, URLs and listed names in a piece of text.

Numbers are validated, not just shaped: phone numbers with Google's ``phonenumbers``
(valid numbers for the regions the data's languages suggest, and any ``+`` international
number), national ID numbers and IBANs with their checksums (``python-stdnum``). So years,
ranges, money, dates and decimals do not raise findings and people keep trusting the gate.
Street addresses are matched by pattern (Norwegian, UK and US forms; see
``_ADDRESS``): the address parsers on PyPI either parse a string already known to be an
address (``usaddress``), need a 2 GB C library (``postal``) or are unmaintained (``pyap``).

Findings name the row, field and kind, never the matched text, so the report itself leaks
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers
from stdnum import iban
from stdnum.cn import ric
from stdnum.no import fodselsnummer
from stdnum.se import personnummer
from stdnum.us import ssn

from stancebank.dataset.names import NamePattern, contains_name, normalise

KINDS = ("email", "phone", "national_id", "iban", "address", "url", "name")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|no|uk|cn|io|edu|gov)/\S*", re.I
)
# Candidates, each confirmed by its checksum (or, for US SSNs, the number rules).
_NATIONAL_IDS = (
    (re.compile(r"(?<![\w-])\d{6}[ ]?\d{5}(?![\w-])"), fodselsnummer.is_valid),
    (re.compile(r"(?<![\w-])\d{17}[\dXx](?![\w-])"), ric.is_valid),
    (re.compile(r"(?<![\w-])(?:\d{2})?\d{6}[-+]\d{4}(?![\w-])"), personnummer.is_valid),
    (re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), ssn.is_valid),
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")

_CAP = r"[A-ZÆØÅ][\w'’.-]*"
_NO_SUFFIX = (
    r"(?:gata|gate|gaten|veien|vegen|vei|veg|allé|alle|plass|stien|bakken|torget|ringen|svingen)"
)
_EN_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
    r"Way|Terrace|Parkway|Pkwy|Highway|Hwy|Square|Sq|Crescent|Close|Gardens|Row|Mews|Hill)"
)
_ADDRESS = (
    # Norwegian: "Storgata 12", "Kirkeveien 64B", "Karl Johans gate 22", "Bygdøy allé 5"
    re.compile(rf"\b(?:{_CAP}\s+){{0,2}}[A-ZÆØÅ]\w*{_NO_SUFFIX}\s+\d{{1,4}}\s?[A-Za-z]?\b"),
    re.compile(rf"\b(?:{_CAP}\s+){{1,2}}{_NO_SUFFIX}\s+\d{{1,4}}\s?[A-Za-z]?\b"),
    # UK and US: "221B Baker Street", "1600 Pennsylvania Avenue NW", "350 Fifth Ave"; not
    # after a year ("In 2019 Party Way …") and not with an article ("3 The Long Road")
    re.compile(
        rf"(?<!\b[Ii]n )(?<!\b[Bb]y )(?<!\b[Ss]ince )\b\d{{1,5}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?"
        rf"(?!The\b|A\b|An\b)(?:{_CAP}\s+){{1,3}}{_EN_SUFFIX}\b"
    ),
    # a full UK postcode: "SW1A 1AA", "M1 1AE", "EH8 8DX"
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b"),
    # a US city, state and ZIP: "Washington, DC 20500", "Springfield, IL 62704-1234"
    re.compile(rf"\b{_CAP},\s+[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?\b"),
)

# Regions whose phone numbers to look for, by the data's language codes (ISO 639-1/3).
_REGIONS = {
    "en": ("US", "GB"), "no": ("NO",), "nb": ("NO",), "nn": ("NO",), "zh": ("CN",),
    "sv": ("SE",), "da": ("DK",), "de": ("DE",), "fr": ("FR",), "es": ("ES",),
}  # fmt: skip
DEFAULT_REGIONS = ("US", "GB", "NO", "CN")


def regions_for(languages: Iterable[str]) -> tuple[str, ...]:
    """Phone regions for the languages in the data (the default set when none is known)."""
    found = {region for lang in languages for region in _REGIONS.get(lang, ())}
    return tuple(sorted(found)) or DEFAULT_REGIONS


# Two or three capitalised words: "Anna Berg", "Solveig Kristine Holtvedt".
_NAME = re.compile(r"\b[A-ZÆØÅÄÖÜ][a-zæøåäöüéè'-]+(?:\s+[A-ZÆØÅÄÖÜ][a-zæøåäöüéè'-]+){1,2}\b")


@dataclass(frozen=True)
class Finding:
    row_id: str
    field: str
    kind: str


def _has_phone(text: str, regions: Iterable[str]) -> bool:
    for region in regions:
        for _ in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            return True
    return False


def find_kinds(
    text: str, names: Iterable[NamePattern] = (), regions: Iterable[str] = DEFAULT_REGIONS
) -> list[str]:
    """The kinds of personal data in ``text``, in :data:`KINDS` order."""
    text = normalise(text)
    found = set()
    if _EMAIL.search(text):
        found.add("email")
    if any(ok(m.group()) for pattern, ok in _NATIONAL_IDS for m in pattern.finditer(text)):
        found.add("national_id")
    if any(iban.is_valid(m.group()) for m in _IBAN.finditer(text)):
        found.add("iban")
    if any(pattern.search(text) for pattern in _ADDRESS):
        found.add("address")
    if _URL.search(text):
        found.add("url")
    if contains_name(text, names):
        found.add("name")
    if re.search(r"\d", text) and _has_phone(text, regions):
        found.add("phone")
    return [kind for kind in KINDS if kind in found]


def names_in(texts: Iterable[str]) -> set[str]:
    """Candidate person names (two or three capitalised words) in preface texts."""
    return {m.group() for text in texts for m in _NAME.finditer(text)}


def scan_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    names: Iterable[NamePattern] = (),
    regions: Iterable[str] = DEFAULT_REGIONS,
    id_field: str = "claim_id",
) -> list[Finding]:
    """Findings in every field of every row, ids included."""
    names, regions = list(names), tuple(regions)
    findings: list[Finding] = []
    for number, row in enumerate(rows, start=1):
        by_field = {
            field: {k for text in _strings(value) for k in find_kinds(text, names, regions)}
            for field, value in row.items()
        }
        row_id = row.get(id_field)
        if by_field.get(id_field) or not isinstance(row_id, str):
            row_id = f"row {number}"  # an id that holds personal data is not repeated
        findings.extend(
            Finding(row_id, field, kind)
            for field, kinds in by_field.items()
            for kind in KINDS
            if kind in kinds
        )
    return findings


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []
