"""Deterministic train / validation / test splits, grouped and stratified (sklearn).

A group (an answer by default; a respondent or a document on request) never spans two
splits: its claims share context, so splitting it would leak. ``StratifiedGroupKFold``
keeps label proportions as close as the groups allow.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

SPLITS = ("train", "validation", "test")


def _one_fold(labels: Sequence[str], groups: Sequence[str], fraction: float, seed: int):
    """Indices (rest, held out) with roughly ``fraction`` of the groups held out."""
    n_groups = len(set(groups))
    largest_class = max(Counter(labels).values(), default=0)
    # sklearn needs at least n_splits members in some class and n_splits groups.
    n_splits = min(n_groups, largest_class, round(1 / fraction))
    if n_splits < 2:
        return np.arange(len(labels)), np.array([], dtype=int)
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class has fewer members"
        rest, held = next(splitter.split(np.zeros(len(labels)), labels, groups))
    return rest, held


def grouped_splits(
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    validation: float = 0.15,
    test: float = 0.15,
    seed: int = 13,
) -> list[str]:
    """The split name of each item; items of one group always share a split."""
    assignment = ["train"] * len(labels)
    rest, held = _one_fold(labels, groups, test, seed)
    for i in held:
        assignment[i] = "test"
    rest_labels = [labels[i] for i in rest]
    rest_groups = [groups[i] for i in rest]
    share = validation / (1 - test)
    _, held_val = _one_fold(rest_labels, rest_groups, share, seed + 1)
    for j in held_val:
        assignment[rest[j]] = "validation"
    return assignment
