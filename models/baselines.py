"""Reference baselines beside the fine-tuned model: majority class, TF-IDF + logistic
regression, frozen sentence embeddings + logistic regression; grouped cross-validation."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline

Fit = Callable[[Sequence[str], Sequence[str], int], Callable[[Sequence[str]], list[str]]]


def embed(texts: Sequence[str], model_path: str, *, batch_size: int = 64) -> np.ndarray:
    """Mean-pooled, L2-normalised sentence embeddings (the all-MiniLM recipe)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModel.from_pretrained(model_path).eval()
    out = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            enc = tokenizer(list(texts[start : start + batch_size]), padding=True,
                            truncation=True, max_length=128, return_tensors="pt")  # fmt: skip
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
    return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)


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
    folds = max(2, min(folds, len(set(groups))))
    scores = []
    for seed in seeds:
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        predicted = np.empty(len(labels), dtype=object)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "least populated class has fewer members"
            folds_of_seed = list(splitter.split(texts, labels, groups))
        for train, test in folds_of_seed:
            model = fit([*texts[train], *extra[0]], [*labels[train], *extra[1]], seed)
            predicted[test] = model(list(texts[test]))
        scores.append(f1_score(labels, predicted, labels=list(label_names), average="macro",
                               zero_division=0))  # fmt: skip
    return {
        "macro_f1_mean": round(float(np.mean(scores)), 4),
        "macro_f1_std": round(float(np.std(scores)), 4),
        "seeds": list(seeds),
        "folds": folds,
    }
