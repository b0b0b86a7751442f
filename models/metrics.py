"""Classification metrics with sklearn.metrics, and a bootstrap interval for macro-F1."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

TOO_FEW = 30
"""Figures from fewer items than this are marked "too few to judge" in the console, the
metrics and the cards: one claim more or less right moves macro-F1 by several points."""


def too_few(n: int) -> bool:
    return n < TOO_FEW


def judged(n: int) -> str:
    """What the console and the cards add after a figure from ``n`` items."""
    return f" — too few to judge (n {n} < {TOO_FEW})" if too_few(n) else ""


def present_labels(
    gold: Sequence[str], predicted: Sequence[str], order: Sequence[str]
) -> list[str]:
    """The classes that occur in ``gold`` or ``predicted``, in ``order`` (others after).

    Macro-F1 is averaged over these, as sklearn does by default: a class neither in the
    data nor predicted would add a meaningless zero.
    """
    present = set(gold) | set(predicted)
    ordered = [label for label in order if label in present]
    return ordered + sorted(present - set(ordered))


def classification_metrics(
    gold: Sequence[str],
    predicted: Sequence[str],
    labels: Sequence[str],
    *,
    bootstrap: int = 1000,
    seed: int = 0,
) -> dict:
    """``macro_f1``, ``accuracy``, ``n``, ``per_class`` P/R/F1/support, ``confusion_matrix``
    (rows gold, columns predicted, in ``labels`` order) and a 95% bootstrap CI of macro-F1."""
    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    macro = float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0))
    return {
        "macro_f1": round(macro, 4),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "n": len(gold),
        "labels": labels,
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },  # fmt: skip
        "confusion_matrix": confusion_matrix(gold, predicted, labels=labels).tolist(),
        "macro_f1_ci95": bootstrap_ci(gold, predicted, labels, rounds=bootstrap, seed=seed),
        "too_few_to_judge": too_few(len(gold)),
    }


def bootstrap_ci(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str], *, rounds: int, seed: int
) -> list[float] | None:
    """Percentile 95% interval of macro-F1 over ``rounds`` resamples of the examples."""
    if not gold or rounds <= 0:
        return None
    rng = np.random.default_rng(seed)
    gold_a, pred_a = np.asarray(gold), np.asarray(predicted)
    scores = []
    for _ in range(rounds):
        idx = rng.integers(0, len(gold_a), len(gold_a))
        scores.append(
            f1_score(
                gold_a[idx], pred_a[idx], labels=list(labels), average="macro", zero_division=0
            )
        )
    low, high = np.percentile(scores, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def calibration(
    gold: Sequence[str],
    predicted: Sequence[str],
    scores: Sequence[dict[str, float]],
    *,
    labels: Sequence[str] | None = None,
    bins: int = 10,
) -> dict:
    """Expected calibration error of the predicted label's probability, and the reliability
    table behind it (``bins`` equal-width confidence bins).

    With ``labels``, each example's scores are renormalised over those classes first, as
    ``evaluate --labels`` maps predictions into them.
    """
    confidences, correct = [], []
    for g, p, row in zip(gold, predicted, scores, strict=True):
        kept = {k: v for k, v in row.items() if labels is None or k in labels}
        total = sum(kept.values())
        confidences.append(kept.get(p, 0.0) / total if total > 0 else 0.0)
        correct.append(g == p)
    confidences, correct = np.asarray(confidences), np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    interval = ece_interval(confidences, correct, bins=bins)
    table, ece = [], 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidences > low) & (confidences <= high) if low > 0 else confidences <= high
        n = int(inside.sum())
        if not n:
            continue
        accuracy, confidence = float(correct[inside].mean()), float(confidences[inside].mean())
        ece += n / len(correct) * abs(accuracy - confidence)
        table.append(
            {"low": round(float(low), 2), "high": round(float(high), 2), "n": n,
             "accuracy": round(accuracy, 4), "confidence": round(confidence, 4)}
        )  # fmt: skip
    return {"ece": round(float(ece), 4), "ece_ci95": interval, "n": len(correct),
            "bins": table}  # fmt: skip


def ece_interval(
    confidences: np.ndarray,
    correct: np.ndarray,
    *,
    bins: int = 10,
    rounds: int = 1000,
    seed: int = 0,
) -> list[float] | None:
    """A 95% bootstrap interval of the expected calibration error (items resampled with
    replacement, ``rounds`` times, seeded); None with fewer than two items."""
    n = len(correct)
    if n < 2:
        return None
    # the bin of each item: (0, 0.1], (0.1, 0.2], …, with 0 in the first
    which = np.clip(np.ceil(confidences * bins).astype(int) - 1, 0, bins - 1)
    rng = np.random.default_rng(seed)
    samples = rng.integers(0, n, size=(rounds, n))
    errors = np.empty(rounds)
    for r, pick in enumerate(samples):
        gap = np.bincount(which[pick], weights=correct[pick] - confidences[pick], minlength=bins)
        errors[r] = np.abs(gap).sum() / n  # Σ_b n_b/n · |acc_b − conf_b| = Σ_b |Σ(c − p)| / n
    low, high = np.percentile(errors, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def polar_macro_f1(
    gold: Sequence[str], probs: np.ndarray, names: Sequence[str], polar: Sequence[str]
) -> float:
    """Macro-F1 over the ``polar`` classes (benefit, harm) on the examples labelled with one of
    them, each prediction mapped to the better-scoring polar class (``evaluate --labels``)."""
    keep = [i for i, g in enumerate(gold) if g in polar]
    columns = [list(names).index(p) for p in polar]
    predicted = [polar[int(np.argmax(probs[i, columns]))] for i in keep]
    return round(
        float(f1_score([gold[i] for i in keep], predicted, labels=list(polar), average="macro",
                       zero_division=0)), 4,
    )  # fmt: skip
