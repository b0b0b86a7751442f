"""Label Studio tasks → annotation snapshot records, and writing a snapshot that never
overwrites an earlier one.

Annotators become pseudonyms ``A1``, ``A2``, … through a mapping kept in
``annotators.json`` beside the snapshots (never published). The mapping is keyed by a hash
of the annotator's e-mail when the pull can see it (so the same person keeps their
pseudonym on another server), else by the server's user id; addresses stay on the server.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypedDict

from dataset.jsonl import atomic_write_text, dumps_jsonl
from labeling.ls_contract import parse_result
from labeling.schema import Schema

ANNOTATORS_FILE = "annotators.json"


class AnnotationRecord(TypedDict):
    """One record of an annotations snapshot (see DESIGN.md)."""

    claim_id: str
    annotator: str
    stance: str | None
    aspects: list[str]
    rationale: str
    created_at: str | None
    updated_at: str | None
    lead_time: float | None
    was_cancelled: bool
    ls_project_id: int | None
    ls_task_id: int
    ls_annotation_id: int


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


class Pseudonyms:
    """Stable ``A1``, ``A2``, … per annotator, persisted in a mapping file."""

    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self.mapping = dict(mapping or {})

    @classmethod
    def load(cls, directory: Path) -> Pseudonyms:
        path = directory / ANNOTATORS_FILE
        return cls(json.loads(path.read_text(encoding="utf-8")) if path.exists() else None)

    def save(self, directory: Path) -> None:
        atomic_write_text(directory / ANNOTATORS_FILE, json.dumps(self.mapping, indent=1) + "\n")

    def __call__(self, key: str) -> str:
        if key not in self.mapping:
            self.mapping[key] = f"A{len(self.mapping) + 1}"
        return self.mapping[key]


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


def write_snapshot(
    directory: Path, records: Iterable[AnnotationRecord], *, now: datetime | None = None
) -> Path:
    """A new ``snapshot-<UTC time>.jsonl`` in ``directory``; never replaces an existing file."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    body = dumps_jsonl(records)
    # "_2" sorts after "." so a listing by name is in pull order.
    for suffix in ["", *(f"_{n}" for n in range(2, 1000))]:
        path = directory / f"snapshot-{stamp}{suffix}.jsonl"
        if path.exists():
            continue
        tmp = directory / f".{path.name}.tmp"
        atomic_write_text(tmp, body)
        try:
            os.link(tmp, path)  # fails if another pull took the name meanwhile
        except FileExistsError:
            continue
        finally:
            tmp.unlink(missing_ok=True)
        return path
    raise FileExistsError(f"too many snapshots named snapshot-{stamp}* in {directory}")
