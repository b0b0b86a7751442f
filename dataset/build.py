"""Claims + annotation snapshots → the stance DatasetDict and its build report (pure core).

``dataset_from`` touches no files; :mod:`dataset.release` writes what it returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from datasets import ClassLabel, Dataset, DatasetDict, Features, List, Value

from stancebank.dataset.aggregate import ClaimLabel, aggregate, latest_per_annotator
from stancebank.dataset.agreement import AgreementReport, agreement_report
from stancebank.dataset.annotations_io import Adjudication, Annotation
from stancebank.dataset.errors import InputError
from stancebank.dataset.options import GROUP_BY, BuildOptions
from stancebank.dataset.schema import LabelNames
from stancebank.dataset.splits import SPLITS, grouped_splits

GROUP_KEYS = dict(zip(GROUP_BY, ("answer_id", "respondent", "document_id"), strict=True))


def features_for(labels: LabelNames) -> Features:
    return Features(
        {
            "claim_id": Value("string"),
            "answer_id": Value("string"),
            "question_id": Value("string"),
            "document_id": Value("string"),
            "respondent": Value("string"),
            "text": Value("string"),
            "question": Value("string"),
            "context": Value("string"),
            "language": Value("string"),
            "stance": ClassLabel(names=list(labels.stances)),
            "aspects": List(ClassLabel(names=list(labels.aspects))),
            "n_annotations": Value("int32"),
            "agreement": Value("float32"),
            "annotator_labels": List({"annotator": Value("string"), "stance": Value("string")}),
            "adjudicated": Value("bool"),
        }
    )


@dataclass
class BuildReport:
    claims_in_file: int
    annotations_read: int
    annotations_cancelled: int
    unknown_claim_ids: int
    unannotated_claims: int
    ties_left_out: list[str]
    adjudicated: int
    rows: dict[str, int]
    label_counts: dict[str, dict[str, int]]
    agreement: AgreementReport
    options: BuildOptions
    languages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> BuildReport:
        """The report as ``build_report.json`` holds it (``TypeError`` if it does not fit)."""
        return cls(**{**raw, "agreement": AgreementReport(**raw["agreement"]),
                      "options": BuildOptions(**raw["options"])})  # fmt: skip


def _row(claim: dict, label: ClaimLabel, context: str, labels: LabelNames) -> dict[str, Any]:
    return {
        "claim_id": claim["claim_id"],
        "answer_id": claim["answer_id"],
        "question_id": claim["question_id"],
        "document_id": claim["document_id"],
        "respondent": claim["respondent"],
        "text": claim["text"],
        "question": claim["question"],
        "context": context,
        "language": claim.get("language", "und"),
        "stance": labels.stances.index(label.stance),
        "aspects": [labels.aspects.index(a) for a in label.aspects],
        "n_annotations": len(label.votes),
        "agreement": label.agreement,
        "annotator_labels": [{"annotator": a, "stance": s} for a, s in label.votes],
        "adjudicated": label.adjudicated,
    }


def _counts(rows, assignment, split: str, labels: LabelNames) -> dict[str, int]:
    counts = Counter(
        labels.stances[r["stance"]] for r, s in zip(rows, assignment, strict=True) if s == split
    )
    return {stance: counts[stance] for stance in labels.stances}


def dataset_from(
    claims: Sequence[dict[str, Any]],
    annotations: Sequence[Annotation],
    labels: LabelNames,
    *,
    contexts: dict[str, str],
    adjudications: Sequence[Adjudication] = (),
    options: BuildOptions | None = None,
    annotations_source: str = "annotations",
) -> tuple[DatasetDict, BuildReport]:
    """The DatasetDict (rows in claims-file order) and what the build did.

    Args:
        contexts: ``{answer_id: whole answer text}`` for the ``context`` column.
    """
    options = options or BuildOptions()
    if options.group_by not in GROUP_KEYS:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_KEYS)}")
    known = {c["claim_id"] for c in claims}
    unknown = {a.claim_id for a in annotations} - known
    if annotations and len(unknown) == len({a.claim_id for a in annotations}):
        raise InputError(annotations_source, "no annotation matches a claim in the claims file")
    latest = latest_per_annotator(a for a in annotations if a.claim_id in known)
    final = aggregate(latest, adjudications, aspect_order=labels.aspects)
    labelled = [c for c in claims if c["claim_id"] in final and final[c["claim_id"]].stance]
    rows = [_row(c, final[c["claim_id"]], contexts[c["answer_id"]], labels) for c in labelled]
    key = GROUP_KEYS[options.group_by]
    assignment = grouped_splits(
        [labels.stances[r["stance"]] for r in rows],
        [r[key] for r in rows],
        validation=options.validation,
        test=options.test,
        seed=options.seed,
    )
    features = features_for(labels)
    splits = DatasetDict()
    for name in SPLITS:
        chosen = [r for r, s in zip(rows, assignment, strict=True) if s == name]
        if chosen:  # too few groups can leave a split empty; datasets cannot reload one
            splits[name] = Dataset.from_list(chosen, features=features)
    report = BuildReport(
        claims_in_file=len(claims),
        annotations_read=len(annotations),
        annotations_cancelled=sum(a.was_cancelled for a in annotations),
        unknown_claim_ids=len(unknown),
        unannotated_claims=sum(1 for c in claims if c["claim_id"] not in latest),
        ties_left_out=sorted(c for c, label in final.items() if label.stance is None),
        adjudicated=sum(label.adjudicated for label in final.values()),
        rows={name: assignment.count(name) for name in SPLITS},
        label_counts={name: _counts(rows, assignment, name, labels) for name in SPLITS},
        agreement=agreement_report(latest, labels.stances),
        options=options,
        languages=sorted({r["language"] for r in rows}),
    )
    return splits, report
