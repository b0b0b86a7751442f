"""``label push``: bring claims (and pre-annotations) into a project, adding only what
the server does not hold yet. Nothing on the server is altered or deleted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancebank.dataset.claims_io import answer_texts
from stancebank.dataset.errors import InputError
from stancebank.dataset.predictions_io import Prediction
from stancebank.dataset.schema import Schema
from stancebank.labeling import client as ls
from stancebank.labeling.ls_contract import label_config, prediction_for, task_for
from stancebank.labeling.options import DEFAULT_ORDER

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio


@dataclass
class PushReport:
    project_id: int
    project_created: bool
    claims: int
    skipped_non_arguments: int
    already_there: int
    imported: int
    predictions_added: int


def preannotations(
    predictions: Iterable[Prediction], schema: Schema, *, source: Path
) -> dict[str, dict[str, Any]]:
    """``{claim_id: Label Studio prediction}``; the model version is the line's
    ``model_version``, else the predictions file's name."""
    prepared: dict[str, dict[str, Any]] = {}
    for p in predictions:
        if p.key is None:
            raise InputError(source, "prediction lacks 'claim_id'", line=p.line)
        version = p.model_version or source.stem
        prepared[p.key] = prediction_for(schema, p.label, score=p.score, model_version=version)
    return prepared


def select_claims(
    claims: Sequence[dict[str, Any]], *, include_non_arguments: bool
) -> tuple[list[dict[str, Any]], int]:
    if include_non_arguments:
        return list(claims), 0
    kept = [c for c in claims if c.get("unit", "claim") != "non_argument"]
    return kept, len(claims) - len(kept)


def new_tasks(
    claims: Sequence[dict[str, Any]],
    all_claims: Sequence[dict[str, Any]],
    existing: dict[str, int],
    predictions: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Tasks for the claims the server does not hold, each with its prediction if any."""
    texts = answer_texts(all_claims)
    tasks = []
    for claim in claims:
        if claim["claim_id"] in existing:
            continue
        task = task_for(claim, texts[claim["answer_id"]])
        if claim["claim_id"] in predictions:
            task["predictions"] = [predictions[claim["claim_id"]]]
        tasks.append(task)
    return tasks


def uncertainty_order(tasks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks by their prediction's (calibrated) score, lowest first; unpredicted ones last."""

    def score(task: dict[str, Any]) -> float:
        found = task.get("predictions") or []
        return float(found[0]["score"]) if found else float("inf")

    return sorted(tasks, key=score)


def push_lock(url: str, title: str):
    """One push at a time per server and project title, across processes on this machine,
    so two pushes at once make one project and import each claim once."""
    import hashlib

    from filelock import FileLock

    from stancebank.labeling.paths import cache_dir

    locks = cache_dir() / "locks"
    locks.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = hashlib.sha256(f"{url}\0{title}".encode()).hexdigest()[:24]
    return FileLock(locks / f"push-{key}.lock")


def push(
    client: LabelStudio,
    claims: Sequence[dict[str, Any]],
    *,
    title: str,
    schema: Schema,
    predictions: dict[str, dict[str, Any]] | None = None,
    include_non_arguments: bool = False,
    order: str = DEFAULT_ORDER,
    progress: Callable[[int], None] = lambda n: None,
    on_total: Callable[[int], None] = lambda n: None,
) -> PushReport:
    """Import what the server lacks. ``order="uncertainty"`` imports new tasks lowest
    prediction score first and switches the project to Label Studio's uncertainty sampling
    (1.23.2 serves the task whose prediction of the project's model version has the lowest
    score), so annotators get the claims the model is least sure of first."""
    predictions = predictions or {}
    project, created = ls.get_or_create_project(client, title, label_config(schema))
    selected, skipped = select_claims(claims, include_non_arguments=include_non_arguments)
    existing = {} if created else ls.existing_tasks(client, project.id)
    tasks = new_tasks(selected, claims, existing, predictions)
    if order == "uncertainty":
        tasks = uncertainty_order(tasks)
    on_total(len(tasks))
    imported = ls.import_tasks(client, project.id, tasks, progress=progress)
    added = 0
    if predictions and existing:
        have = ls.predicted_versions(client, project.id)
        missing = [
            (existing[claim_id], prediction)
            for claim_id, prediction in predictions.items()
            if claim_id in existing
            and (existing[claim_id], prediction["model_version"]) not in have
        ]
        added = ls.add_predictions(client, project.id, missing)
    if predictions:  # the file's (most common) version becomes the one Label Studio shows
        versions = Counter(p["model_version"] for p in predictions.values())
        ls.set_model_version(client, project.id, versions.most_common(1)[0][0])
    if order == "uncertainty":
        ls.set_sampling(client, project.id, ls.UNCERTAINTY_SAMPLING)
    return PushReport(
        project_id=project.id,
        project_created=created,
        claims=len(selected),
        skipped_non_arguments=skipped,
        already_there=len(selected) - len(tasks),
        imported=imported,
        predictions_added=added + sum(1 for t in tasks if "predictions" in t),
    )
