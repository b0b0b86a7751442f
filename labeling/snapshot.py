"""Label Studio tasks → annotation snapshot records (the files themselves are
:mod:`stancebank.dataset.annotations_io`'s).

Annotators become pseudonyms ``A1``, ``A2``, … (``annotators.json``). The mapping is keyed by
a hash of the annotator's e-mail when the pull can see it (so the same person keeps their
pseudonym on another server), else by the server's user id; addresses stay on the server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from stancebank.dataset.annotations_io import AnnotationRecord, Pseudonyms
from stancebank.dataset.schema import Schema
from stancebank.labeling.ls_contract import parse_result


def annotator_key(completed_by: Any, emails: Mapping[int, str] | None = None) -> str:
    """The annotator's identity in the mapping: a hash of their e-mail when known (stable
    across servers; the address itself is never stored), else the server's user id."""
    email = None
    if isinstance(completed_by, Mapping):
        email, completed_by = completed_by.get("email"), completed_by.get("id")
    email = email or (emails or {}).get(completed_by)
    if email:
        return "email-sha256:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
    return f"ls-user-{completed_by}"


class TaskProblem(ValueError):
    """A task or annotation in an export that does not fit the schema."""

    def __init__(self, index: int, message: str) -> None:
        self.index = index
        super().__init__(message)


def records_from_tasks(
    tasks: Iterable[Mapping[str, Any]],
    schema: Schema,
    pseudonyms: Pseudonyms,
    emails: Mapping[int, str] | None = None,
) -> tuple[list[AnnotationRecord], int]:
    """One record per annotation per annotator; returns the records and the number of
    tasks skipped for lacking a ``claim_id``."""
    records: list[AnnotationRecord] = []
    skipped = 0
    for index, task in enumerate(tasks):
        claim_id = (task.get("data") or {}).get("claim_id")
        if not claim_id:
            skipped += 1
            continue
        for annotation in task.get("annotations") or []:
            try:
                parsed = parse_result(schema, annotation.get("result") or [])
            except ValueError as error:
                raise TaskProblem(index, f"task {task.get('id')}: {error}") from None
            records.append(
                AnnotationRecord(
                    claim_id=claim_id,
                    annotator=pseudonyms(annotator_key(annotation.get("completed_by"), emails)),
                    stance=parsed["stance"],
                    aspects=parsed["aspects"],
                    rationale=parsed["rationale"],
                    created_at=annotation.get("created_at"),
                    updated_at=annotation.get("updated_at"),
                    lead_time=annotation.get("lead_time"),
                    was_cancelled=bool(annotation.get("was_cancelled")),
                    ls_project_id=annotation.get("project") or task.get("project"),
                    ls_task_id=task.get("id"),
                    ls_annotation_id=annotation.get("id"),
                )
            )
    records.sort(key=lambda r: (r["ls_task_id"] or 0, r["ls_annotation_id"] or 0))
    return records, skipped
