"""Each supported layout, on small interviews written by the team."""

from __future__ import annotations

import json

import pytest

from stancebank.dataset.interview import ingest_files, parse_file
from tests.conftest import INTERVIEWS


@pytest.mark.parametrize(
    ("name", "layout", "n_answers", "respondents"),
    [
        ("qa-city-cameras.txt", "qa", 2, {"R1"}),
        ("speaker-library.txt", "speaker", 4, {"R1", "R2"}),
        ("markdown-workplace.md", "markdown", 4, {"R1", "R2"}),
        ("survey-answers.csv", "csv", 4, {"R1", "R2"}),
        ("survey-answers.jsonl", "jsonl", 3, {"R1", "R2"}),
        ("numbered-plain.txt", "numbered", 4, {"R1", "R2"}),
        ("numbered-norsk.txt", "numbered", 4, {"R1", "R2"}),
    ],
)
def test_layout_is_detected_and_parsed(name, layout, n_answers, respondents):
    detected, _doc = parse_file(INTERVIEWS / name)
    assert detected == layout
    answers = ingest_files([INTERVIEWS / name])
    assert len(answers) == n_answers
    assert {a["respondent"] for a in answers} == respondents


def test_qa_unprefixed_paragraph_continues_the_answer():
    answers = ingest_files([INTERVIEWS / "qa-city-cameras.txt"])
    assert answers[0]["text"].endswith("\n\nHonestly I feel a bit safer at night because of them.")
    assert answers[0]["context"].startswith("Notes from a street interview")
    assert answers[1]["question"] == "Would you want more of them?"


def test_speaker_names_never_reach_the_output():
    answers = ingest_files([INTERVIEWS / "speaker-library.txt"])
    blob = repr(answers)
    for name in ("Maria", "Lindqvist", "Tom", "Becker"):
        assert name not in blob
    assert answers[0]["respondent"] == "R1"  # first to speak
    assert "R1 does not like being filmed" in answers[0]["text"]
    assert answers[0]["text"].endswith("It felt like they did not trust us.")
    assert answers[0]["question"].startswith("What did you think")


def test_markdown_headings_are_questions_and_bold_labels_speakers():
    answers = ingest_files([INTERVIEWS / "markdown-workplace.md"])
    assert [a["question_index"] for a in answers] == [1, 1, 2, 2]
    assert answers[0]["question"] == "How is your work tracked?"
    assert answers[0]["text"].split("\n\n")[1].startswith("The dashboard")
    # P2 speaks first under question 2 but was second to appear in the document.
    assert answers[2]["respondent"] == "R2"
    assert "P1" not in repr(answers) and "P2" not in repr(answers)


def test_csv_keeps_multiline_answers_and_their_line_span():
    answers = ingest_files([INTERVIEWS / "survey-answers.csv"])
    last = answers[-1]
    expected = "Parents should be able to ask for it.\n\nThat would keep the school honest."
    assert last["text"] == expected
    assert (last["line_start"], last["line_end"]) == (5, 7)
    assert "Anna" not in repr(answers) and "Ahmed" not in repr(answers)


def test_numbered_without_indentation_tells_questions_from_answers():
    answers = ingest_files([INTERVIEWS / "numbered-plain.txt"])
    assert [a["question_index"] for a in answers] == [1, 1, 2, 2]
    assert answers[2]["question"].startswith("Would you accept them")
    assert answers[3]["text"].startswith("Only if someone independent")


def test_norwegian_interview_with_abbreviations():
    answers = ingest_files([INTERVIEWS / "numbered-norsk.txt"])
    assert {a["language"] for a in answers} == {"no"}
    assert answers[1]["text"].endswith("\n\nDet bør være strengere regler, bl.a. om sletting.")


def test_legacy_encoding_is_decoded_when_unambiguous():
    answers = ingest_files([INTERVIEWS / "numbered-latin1.txt"])
    assert "økonomien" in answers[0]["text"] and answers[0]["question"].endswith("overvåking?")


def test_two_files_become_two_documents():
    files = [INTERVIEWS / "qa-city-cameras.txt", INTERVIEWS / "survey-answers.csv"]
    answers = ingest_files(files, ids=["cams", "survey"])
    assert {a["document_id"] for a in answers} == {"cams", "survey"}
    assert [a["respondent"] for a in answers if a["document_id"] == "survey"][:2] == ["R1", "R2"]


def test_document_ids_come_from_contents_never_from_file_names(tmp_path):
    from stancebank.dataset.interview import document_ids

    named = tmp_path / "kari-nordmann-interview.txt"
    named.write_bytes((INTERVIEWS / "qa-city-cameras.txt").read_bytes())
    copy = tmp_path / "copy.txt"
    copy.write_bytes(named.read_bytes())
    answers = ingest_files([named, copy])
    assert not [a for a in answers if "kari" in json.dumps(a).lower()]
    ids = document_ids([named, copy])
    assert ids[0].startswith("doc-") and ids[1] == ids[0] + "-2"
    assert {a["source"] for a in answers} == set(ids)
