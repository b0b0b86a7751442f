"""Reference baselines beside the trained model: majority class, TF-IDF + logistic
regression, frozen sentence embeddings (:mod:`models.embed`) + logistic regression; grouped
cross-validation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline

from stancebank.models.folds import grouped_folds

Fit = Callable[[Sequence[str], Sequence[str], int], Callable[[Sequence[str]], list[str]]]


def majority(texts, labels, seed):
    model = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(labels), 1)), labels)
    return lambda new: list(model.predict(np.zeros((len(new), 1))))


def tfidf_lr(texts, labels, seed):
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True),
        LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed),
    ).fit(list(texts), list(labels))
    return lambda new: list(model.predict(list(new)))


def embedding_lr(vectors: dict[str, np.ndarray]) -> Fit:
    """Logistic regression on precomputed embeddings, looked up by text."""

    def fit(texts, labels, seed):
        model = LogisticRegression(max_iter=2000, class_weight="balanced", C=2.0,
                                   random_state=seed)  # fmt: skip
        model.fit(np.stack([vectors[t] for t in texts]), list(labels))
        return lambda new: list(model.predict(np.stack([vectors[t] for t in new])))

    return fit


def grouped_cv(
    fit: Fit,
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    label_names: Sequence[str],
    *,
    seeds: Sequence[int] = (0, 1, 2),
    folds: int = 5,
    extra: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> dict:
    """Macro-F1 mean ± std over ``folds`` grouped, stratified folds × ``seeds``.

    ``extra`` examples (texts, labels) are added to every training fold, never to a test one.
    """
    texts, labels = np.asarray(texts, dtype=object), np.asarray(labels, dtype=object)
    scores = []
    for seed in seeds:
        predicted = np.empty(len(labels), dtype=object)
        folds_of_seed = grouped_folds(labels, groups, seed=seed, folds=folds)
        for train, test in folds_of_seed:
            model = fit([*texts[train], *extra[0]], [*labels[train], *extra[1]], seed)
            predicted[test] = model(list(texts[test]))
        scores.append(f1_score(labels, predicted, labels=list(label_names), average="macro",
                               zero_division=0))  # fmt: skip
    return {
        "macro_f1_mean": round(float(np.mean(scores)), 4),
        "macro_f1_std": round(float(np.std(scores)), 4),
        "seeds": list(seeds),
        "folds": len(folds_of_seed),
    }
