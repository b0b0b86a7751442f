"""The Label Studio contract without a server: config, tasks, results, snapshots."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from stancebank.dataset.annotations_io import Pseudonyms, write_snapshot
from stancebank.dataset.claims_io import answer_texts
from stancebank.dataset.schema import load_schema
from stancebank.labeling.ls_contract import (
    annotation_result,
    answer_html,
    label_config,
    parse_result,
    prediction_for,
)
from stancebank.labeling.snapshot import records_from_tasks

SCHEMA = load_schema()


def test_config_declares_every_stance_with_its_hotkey():
    root = ET.fromstring(label_config(SCHEMA))
    stance = root.find(".//Choices[@name='stance']")
    assert stance.get("choice") == "single" and stance.get("required") == "true"
    assert [(c.get("value"), c.get("hotkey")) for c in stance] == [
        ("benefit", "1"), ("harm", "2"), ("mixed", "3"), ("neutral", "4")
    ]  # fmt: skip
    aspects = root.find(".//Choices[@name='aspects']")
    assert aspects.get("choice") == "multiple" and len(aspects) == len(SCHEMA.aspects)
    assert root.find(".//HyperText[@name='answer']").get("value") == "$answer_html"


def test_result_round_trip():
    result = annotation_result(SCHEMA, "mixed", aspects=["privacy", "economy_cost"], rationale="r")
    assert parse_result(SCHEMA, result) == {
        "stance": "mixed", "aspects": ["privacy", "economy_cost"], "rationale": "r"
    }  # fmt: skip
    with pytest.raises(ValueError, match="unknown stance"):
        parse_result(SCHEMA, annotation_result(SCHEMA, "benefit")[:0] + [
            {"from_name": "stance", "type": "choices", "value": {"choices": ["great"]}}
        ])  # fmt: skip


def test_prediction_contract():
    prediction = prediction_for(SCHEMA, "harm", score=0.8, model_version="v1")
    assert prediction["model_version"] == "v1" and prediction["score"] == 0.8
    assert prediction["result"][0] == {
        "from_name": "stance", "to_name": "claim", "type": "choices",
        "value": {"choices": ["harm"]},
    }  # fmt: skip


def test_answer_is_rebuilt_from_units_with_exact_offsets(seed_answers):
    from stancebank.dataset.segment import segment_answers

    claims = list(segment_answers(seed_answers))
    texts = answer_texts(claims)
    for claim in claims:
        assert texts[claim["answer_id"]][claim["start"] : claim["end"]] == claim["text"]
    html = answer_html("A <b>. Claim & more.\n\nNext.", 7, 20)
    assert html == "<p>A &lt;b&gt;. <mark>Claim &amp; more.</mark></p><p>Next.</p>"


def _task(task_id, user, *, stance="harm", email=None):
    completed_by = {"id": user, "email": email} if email else user
    return {
        "id": task_id, "project": 1, "data": {"claim_id": f"c{task_id}"},
        "annotations": [{"id": task_id * 10, "completed_by": completed_by,
                         "result": annotation_result(SCHEMA, stance), "was_cancelled": False,
                         "created_at": "t", "updated_at": "t", "lead_time": 2.5}],
    }  # fmt: skip


def test_annotators_keep_their_pseudonym_across_servers_by_email():
    pseudonyms = Pseudonyms()
    first, _ = records_from_tasks([_task(1, 2)], SCHEMA, pseudonyms, {2: "Ann@Example.org"})
    # On another server the same person has another id; a stranger has the old id.
    second, _ = records_from_tasks(
        [_task(2, 7), _task(3, 2)], SCHEMA, pseudonyms, {7: "ann@example.org", 2: "bo@x.org"}
    )
    assert first[0]["annotator"] == second[0]["annotator"] == "A1"
    assert second[1]["annotator"] == "A2"
    assert "example.org" not in json.dumps(pseudonyms.mapping)


def test_snapshots_never_overwrite(tmp_path):
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    first = write_snapshot(tmp_path, [], now=now)
    second = write_snapshot(tmp_path, [], now=now)
    assert first.name == "snapshot-20260102T030405Z.jsonl"
    assert second.name == "snapshot-20260102T030405Z_2.jsonl"
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name, second.name]


def test_task_shows_respondent_and_question_number():
    from stancebank.labeling.ls_contract import task_for

    claim = {"claim_id": "d-q3-r2-abc", "answer_id": "d-q3-r2", "question_id": "d-q3",
             "document_id": "d", "respondent": "R2", "question": "Why?", "text": "Because.",
             "start": 5, "end": 13}  # fmt: skip
    data = task_for(claim, "Yes. Because. No.")["data"]
    assert data["heading"] == "Respondent R2 · question 3"
    assert data["answer_html"] == "<p>Yes. <mark>Because.</mark> No.</p>"
    assert data["claim"] == "Because." and data["question"] == "Why?"


def test_review_config_lists_every_guideline_rule_and_is_keyed_by_votes():
    from stancebank.dataset.schema import load_schema
    from stancebank.labeling.review import guideline_rules, review_config, votes_key

    rules = guideline_rules()
    assert [n for n, _ in rules] == [str(i) for i in range(1, len(rules) + 1)] and len(rules) >= 12
    config = review_config(load_schema(), rules)
    assert all(f"Rule {n}: " in config for n, _ in rules)
    vote = {"ls_annotation_id": 1, "stance": "harm", "updated_at": "t1", "created_at": "t0",
            "annotator": "A1"}  # fmt: skip
    other = {**vote, "ls_annotation_id": 2, "stance": "benefit", "annotator": "A2"}
    assert votes_key([vote, other]) == votes_key([other, {**vote, "annotator": "A9"}])
    assert votes_key([vote, other]) != votes_key([vote, {**other, "updated_at": "t2"}])
