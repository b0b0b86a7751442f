"""Norwegian, Bokmål and Nynorsk (reported as ``no``). English contrast words count too:
Norwegian interviews quote English often."""

from __future__ import annotations

from stancebank.dataset.languages import Language

LANGUAGE = Language(
    code="no",
    name="Norwegian",
    codes=("no", "nb", "nn"),
    abbreviations=frozenset(
        {
            "kl.",
            "ca.",
            "f.eks.",
            "bl.a.",
            "nr.",
            "dvs.",
            "osv.",
            "mht.",
            "evt.",
            "pga.",
            "jf.",
            "ifm.",
            "iht.",
            "mv.",
            "m.m.",
            "o.l.",
            "ev.",
            "bl.",
            "t.d.",
            "m.a.",
            "kr.",
            "st.",
        }
    ),  # fmt: skip
    # sentencex takes "det." and "i." for abbreviations: "… vet ikke om det. Jeg …" and
    # "… er glad i. Personvern …" stayed one sentence
    sentence_ends=("det", "i", "seg", "meg", "deg", "oss", "dem", "den", "til", "på", "om",
                   "med", "av", "ut", "inn", "her", "der", "nå", "da", "så", "ikke"),  # fmt: skip
    contrast_words=("but", "men"),
    contrast_after_semicolon=("however", "likevel"),
    not_contrast_after=("også", "ikke"),
    correlative=("not only", "ikke bare"),
    question_labels=("Spørsmål", "Sp", "Spm"),
    answer_labels=("Svar", "Sv"),
    interviewer_words=frozenset({"intervjuer", "programleder", "journalist", "vert"}),
    placeholders=("anonymisert", "fjernet", "sladdet"),
    pointers=(
        r"^(?:se)\s+(?:over|ovenfor|nedenfor|svaret|spørsmål \d+)\b",
        r"\b(?:står|finnes|finner du) (?:over|ovenfor|nedenfor|tidligere)\W*$",
    ),
    common_name_words=frozenset(
        {
            "liv",
            "dag",
            "siv",
            "tor",
            "stein",
            "bjorn",
            "ask",
            "sol",
            "var",
            "rune",
            "kai",
            "berg",
            "dal",
            "strand",
            "vik",
            "bakke",
            "haug",
            "lund",
            "holm",
            "eng",
            "as",
            "bo",
            "by",
            "ro",
            "li",
            "sand",
            "lia",
            "moe",
            "foss",
            "fjell",
            "hauge",
            "viken",
            "dahl",
            "ek",
            "alm",
            "per",
        }
    ),  # fmt: skip
    regions=("NO",),
)
