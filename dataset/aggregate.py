"""From many annotations to one stance per claim: latest per annotator, majority, ties."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stancebank.dataset.annotations_io import Adjudication, Annotation


@dataclass(frozen=True)
class ClaimLabel:
    claim_id: str
    stance: str | None
    """The aggregated stance; None for an unresolved tie."""
    aspects: tuple[str, ...]
    votes: tuple[tuple[str, str], ...]
    """``(annotator, stance)`` for each annotator's latest annotation, by annotator."""
    agreement: float
    """Share of annotators whose stance is the final one."""
    adjudicated: bool


def latest_per_annotator(annotations: Iterable[Annotation]) -> dict[str, dict[str, Annotation]]:
    """``{claim_id: {annotator: latest non-cancelled annotation}}``."""
    latest: dict[str, dict[str, Annotation]] = {}
    for annotation in annotations:
        if annotation.was_cancelled:
            continue
        per_claim = latest.setdefault(annotation.claim_id, {})
        current = per_claim.get(annotation.annotator)
        key = (annotation.time, annotation.order)
        if current is None or key >= (current.time, current.order):
            per_claim[annotation.annotator] = annotation
    return latest


def aggregate(
    latest: dict[str, dict[str, Annotation]],
    adjudications: Sequence[Adjudication] = (),
    *,
    aspect_order: Sequence[str] = (),
) -> dict[str, ClaimLabel]:
    """Majority stance per claim; an adjudication decides its claim (ties above all)."""
    decided = {a.claim_id: a.stance for a in adjudications}
    labels: dict[str, ClaimLabel] = {}
    for claim_id, by_annotator in latest.items():
        votes = tuple(sorted((name, a.stance) for name, a in by_annotator.items()))
        counts = Counter(stance for _, stance in votes).most_common()
        tie = len(counts) > 1 and counts[0][1] == counts[1][1]
        stance = decided.get(claim_id) or (None if tie else counts[0][0])
        aspect_votes = Counter(a for ann in by_annotator.values() for a in set(ann.aspects))
        half = len(by_annotator) / 2
        aspects = tuple(a for a in aspect_order if aspect_votes[a] >= half and aspect_votes[a])
        agreement = sum(s == stance for _, s in votes) / len(votes) if stance else 0.0
        labels[claim_id] = ClaimLabel(
            claim_id, stance, aspects, votes, round(agreement, 4), claim_id in decided
        )
    return labels
