"""Inter-annotator agreement: Krippendorff's alpha (``krippendorff``), Cohen's kappa per
pair (``sklearn``), per-label specific agreement, per-annotator counts."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from stancebank.dataset.annotations_io import Annotation


@dataclass
class AgreementReport:
    annotators: list[str]
    units: int
    """Claims with at least two annotators (the ones agreement is computed on)."""
    alpha: float | None
    """Krippendorff's alpha, nominal; None with fewer than two annotators on any claim."""
    observed: float | None
    """Share of annotator pairs on the same claim that agree."""
    pairwise_kappa: dict[str, float | None] = field(default_factory=dict)
    per_label: dict[str, float | None] = field(default_factory=dict)
    """Specific agreement per label: 2·agreeing pairs / all pair-slots that used the label."""
    per_annotator: dict[str, dict[str, int]] = field(default_factory=dict)


def _clean(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def agreement_report(
    latest: dict[str, dict[str, Annotation]], stances: Sequence[str]
) -> AgreementReport:
    annotators = sorted({name for per_claim in latest.values() for name in per_claim})
    per_annotator = {
        name: dict(Counter(
            per_claim[name].stance for per_claim in latest.values() if name in per_claim
        ))
        for name in annotators
    }  # fmt: skip
    shared = {c: v for c, v in sorted(latest.items()) if len(v) >= 2}
    report = AgreementReport(annotators, len(shared), None, None, per_annotator=per_annotator)
    if not shared:
        return report
    code = {stance: i for i, stance in enumerate(stances)}
    matrix = np.full((len(annotators), len(shared)), np.nan)
    for j, per_claim in enumerate(shared.values()):
        for i, name in enumerate(annotators):
            if name in per_claim:
                matrix[i, j] = code[per_claim[name].stance]
    if len({v for v in matrix[~np.isnan(matrix)]}) > 1:
        report.alpha = _clean(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        )
    elif matrix.size:
        report.alpha = 1.0  # everyone used one label and agreed; alpha is undefined (0/0)
    agree = pairs = 0
    used: Counter[str] = Counter()
    agreed: Counter[str] = Counter()
    for per_claim in shared.values():
        for a, b in itertools.combinations(sorted(per_claim), 2):
            sa, sb = per_claim[a].stance, per_claim[b].stance
            pairs += 1
            used[sa] += 1
            used[sb] += 1
            if sa == sb:
                agree += 1
                agreed[sa] += 2
    report.observed = round(agree / pairs, 4)
    report.per_label = {s: (round(agreed[s] / used[s], 4) if used[s] else None) for s in stances}
    for a, b in itertools.combinations(annotators, 2):
        both = [c for c in shared.values() if a in c and b in c]
        key = f"{a}-{b}"
        if len(both) < 2:
            report.pairwise_kappa[key] = None
            continue
        ya = [c[a].stance for c in both]
        yb = [c[b].stance for c in both]
        kappa = 1.0 if ya == yb else cohen_kappa_score(ya, yb, labels=list(stances))
        report.pairwise_kappa[key] = _clean(kappa)
    return report
