"""The default recipe (standard): logistic regression on the frozen encoder's pooled
sentences, saved as a plain transformers model, calibrated by grouped folds."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from stancebank.cli import main
from stancebank.models.options import TrainOptions
from stancebank.models.sentence_head import calibration_groups, fit_logistic, logits


def _softmax(x):
    e = np.exp(x - x.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


@pytest.mark.parametrize("classes", [[0, 1, 2, 3], [0, 3]])
def test_the_output_layer_gives_sklearns_probabilities(classes):
    """Multinomial and binary fits, and a class absent from training never wins."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 8)).astype(np.float32)
    y = np.array([classes[i % len(classes)] for i in range(60)])
    x[np.arange(60), y] += 2.0  # separable-ish
    head = fit_logistic(x, y, 4, TrainOptions(head_c=2.0))
    reference = LogisticRegression(C=2.0, class_weight="balanced", max_iter=5000).fit(x, y)
    probs = _softmax(logits(x, head))
    assert probs[:, classes] == pytest.approx(reference.predict_proba(x), abs=1e-5)
    absent = [c for c in range(4) if c not in classes]
    assert not np.isin(probs.argmax(1), absent).any()


def test_calibration_folds_hold_out_whole_settings():
    groups = calibration_groups(
        ["answer-1", "answer-1", "answer-2"],
        ["q", "q", "q", "Should cities install CCTV?", "Should cities install CCTV?", "", ""],
        3,
    )
    assert groups[:3] == ["answer-1", "answer-1", "answer-2"]
    assert groups[3] == groups[4] == "question:Should cities install CCTV?"
    assert len({groups[5], groups[6]}) == 2  # no question: each example on its own


@pytest.mark.slow
def test_the_saved_model_is_the_regression_on_the_pooled_sentences(tmp_path):
    """Uncalibrated, the saved model's probabilities are scikit-learn's on the pooling
    layer's sentences, which for a BERT encoder (no relative-position bias) are its
    mean-pooled embeddings, centred and L2-normalised: the head reads what the encoder was
    trained to give, not the first token — in a folder plain transformers loads."""
    import numpy as np
    from transformers import pipeline

    from stancebank.models.base import resolve_base_model
    from stancebank.models.embed import Embedder
    from stancebank.models.predict import load_classifier, predict_proba
    from stancebank.models.train import train_model

    texts = ["Cameras keep us safe.", "Nothing is private any more.",
             "Safer streets, but no privacy.", "The card is needed for trains.",
             "Police find stolen bikes thanks to the cameras.", "They read all our messages.",
             "It helps a bit and hurts a bit.", "I study in Beijing."]  # fmt: skip
    labels = ["benefit", "harm", "mixed", "neutral"] * 2
    names = ["benefit", "harm", "mixed", "neutral"]
    options = TrainOptions(base_model="all-MiniLM-L6-v2", calibrate=False, team_examples="")
    info = train_model(texts, labels, None, names, tmp_path / "m", options, progress=False)
    assert info["recipe"] == "standard" and info["temperature"] == 1.0
    embedder = Embedder(resolve_base_model("all-MiniLM-L6-v2"))
    mean = embedder(texts)
    centred = mean - mean.mean(axis=1, keepdims=True)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    embedder = Embedder(resolve_base_model("all-MiniLM-L6-v2"))
    embedder.add_pooling_layer()
    pooled = embedder.pooled(texts)
    assert np.abs(pooled - centred).max() < 5e-4
    reference = LogisticRegression(C=2.0, class_weight="balanced", max_iter=5000)
    reference.fit(pooled, labels)
    ours = predict_proba(load_classifier(str(tmp_path / "m"), precision="fp32"), texts)
    order = [list(reference.classes_).index(n) for n in names]
    assert ours == pytest.approx(reference.predict_proba(pooled)[:, order], abs=1e-4)
    plain = pipeline("text-classification", model=str(tmp_path / "m"), top_k=None)
    for row, scores in zip(ours, plain(texts), strict=True):
        by_label = {s["label"]: s["score"] for s in scores}
        assert [by_label[n] for n in names] == pytest.approx(list(row), abs=1e-5)


@pytest.mark.parametrize(
    ("flags", "expect"),
    [
        (["--epochs", "3"], "--epochs: applies to --recipe fine-tune"),
        (["--question-pair", "--probe-epochs", "0"], "--probe-epochs, --question-pair"),
        (["--head-c", "0"], "--head-c: 0.0: must be above 0"),
    ],
)
def test_options_the_recipe_would_ignore_are_refused(flags, expect, tiny_dataset, tmp_path,
                                                     capsys):  # fmt: skip
    out = tmp_path / "model"
    status = main(["train", str(tiny_dataset), "--out", str(out), *flags])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and expect in err, err
    assert not out.exists()
