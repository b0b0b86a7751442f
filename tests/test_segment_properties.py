"""Invariants of segmentation on arbitrary text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stancebank.dataset.segment import segment_answer

_WORDS = st.sampled_from(
    ["cameras", "but", "however", "Mr.", "f.eks.", "I", "think", "it", "is", "bad", "good",
     "7", "and", "8.", "*anonymized*", "safety", "privacy", "etc.", "(see", "above)", "“trust”"]
)  # fmt: skip
_PUNCT = st.sampled_from(["", ".", ",", ";", "?", "!", ":", " ", "\n\n", "\n", "  "])
_TEXT = st.one_of(
    st.text(min_size=0, max_size=300),
    st.lists(st.tuples(_WORDS, _PUNCT), max_size=60).map(
        lambda pairs: " ".join(w + p for w, p in pairs)
    ),
)


def _answer(text: str, language: str = "en") -> dict:
    return {
        "answer_id": "doc-q1-r1", "question_id": "doc-q1", "document_id": "doc",
        "respondent": "R1", "question": "Q?", "text": text, "language": language,
    }  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["en", "no"]))
def test_offsets_reproduce_text_and_units_are_ordered(text, language):
    claims = segment_answer(_answer(text, language))
    previous_end = 0
    for index, claim in enumerate(claims):
        assert claim["index"] == index
        assert text[claim["start"] : claim["end"]] == claim["text"]
        assert claim["text"].strip() == claim["text"] != ""
        assert claim["start"] >= previous_end  # never overlap
        previous_end = claim["end"]
    assert len({c["claim_id"] for c in claims}) == len(claims)
    # Every non-space character lands in some unit: segmentation drops nothing.
    covered = set()
    for claim in claims:
        covered.update(range(claim["start"], claim["end"]))
    assert all(ch.isspace() for i, ch in enumerate(text) if i not in covered)


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_ids_are_a_function_of_the_answer(text):
    first = [c["claim_id"] for c in segment_answer(_answer(text))]
    assert first == [c["claim_id"] for c in segment_answer(_answer(text))]
