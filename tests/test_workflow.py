"""``train`` → ``predict`` → ``evaluate`` → ``report`` through the command line on a random
tiny encoder (``fake_encoder``): every file of a model folder, every figure in its metrics,
and the commands agreeing with each other, in the fast lane. What the model knows is the
slow lane's business (tests/test_train_predict.py, tests/test_models_stance.py)."""

from __future__ import annotations

import json

from datasets import load_from_disk

from stancebank.cli import main
from stancebank.dataset.schema import load_schema


def test_train_predict_evaluate_report_on_a_random_tiny_encoder(
    tiny_dataset, fake_encoder, tmp_path, capsys
):
    benefit, harm = load_schema().polar_values
    ood = tmp_path / "ood.csv"
    ood.write_text("text,label\n" + "".join(
        f'"{text}",{label}\n' for text, label in [
            ("Cameras on the platform stopped the pickpockets.", benefit),
            ("The state reads every message, so nobody dares to speak.", harm),
            ("Tracking my phone let the rescue team find me.", benefit),
            ("Every face is scanned and stored without consent.", harm),
        ]
    ))  # fmt: skip
    model = tmp_path / "model"
    argv = ["train", str(tiny_dataset), "--out", str(model), "--base-model", str(fake_encoder),
            "--no-team-examples", "--ood-data", str(ood), "-q"]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    for name in ("config.json", "model.safetensors", "tokenizer.json", "stancebank.json",
                 "training_args.json", "metrics.json", "README.md"):  # fmt: skip
        assert (model / name).is_file(), name
    assert not list(model.glob("*.py"))  # a plain transformers folder: no code of ours in it
    config = json.loads((model / "config.json").read_text())
    assert config["architectures"] == ["BertForSequenceClassification"]
    assert "auto_map" not in config
    metrics = json.loads((model / "metrics.json").read_text())
    facts = json.loads((model / "stancebank.json").read_text())
    assert facts == {"input": "claim", "model_version": metrics["model_version"]}
    assert metrics["training"]["recipe"] == "standard"
    assert {"test", "cv", "ood", "baselines"} <= set(metrics)
    assert metrics["ood"]["n"] == 4 and metrics["ood"]["labels"] == [benefit, harm]
    rows = [r for split in load_from_disk(str(tiny_dataset)).values() for r in split]
    assert metrics["cv"]["n"] == len(rows)  # grouped CV over every release claim
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps({
        "claim_id": r["claim_id"], "answer_id": r["claim_id"], "question_id": r["question_id"],
        "document_id": r["document_id"], "respondent": r["respondent"], "question": r["question"],
        "text": r["text"], "start": 0, "end": len(r["text"]),
    }) + "\n" for r in rows))  # fmt: skip
    preds = tmp_path / "preds.jsonl"
    argv = ["predict", str(model), str(claims), "--out", str(preds), "--precision", "fp32", "-q"]
    assert main(argv) == 0  # float32: a random model is too unsure for bfloat16 to agree
    records = [json.loads(line) for line in preds.read_text().splitlines()]
    assert [r["claim_id"] for r in records] == [r["claim_id"] for r in rows]
    assert {r["model_version"] for r in records} == {metrics["model_version"]}
    assert all(set(r["scores"]) == set(metrics["labels"]) for r in records)
    # plain transformers, no remote code, gives the same labels as predict
    from transformers import pipeline

    plain = pipeline("text-classification", model=str(model))
    assert [p["label"] for p in plain([r["text"] for r in rows])] == [r["label"] for r in records]
    capsys.readouterr()
    # the model and its predictions file score the same on the test split
    assert main(["evaluate", str(model), "--data", str(tiny_dataset)]) == 0
    from_model = json.loads(capsys.readouterr().out)
    assert main(["evaluate", str(preds), "--data", str(tiny_dataset)]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert from_model["macro_f1"] == from_file["macro_f1"] == metrics["test"]["macro_f1"]
    assert from_model["n"] == metrics["test"]["n"] > 0
    report = tmp_path / "report.html"
    argv = ["report", str(tiny_dataset), "--predictions", str(preds), "--out", str(report), "-q"]
    assert main(argv) == 0 and "<html" in report.read_text().lower()
