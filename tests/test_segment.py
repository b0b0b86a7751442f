"""Segmentation of the seed against the team's gold, and the rules on top of sentencex."""

from __future__ import annotations

import pytest

from stancebank.dataset.segment import segment_answer, unit_kind, unit_spans
from stancebank.dataset.segment_eval import locate, read_gold, score
from tests.conftest import FIXTURES

GOLD = FIXTURES / "seed_gold_segmentation.txt"


def _all_claims(answers):
    return [claim for answer in answers for claim in segment_answer(answer)]


def test_gold_covers_every_seed_answer(seed_answers):
    gold = read_gold(GOLD)
    assert set(gold) == {a["answer_id"] for a in seed_answers}
    assert 50 <= sum(len(units) for units in gold.values()) <= 110


def test_boundary_f1_on_the_seed_gold(seed_answers):
    texts = {a["answer_id"]: a["text"] for a in seed_answers}
    gold = {k: locate(texts[k], [t for t, _ in v]) for k, v in read_gold(GOLD).items()}
    result = score(texts, gold, unit_spans)
    print(f"boundary P={result.precision:.3f} R={result.recall:.3f} F1={result.f1:.3f}")
    assert result.f1 >= 0.90


@pytest.mark.parametrize(("language", "joiner"), [("no", " "), ("zh", "")])
def test_boundary_f1_on_the_norwegian_and_chinese_gold(language, joiner):
    """Team-written answers (an answer's text is its gold units joined), at least 40 units
    each: abbreviations (kl., ca., f.eks., nr.), "men" and 但是 clauses, correlatives (ikke
    bare … men også, 不仅 … 而且), decimals, quotes and ellipses."""
    gold = read_gold(FIXTURES / f"gold_segmentation_{language}.txt")
    assert sum(len(units) for units in gold.values()) >= 40
    texts = {k: joiner.join(t for t, _ in v) for k, v in gold.items()}
    spans = {k: locate(texts[k], [t for t, _ in v]) for k, v in gold.items()}
    result = score(texts, spans, lambda text: unit_spans(text, language))
    print(f"{language}: boundary P={result.precision:.3f} R={result.recall:.3f} F1={result.f1:.3f}")
    assert result.f1 >= 0.95


def test_unit_kinds_match_the_gold(seed_answers):
    gold = read_gold(GOLD)
    predicted = {c["text"]: c["unit"] for c in _all_claims(seed_answers)}
    for units in gold.values():
        for text, kind in units:
            if text in predicted:
                assert predicted[text] == kind, text


def test_seed_claims_have_exact_offsets_and_count(seed_answers):
    claims = _all_claims(seed_answers)
    assert 50 <= len(claims) <= 110
    by_answer = {a["answer_id"]: a for a in seed_answers}
    for claim in claims:
        assert by_answer[claim["answer_id"]]["text"][claim["start"] : claim["end"]] == claim["text"]
    assert len({c["claim_id"] for c in claims}) == len(claims)


def test_claim_ids_are_stable_and_survive_edits_elsewhere(seed_answers):
    first = [c["claim_id"] for c in _all_claims(seed_answers)]
    assert first == [c["claim_id"] for c in _all_claims(seed_answers)]
    answer = dict(seed_answers[0])
    before = {c["text"]: c["claim_id"] for c in segment_answer(answer)}
    answer["text"] = "A new opening sentence. " + answer["text"]
    after = {c["text"]: c["claim_id"] for c in segment_answer(answer)}
    assert all(after[text] == claim_id for text, claim_id in before.items())


def test_contrastive_marker_splits_but_correlatives_do_not():
    text = "People in general would not protest in big settings, but they have learned to hide."
    assert [text[s:e] for s, e in unit_spans(text)] == [
        "People in general would not protest in big settings,",
        "but they have learned to hide.",
    ]
    correlative = "It changes not only behavior, but also thought, and that scares me a lot."
    assert len(unit_spans(correlative)) == 1
    short = "It is fine, but no."
    assert len(unit_spans(short)) == 1


def test_norwegian_abbreviations_do_not_end_a_unit():
    text = "Det er bra, f.eks. på stasjoner om natta. Det hjelper bl.a. de som går alene."
    assert [text[s:e] for s, e in unit_spans(text, "no")] == [
        "Det er bra, f.eks. på stasjoner om natta.",
        "Det hjelper bl.a. de som går alene.",
    ]


def test_non_argument_units():
    for text in ("*anonymized*", "7 and 8.", "Answers for this can be found above.", "[redacted]"):
        assert unit_kind(text) == "non_argument", text
    for text in ("I highly doubt it.", "As stated above, the police target petitioners."):
        assert unit_kind(text) == "claim", text


def test_units_never_cross_a_paragraph():
    text = "First paragraph ends here\n\nsecond one starts lower case."
    spans = unit_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "First paragraph ends here",
        "second one starts lower case.",
    ]
