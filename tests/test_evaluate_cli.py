"""``stancebank evaluate`` on labelled files with a predictions JSONL as the model."""

from __future__ import annotations

import json

from stancebank.cli import main


def _files(tmp_path):
    data = tmp_path / "claims.csv"
    data.write_text(
        "id,text,label\n"
        "1,Cameras keep us safe.,benefit\n"
        "2,They watch everyone who protests.,harm\n"
        "3,I live abroad.,neutral\n"
        "4,Banks can lend to more people.,benefit\n"
    )
    preds = tmp_path / "preds.jsonl"
    rows = [
        {"id": "1", "label": "benefit", "scores": {"benefit": 0.7, "harm": 0.2, "neutral": 0.1}},
        {"id": "2", "label": "neutral", "scores": {"benefit": 0.1, "harm": 0.4, "neutral": 0.5}},
        {"id": "3", "label": "neutral", "scores": {"benefit": 0.2, "harm": 0.1, "neutral": 0.7}},
        {"id": "4", "label": "harm", "scores": {"benefit": 0.3, "harm": 0.6, "neutral": 0.1}},
    ]
    preds.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return data, preds


def test_evaluate_csv_with_labels(tmp_path, capsys):
    data, preds = _files(tmp_path)
    out = tmp_path / "eval"
    assert main(["evaluate", str(preds), "--data", str(data), "--labels", "benefit,harm",
                 "--out", str(out)]) == 0  # fmt: skip
    metrics = json.loads(capsys.readouterr().out)
    # Row 3 (neutral) is dropped; row 2's "neutral" becomes its best listed class, harm.
    # gold b h b / pred b h h: benefit P=1 R=1/2 F1=2/3; harm P=1/2 R=1 F1=2/3.
    assert metrics["n"] == 3 and metrics["labels"] == ["benefit", "harm"]
    assert metrics["macro_f1"] == 0.6667 and metrics["accuracy"] == 0.6667
    assert metrics["confusion_matrix"] == [[1, 1], [0, 1]]
    assert (out / "report.md").read_text().count("macro-F1") == 1
    assert (out / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"
    assert len((out / "predictions.jsonl").read_text().splitlines()) == 3


def test_evaluate_all_classes(tmp_path, capsys):
    data, preds = _files(tmp_path)
    assert main(["evaluate", str(preds), "--data", str(data)]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["n"] == 4 and metrics["accuracy"] == 0.5
    assert set(metrics["per_class"]) == {"benefit", "harm", "neutral"}


def test_bad_labelled_file(tmp_path, capsys):
    data = tmp_path / "bad.csv"
    data.write_text("text,stance\nx,harm\n")
    assert main(["evaluate", "whatever", "--data", str(data)]) == 2
    assert f"{data}:1: missing column 'label'" in capsys.readouterr().err
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "a", "label": "harm"}\n{"text": "", "label": "harm"}\n')
    assert main(["evaluate", "whatever", "--data", str(rows)]) == 2
    assert f"{rows}:2: missing or empty 'text'" in capsys.readouterr().err


def test_missing_prediction_is_named(tmp_path, capsys):
    data, preds = _files(tmp_path)
    preds.write_text(preds.read_text().splitlines()[0] + "\n")
    assert main(["evaluate", str(preds), "--data", str(data)]) == 2
    assert "no prediction for '2'" in capsys.readouterr().err
