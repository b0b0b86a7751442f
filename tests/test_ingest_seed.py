"""The shipped interview: 16 answers, continuation paragraphs kept, preface kept out."""

from __future__ import annotations

import json

from stancebank.dataset.interview import parse_file


def test_seed_has_eight_questions_times_two_respondents(seed_answers):
    assert len(seed_answers) == 16
    assert [a["question_index"] for a in seed_answers] == [q for q in range(1, 9) for _ in (1, 2)]
    assert [a["respondent"] for a in seed_answers] == ["R1", "R2"] * 8
    assert len({a["answer_id"] for a in seed_answers}) == 16


def test_seed_is_detected_as_numbered(seed_path):
    layout, _doc = parse_file(seed_path)
    assert layout == "numbered"


def test_continuation_paragraphs_stay_on_their_answer(seed_answers):
    by_id = {a["answer_id"]: a for a in seed_answers}
    q1_r2 = by_id["interview-social-credit-q1-r2"]["text"].split("\n\n")
    assert len(q1_r2) == 3
    assert q1_r2[1].startswith("Particularly to the point of ethnic minorities")
    assert q1_r2[2].startswith("“All nationalities") and q1_r2[2].endswith("prohibited.”")
    q2_r2 = by_id["interview-social-credit-q2-r2"]["text"].split("\n\n")
    assert len(q2_r2) == 4
    assert q2_r2[3].startswith("If the goal is to increase transparency")
    assert "Particularly" not in by_id["interview-social-credit-q2-r1"]["text"]
    # Answer markers are removed, the answer's own text is kept as written.
    assert by_id["interview-social-credit-q6-r2"]["text"].startswith("7 and 8. Answers")
    assert by_id["interview-social-credit-q8-r2"]["text"] == "*anonymized*"


def test_preface_is_context_not_an_answer(seed_answers):
    first = seed_answers[0]
    assert "Iterasjoner" in first["context"]
    assert first["context_language"] == "no"
    assert all("context" not in a for a in seed_answers[1:])
    assert not any("Iterasjoner" in a["text"] or "podcast" in a["text"] for a in seed_answers)
    assert first["text"].startswith("I only know a little")


def test_answers_are_english_and_point_back_to_their_lines(seed_answers, seed_path):
    lines = seed_path.read_text(encoding="utf-8").split("\n")
    for answer in seed_answers:
        assert answer["language"] == "en"
        first_line = lines[answer["line_start"] - 1]
        assert answer["text"].split("\n\n")[0][:30] in first_line
        last_line = lines[answer["line_end"] - 1].strip()
        assert last_line.endswith(answer["text"].split("\n\n")[-1][-30:])


def test_seed_records_serialise_with_the_contract_fields(seed_answers):
    fields = {
        "document_id", "question_id", "question_index", "question", "respondent",
        "answer_id", "text", "source", "line_start", "line_end", "language",
    }  # fmt: skip
    for answer in seed_answers:
        assert fields <= set(answer)
        json.dumps(answer)
