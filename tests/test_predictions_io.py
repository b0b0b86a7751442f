"""Predictions files have one reader: the same rules and the same one-line error for every
command that takes one (``label push``, ``evaluate``, ``report``)."""

from __future__ import annotations

import json

import pytest

from stancebank.cli import main
from stancebank.dataset.errors import InputError
from stancebank.dataset.predictions_io import by_key, read_predictions
from stancebank.dataset.schema import load_schema

STANCES = load_schema().stance_values


def _write(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_reads_ids_texts_scores_and_versions(tmp_path):
    path = _write(
        tmp_path / "p.jsonl",
        {"claim_id": "c1", "label": STANCES[0], "scores": {STANCES[0]: 0.8, STANCES[1]: 0.2},
         "model_version": "m1"},
        {"id": 7, "label": STANCES[1], "score": 0.6},
        {"text": "Cameras everywhere.", "label": STANCES[1]},
    )  # fmt: skip
    first, second, third = read_predictions(path, labels=STANCES)
    assert (first.key, first.score, first.model_version, first.line) == ("c1", 0.8, "m1", 1)
    assert (second.key, second.score, second.scores) == ("7", 0.6, None)
    assert (third.key, third.text, third.score) == (None, "Cameras everywhere.", 1.0)
    assert set(by_key([first, second, third])) == {"c1", "7"}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"claim_id": "c1"}, "prediction lacks 'label'"),
        ({"claim_id": "c1", "label": "pro"}, "unknown label 'pro'"),
        ({"label": STANCES[0]}, "prediction lacks 'claim_id' (or 'id' or 'text')"),
        ({"claim_id": "c1", "label": STANCES[0], "scores": {STANCES[0]: "high"}},
         "'scores' must map labels to numbers"),
        ({"claim_id": "c1", "label": STANCES[0], "scores": [0.5]},
         "'scores' must map labels to numbers"),
        ({"claim_id": "c1", "label": STANCES[0], "score": True}, "'score' is not a number"),
        ({"claim_id": "c1", "label": STANCES[0], "model_version": 3},
         "'model_version' is not a string"),
    ],
)  # fmt: skip
def test_each_fault_has_one_message_naming_file_and_line(tmp_path, record, message):
    path = _write(tmp_path / "p.jsonl", {"claim_id": "c0", "label": STANCES[0]}, record)
    with pytest.raises(InputError) as error:
        read_predictions(path, labels=STANCES)
    assert str(error.value).startswith(f"{path}:2: {message}")  # unknown label: + "(known…)"


def test_a_second_prediction_for_a_claim_is_refused(tmp_path):
    path = _write(tmp_path / "p.jsonl", {"claim_id": "c1", "label": STANCES[0]},
                  {"claim_id": "c1", "label": STANCES[1]})  # fmt: skip
    with pytest.raises(InputError, match=r"p.jsonl:2: second prediction for 'c1'"):
        read_predictions(path)


def test_report_and_evaluate_refuse_a_bad_file_with_the_same_line(tmp_path, tiny_dataset, capsys):
    path = _write(tmp_path / "p.jsonl",
                  {"claim_id": "c1", "label": STANCES[0], "scores": {STANCES[0]: "x"}})  # fmt: skip
    commands = [
        [
            "report",
            str(tiny_dataset),
            "--predictions",
            str(path),
            "--out",
            str(tmp_path / "r.html"),
        ],
        ["evaluate", str(path), "--data", str(tiny_dataset)],
    ]
    errors = []
    for command in commands:
        assert main(command) == 2
        errors.append(capsys.readouterr().err.strip())
    assert (
        errors[0]
        == errors[1]
        == (f"stancebank: error: {path}:1: 'scores' must map labels to numbers")
    )
    assert not (tmp_path / "r.html").exists()
