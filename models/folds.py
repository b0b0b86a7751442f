"""Grouped, stratified folds and out-of-fold scores: the one way every recipe calibrates
and cross-validates (no answer, or no team-example setting, on both sides of a fold)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

FOLDS = 5


def grouped_folds(
    targets: Sequence[Any], groups: Sequence[str], *, seed: int, folds: int = FOLDS
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Up to ``folds`` ``(train, test)`` index splits, stratified by ``targets`` and grouped
    by ``groups`` (at least two; fewer groups give fewer folds), shuffled with ``seed``."""
    from sklearn.model_selection import StratifiedGroupKFold

    n = max(2, min(folds, len(set(groups))))
    splitter = StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class has fewer members"
        return list(splitter.split(np.zeros(len(targets)), list(targets), list(groups)))


def out_of_fold(
    targets: Sequence[Any],
    groups: Sequence[str],
    *,
    fit: Callable[[np.ndarray], Any],
    score: Callable[[Any, np.ndarray], np.ndarray],
    seed: int,
) -> np.ndarray:
    """Scores of every item from a model fitted without its group: ``fit(train indices)``
    returns a fitted model (whatever the recipe needs, extras included), ``score(model,
    test indices)`` its scores for those items, one row each."""
    result: np.ndarray | None = None
    for train, test in grouped_folds(targets, groups, seed=seed):
        scores = np.asarray(score(fit(train), test), dtype=np.float32)
        if result is None:
            result = np.zeros((len(targets), scores.shape[1]), dtype=np.float32)
        result[test] = scores
    assert result is not None  # grouped_folds gives at least two folds
    return result
