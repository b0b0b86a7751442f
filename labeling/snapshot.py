"""Label Studio tasks → annotation snapshot records (the files themselves are
:mod:`stancebank.dataset.annotations_io`'s).

Annotators become pseudonyms ``A1``, ``A2``, … (``annotators.json``). The mapping is keyed by
a hash of the annotator's e-mail when the pull can see it (so the same person keeps their
pseudonym on another server), else by the server's user id; addresses stay on the server.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stancebank.dataset.annotations_io import AnnotationRecord, Pseudonyms
from stancebank.dataset.errors import InputError
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


def snapshot_records(
    tasks: Iterable[Mapping[str, Any]],
    schema: Schema,
    pseudonyms: Pseudonyms,
    emails: Mapping[int, str] | None,
    *,
    source: str,
) -> tuple[list[AnnotationRecord], int]:
    """:func:`records_from_tasks`, with a task that does not fit the schema reported as bad
    input named by ``source`` (the export file, or the project)."""
    try:
        return records_from_tasks(tasks, schema, pseudonyms, emails)
    except TaskProblem as problem:
        raise InputError(source, str(problem)) from None


def read_export(path: Path) -> list[dict[str, Any]]:
    """The tasks of a JSON export downloaded from Label Studio's UI."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a Label Studio JSON export") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(path, f"not a Label Studio JSON export ({error})") from None
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise InputError(path, "not a Label Studio JSON export (expected a list of tasks)")
    return data
