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
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers
from stdnum import iban
from stdnum.cn import ric
from stdnum.no import fodselsnummer
from stdnum.se import personnummer
from stdnum.us import ssn

from stancebank.dataset.names import NamePattern, contains_name

KINDS = ("email", "phone", "national_id", "iban", "address", "url", "handle", "name")

_TLD = (
    r"(?:com|org|net|edu|gov|mil|int|info|biz|io|ai|co|me|tv|app|dev|no|uk|cn|se|dk|de|fr|"
    r"nl|es|it|us|ca|au|nz|jp|kr|in|ru|ch|at|be|fi|pl|is|ie|pt|eu|hk|tw|sg)"
)
_EMAILS = (
    # plain, and with spaces around its signs: "kari@uio.no", "kari @ uio . no"
    re.compile(r"[\w.+-]+\s?@\s?[\w-]+(?:\s?\.\s?[\w-]+)+"),
    # written out: "kari at uio dot no", "kari (at) uio (dot) no", "kari[at]uio.no"; not
    # "look at this dot com"
    re.compile(
        r"(?<![\w.])[\w.+-]+\s*(?:[(\[{<]\s*at\s*[)\]}>]|\s(?:at|AT)\s)\s*"
        r"(?!(?:this|that|the|a|an|my|your|our|their|his|her|its|home|work|least|most|all)\b)"
        r"[\w-]+"
        r"(?:\s*(?:\.|[(\[{<]\s*dot\s*[)\]}>]|\s(?:dot|DOT)\s)\s*[\w-]+)*"
        rf"\s*(?:\.|[(\[{{<]\s*dot\s*[)\]}}>]|\s(?:dot|DOT)\s)\s*{_TLD}(?!\w|\.\w)",
        re.I,
    ),
)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w@.])[\w-]+\.(?:com|org|net|no|uk|cn|io|edu|gov)/\S*", re.I
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_.]{2,}(?![\w@])(?!\s?\.\s?[A-Za-z])")
"""A social-media handle, "@kari_nordmann85" (not an e-mail's @)."""
_EDGE = r"(?<![0-9A-Za-z-])"
_END = r"(?![0-9A-Za-z-])"
# Candidates, each confirmed by its checksum (or, for US SSNs, the number rules), found in
# any script's context (a resident ID inside Chinese prose has no word boundary).
_NATIONAL_IDS = (
    (re.compile(rf"{_EDGE}\d{{6}} ?\d{{5}}{_END}"), fodselsnummer.is_valid),
    (re.compile(rf"{_EDGE}\d{{6}} ?\d{{8}} ?\d{{3}}[\dXx]{_END}"), ric.is_valid),
    (re.compile(rf"{_EDGE}(?:\d{{2}})?\d{{6}}[-+]\d{{4}}{_END}"), personnummer.is_valid),
    (re.compile(rf"{_EDGE}\d{{3}}([- ])\d{{2}}\1\d{{4}}{_END}"), ssn.is_valid),
)
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])"
)

_CAP = r"[A-ZÆØÅ][\w'’.-]*"
_NO_SUFFIX = (
    r"(?:gata|gate|gaten|veien|vegen|vei|veg|allé|alle|plass|stien|bakken|torget|ringen|svingen)"
)
_EN_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
    r"Way|Terrace|Parkway|Pkwy|Highway|Hwy|Square|Sq|Crescent|Close|Gardens|Row|Mews|Hill)"
)
_EN_STREET = (
    r"(?:street|avenue|road|boulevard|lane|drive|terrace|parkway|highway|crescent|gardens|mews)"
)
_NOT_A_STREET_NAME = (
    r"(?!(?:the|a|an|of|on|in|at|to|per|every|each|our|my|his|her|their|its|this|that|more|"
    r"new|old|and|or|by|for|from|with|one|two|three|is|was|were|are)\b)"
)
_ADDRESS = (
    # Norwegian: "Storgata 12", "Kirkeveien 64B", "Karl Johans gate 22", "Bygdøy allé 5"
    # (house numbers of up to three digits, so "Watergate 1972" is not an address)
    re.compile(rf"\b(?:{_CAP}\s+){{0,2}}[A-ZÆØÅ]\w*{_NO_SUFFIX}\s+\d{{1,3}}\s?[A-Za-z]?\b"),
    re.compile(
        rf"\b(?:{_CAP}\s+)?[A-ZÆØÅ][\w'’.-]*s\s+(?:gate|gata|vei|veien|veg|vegen|plass)"
        rf"\s+\d{{1,3}}\s?[A-Za-z]?\b"
    ),
    re.compile(rf"\b(?:{_CAP}\s+){{1,2}}(?:allé|alle)\s+\d{{1,3}}\s?[A-Za-z]?\b"),
    # the same written in lower case: "storgata 12", "karl johans gate 22" (house numbers
    # of up to three digits, so "Watergate 1972" is not an address)
    re.compile(rf"(?<![\w-])[^\W\d_]{{2,}}{_NO_SUFFIX}\s+\d{{1,3}}\s?[a-z]?(?![\w])", re.I),
    re.compile(
        r"(?<![\w-])(?!(?:its|this|his|was|is|has|as|us)\b)[^\W\d_]{2,}s\s+"
        r"(?:gate|gata|vei|veien|veg|vegen|plass|allé|alle)\s+\d{1,3}\s?[a-z]?(?![\w])",
        re.I,
    ),
    # a P.O. box: "Postboks 1234 Sentrum", "P.O. Box 77"
    re.compile(r"(?<![\w])(?:postboks|post\s+office\s+box|p\.?\s?o\.?\s?box|pob)\s*\d{1,6}", re.I),
    # UK and US: "221B Baker Street", "1600 Pennsylvania Avenue NW", "350 Fifth Ave"; not
    # after a year ("In 2019 Party Way …") and not with an article ("3 The Long Road")
    re.compile(
        rf"(?<!\b[Ii]n )(?<!\b[Bb]y )(?<!\b[Ss]ince )\b\d{{1,5}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?"
        rf"(?!The\b|A\b|An\b)(?:{_CAP}\s+){{1,3}}{_EN_SUFFIX}\b"
    ),
    # the same in lower case, with the street word written out: "10 downing street"
    re.compile(
        rf"(?<![\w.,])(?<!\bin )(?<!\bby )(?<!\bsince )\d{{1,5}}[a-z]?\s+"
        rf"(?:{_NOT_A_STREET_NAME}[a-z]+\s+){{1,2}}{_EN_STREET}\b",
        re.I,
    ),
    # a full UK postcode: "SW1A 1AA", "M1 1AE", "EH8 8DX" (also in lower case)
    re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"),
    re.compile(r"(?<![\w-])[a-z]{1,2}\d[a-z\d]?\s\d[abd-hjlnp-uw-z]{2}(?![\w-])"),
    # a US city, state and ZIP: "Washington, DC 20500", "Springfield, IL 62704-1234"
    re.compile(rf"\b{_CAP},\s+[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?\b"),
    # a Norwegian postcode and place after a comma: ", 0107 Oslo"
    re.compile(r",\s*\d{4}\s+[A-ZÆØÅ][a-zæøå]{2,}"),
    # Chinese: "中关村大街1号", "建国路88号", "3号楼", "5单元", "海淀区…路"
    re.compile(r"[\u4e00-\u9fff]{1,12}(?:路|街|大街|大道|巷|胡同|弄|里)\s*\d{1,5}\s*号"),
    re.compile(r"\d{1,5}\s*(?:号楼|栋|幢|单元|室)"),
    re.compile(
        r"[\u4e00-\u9fff]{1,6}(?:省|市)[\u4e00-\u9fff]{1,6}(?:区|县)[\u4e00-\u9fff]{1,12}(?:路|街|道|巷|村|镇|乡)"
    ),
)

DEFAULT_REGIONS = ("US", "GB", "NO", "CN")
"""Looked for whenever a release declares no regions of its own (``publish --region``)."""


def regions_for(languages: Iterable[str], declared: Iterable[str] = ()) -> tuple[str, ...]:
    """Phone regions to look for: the declared ones (``--region``, the project's), those of
    the languages in the data, and, when none is declared, :data:`DEFAULT_REGIONS` too (a
    Norwegian number in an English answer is still a number)."""
    from stancebank.dataset.languages import regions_of

    declared = {r.upper() for r in declared}
    found = regions_of(languages)
    return tuple(sorted(found | declared | (set() if declared else set(DEFAULT_REGIONS))))


def check_region(region: str) -> str:
    """A region code phonenumbers knows (``NO``, ``CN``, ``GB`` …), in capitals."""
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"'{region}' is not a region code (two letters, e.g. NO, CN, GB, US)")
    return code


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
    """The kinds of personal data in ``text``, in :data:`KINDS` order. Numbers and signs are
    read in NFKC (fullwidth digits and ``＠`` as plain ones), names in the folded view of
    :mod:`stancebank.dataset.names`."""
    found = set()
    if contains_name(text, names):
        found.add("name")
    text = unicodedata.normalize("NFKC", text)
    if any(pattern.search(text) for pattern in _EMAILS):
        found.add("email")
    if any(ok(m.group().replace(" ", "")) for pattern, ok in _NATIONAL_IDS
           for m in pattern.finditer(text)):  # fmt: skip
        found.add("national_id")
    if any(iban.is_valid(m.group()) for m in _IBAN.finditer(text)):
        found.add("iban")
    if any(pattern.search(text) for pattern in _ADDRESS):
        found.add("address")
    if _URL.search(text):
        found.add("url")
    if _HANDLE.search(text):
        found.add("handle")
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
