"""Several stance models side by side on the same items: macro-F1 with a bootstrap interval,
and paired tests against the first model (paired bootstrap of the macro-F1 difference, and
McNemar's exact test on the items one gets right and the other wrong)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import binomtest
from sklearn.metrics import f1_score

from stancebank.models.metrics import bootstrap_ci


@dataclass(frozen=True)
class ComparisonRow:
    model: str
    macro_f1: float
    macro_f1_ci95: list[float] | None
    accuracy: float
    n: int
    delta: float | None
    """macro-F1 minus the first model's (None for the first)."""
    p_bootstrap: float | None
    """Two-sided paired-bootstrap p-value of that difference."""
    p_mcnemar: float | None
    """McNemar's exact two-sided p-value against the first model."""


def _macro(gold, predicted, labels) -> float:
    return float(f1_score(gold, predicted, labels=list(labels), average="macro", zero_division=0))


def paired_bootstrap(gold, first, other, labels, *, rounds: int = 1000, seed: int = 0) -> float:
    """Two-sided p-value that ``other``'s macro-F1 differs from ``first``'s, by resampling
    items (the same resample for both)."""
    rng = np.random.default_rng(seed)
    gold, first, other = np.asarray(gold), np.asarray(first), np.asarray(other)
    diffs = []
    for _ in range(rounds):
        idx = rng.integers(0, len(gold), len(gold))
        diffs.append(_macro(gold[idx], other[idx], labels) - _macro(gold[idx], first[idx], labels))
    diffs = np.asarray(diffs)
    return round(float(min(1.0, 2 * min((diffs <= 0).mean(), (diffs >= 0).mean()))), 4)


def mcnemar(gold, first, other) -> float:
    """McNemar's exact test (binomial on the discordant items)."""
    first_right = np.asarray(first) == np.asarray(gold)
    other_right = np.asarray(other) == np.asarray(gold)
    b = int((first_right & ~other_right).sum())
    c = int((~first_right & other_right).sum())
    if b + c == 0:
        return 1.0
    return round(float(binomtest(min(b, c), b + c, 0.5).pvalue), 4)


def compare(
    gold: Sequence[str],
    predictions: Sequence[tuple[str, Sequence[str]]],
    labels: Sequence[str],
    *,
    rounds: int = 1000,
    seed: int = 0,
) -> list[ComparisonRow]:
    """One row per ``(model name, predicted labels)``, in order; tests against the first."""
    rows: list[ComparisonRow] = []
    first_f1, first = None, None
    for name, predicted in predictions:
        f1 = round(_macro(gold, predicted, labels), 4)
        accuracy = round(float(np.mean(np.asarray(predicted) == np.asarray(gold))), 4)
        ci = bootstrap_ci(gold, predicted, labels, rounds=rounds, seed=seed)
        if first is None:
            first_f1, first = f1, predicted
            rows.append(ComparisonRow(name, f1, ci, accuracy, len(gold), None, None, None))
            continue
        rows.append(ComparisonRow(
            name, f1, ci, accuracy, len(gold), round(f1 - first_f1, 4),
            paired_bootstrap(gold, first, predicted, labels, rounds=rounds, seed=seed),
            mcnemar(gold, first, predicted),
        ))  # fmt: skip
    return rows


def markdown_table(rows: Sequence[ComparisonRow], *, data: str, labels: Sequence[str]) -> str:
    first = rows[0].model
    lines = [
        "# Stance models compared",
        "",
        f"- data: `{data}` ({rows[0].n} items; macro-F1 over {', '.join(labels)})",
        f"- tests against the first model, `{first}`: paired bootstrap of the macro-F1 "
        "difference (1,000 resamples) and McNemar's exact test",
        "",
        "| model | macro-F1 | 95% CI | accuracy | Δ macro-F1 | p (bootstrap) | p (McNemar) |",
        "|---|---|---|---|---|---|---|",
    ]

    def fmt(value, pattern="{:.3f}"):
        return "—" if value is None else pattern.format(value)

    for r in rows:
        ci = "—" if not r.macro_f1_ci95 else f"{r.macro_f1_ci95[0]:.3f}–{r.macro_f1_ci95[1]:.3f}"
        lines.append(
            f"| `{r.model}` | {r.macro_f1:.3f} | {ci} | {r.accuracy:.3f} | "
            f"{fmt(r.delta, '{:+.3f}')} | {fmt(r.p_bootstrap)} | {fmt(r.p_mcnemar)} |"
        )
    return "\n".join(lines) + "\n"


def as_dicts(rows: Sequence[ComparisonRow]) -> list[dict]:
    return [asdict(r) for r in rows]
