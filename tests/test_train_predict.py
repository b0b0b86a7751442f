"""Training a real model on a tiny dataset, then predict and evaluate with it."""

from __future__ import annotations

import json

import pytest

from stancebank.cli import main

pytestmark = pytest.mark.slow


_PLAIN_TRANSFORMERS = """
import json, sys
from transformers import pipeline
from transformers import AutoModelForSequenceClassification
AutoModelForSequenceClassification.from_pretrained(sys.argv[1])  # no remote code either way
classify = pipeline("text-classification", model=sys.argv[1], top_k=None)
rows = classify(sys.argv[2:])
assert not any(name.startswith("stancebank") for name in sys.modules)
print(json.dumps([{r["label"]: r["score"] for r in row} for row in rows]))
"""


def test_trained_folder_is_a_pipeline_ready_model(tiny_model, tiny_dataset, tmp_path):
    """The default model loads in plain transformers, in a process that never imports
    stancebank, and scores exactly as stancebank's own predict does."""
    import subprocess
    import sys

    from datasets import load_from_disk

    from stancebank.models.predict import load_classifier, predict_proba

    model_dir, metrics = tiny_model
    config = json.loads((model_dir / "config.json").read_text())
    names = load_from_disk(str(tiny_dataset))["train"].features["stance"].names
    assert [config["id2label"][str(i)] for i in range(len(names))] == names
    assert (model_dir / "model.safetensors").exists()
    assert "_name_or_path" not in config  # no local path in a published folder
    assert "auto_map" not in config and not list(model_dir.glob("*.py"))  # no code of ours
    texts = ["Cameras make the streets safer.", "Nobody dares to speak freely any more."]
    plain = subprocess.run([sys.executable, "-c", _PLAIN_TRANSFORMERS, str(model_dir), *texts],
                           capture_output=True, text=True, cwd=tmp_path, check=False)  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    theirs = json.loads(plain.stdout.strip().splitlines()[-1])
    ours = predict_proba(load_classifier(str(model_dir), precision="fp32"), texts)
    for row, probs in zip(theirs, ours, strict=True):
        assert set(row) == set(names)
        assert [row[n] for n in names] == pytest.approx(list(probs), abs=1e-5)
    saved = json.loads((model_dir / "metrics.json").read_text())
    assert saved["test"]["n"] == metrics["test"]["n"] > 0
    assert {"majority class", "TF-IDF + logistic regression", "frozen embeddings + LR"} <= set(
        saved["baselines"]
    )
    card = (model_dir / "README.md").read_text()
    assert "model-index:" in card and "macro-F1" in card
    # calibrated on out-of-fold logits of the training items, folded into the weights
    assert saved["training"]["temperature"] > 0 and "temperature of" in card
    assert json.loads((model_dir / "training_args.json").read_text())["stancebank"]["seed"] == 3


def test_predict_then_evaluate(tiny_model, tiny_dataset, tmp_path, capsys, seed_answers):
    from stancebank.dataset.segment import segment_answers

    model_dir, metrics = tiny_model
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps(c) + "\n" for c in segment_answers(seed_answers)))
    preds = tmp_path / "preds.jsonl"
    # float32 so the file matches evaluate's own float32 run label for label (bf16 may flip
    # near-ties of this one-epoch model).
    predict = ["predict", str(model_dir), str(claims), "--out", str(preds)]
    assert main([*predict, "--precision", "fp32"]) == 0
    records = [json.loads(line) for line in preds.read_text().splitlines()]
    assert len(records) == len(claims.read_text().splitlines())
    for record in records:
        assert abs(sum(record["scores"].values()) - 1) < 1e-4
        assert record["label"] == max(record["scores"], key=record["scores"].get)
    capsys.readouterr()
    # The model folder and its own predictions file score the same on the test split.
    assert main(["evaluate", str(model_dir), "--data", str(tiny_dataset)]) == 0
    from_model = json.loads(capsys.readouterr().out)
    assert main(["evaluate", str(preds), "--data", str(tiny_dataset)]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert from_model["macro_f1"] == from_file["macro_f1"] == metrics["test"]["macro_f1"]


@pytest.mark.parametrize(("min_validation", "early"), [(30, False), (4, True)])
def test_early_stopping_only_with_a_validation_split_big_enough_to_pick_an_epoch(
    tmp_path, min_validation, early
):
    from stancebank.models.data import Examples
    from stancebank.models.train import TrainOptions, train_model

    names = ["benefit", "harm", "mixed", "neutral"]
    texts = ["Cameras keep us safe.", "Nothing is private any more.",
             "Safer streets, but no privacy.", "The card is needed for trains."] * 2  # fmt: skip
    labels = names * 2
    validation = Examples(texts[:4], labels[:4], ids=["a", "b", "c", "d"])
    options = TrainOptions(recipe="fine-tune", base_model="all-MiniLM-L6-v2", epochs=2, seed=3,
                           team_examples="",
                           label_descriptions=False, probe_epochs=0, max_length=32)  # fmt: skip
    options.min_validation = min_validation
    info = train_model(texts, labels, validation, names, tmp_path / "model", options)
    assert info["early_stopping"] is early
    assert info["validation_claims"] == 4
    assert (info["best_validation_macro_f1"] is not None) is early
    if not early:
        assert info["epochs_run"] == 2


def test_the_default_model_in_plain_transformers_and_onnx_gives_predicts_labels(
    tiny_model, tmp_path, seed_answers
):
    """The default recipe's folder, loaded by plain ``pipeline`` (no remote code) and
    exported to ONNX, labels the seed's units as ``stancebank predict`` does (at its default
    precision) on at least 99% of them."""
    from transformers import pipeline

    import stancebank
    from stancebank.dataset.segment import segment_answers

    model_dir, _ = tiny_model
    claims = tmp_path / "claims.jsonl"
    units = list(segment_answers(seed_answers))
    claims.write_text("".join(json.dumps(c) + "\n" for c in units))
    exported = stancebank.export(model=model_dir, out=tmp_path / "onnx")
    assert exported.max_logit_difference < 1e-3
    labels = {}
    for name, folder in (("torch", model_dir), ("onnx", exported.out)):
        out = stancebank.predict(model=folder, claims=claims, out=tmp_path / f"{name}.jsonl",
                                 progress=False).out  # fmt: skip
        labels[name] = [json.loads(line)["label"] for line in out.read_text().splitlines()]
    labels["pipeline"] = [r["label"] for r in pipeline("text-classification",
                                                       model=str(model_dir))(
        [u["text"] for u in units]
    )]  # fmt: skip
    for other in ("onnx", "pipeline"):
        same = sum(a == b for a, b in zip(labels["torch"], labels[other], strict=True))
        assert same >= 0.99 * len(units), other


@pytest.mark.slow
def test_the_default_on_the_seed_release_loads_in_plain_transformers_and_onnx(
    tmp_path, seed_answers, seed_project
):
    """The default recipe and encoder (all-mpnet-base-v2) on the seed's release: plain
    ``pipeline`` (no remote code) and the ONNX export label the seed's units as ``stancebank
    predict`` does on at least 99% of them, and the card renders its model-index."""
    from huggingface_hub import ModelCard
    from transformers import pipeline

    import stancebank
    from stancebank.dataset.segment import segment_answers
    from tests.conftest import ROOT

    units = list(segment_answers(seed_answers))
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps(c) + "\n" for c in units))
    built = stancebank.build_release(claims=claims, annotations=ROOT / "dataset" / "annotations",
                                     out=tmp_path / "dataset")  # fmt: skip
    trained = stancebank.train(dataset_dir=built.out, out=tmp_path / "model",
                               options=stancebank.TrainOptions(), cv=False,
                               progress=False)  # fmt: skip
    assert json.loads((trained.out / "config.json").read_text())["architectures"] == [
        "MPNetForSequenceClassification"
    ]
    card = ModelCard.load(trained.out / "README.md")
    assert card.data.eval_results and card.data.eval_results[0].dataset_split == "test"
    exported = stancebank.export(model=trained.out, out=tmp_path / "onnx")
    labels = {}
    for name, folder in (("predict", trained.out), ("onnx", exported.out)):
        out = stancebank.predict(model=folder, claims=claims, out=tmp_path / f"{name}.jsonl",
                                 progress=False).out  # fmt: skip
        labels[name] = [json.loads(line)["label"] for line in out.read_text().splitlines()]
    plain = pipeline("text-classification", model=str(trained.out))
    labels["pipeline"] = [r["label"] for r in plain([u["text"] for u in units])]
    for other in ("onnx", "pipeline"):
        same = sum(a == b for a, b in zip(labels["predict"], labels[other], strict=True))
        assert same >= 0.99 * len(units), (other, same, len(units))
