"""An annotations folder: the one reader and writer of its snapshots (``snapshot-*.jsonl``,
one new file per pull, never overwritten), its annotator pseudonyms (``annotators.json``,
never published) and its adjudication file, checked line by line."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TypedDict

from stancebank.dataset.errors import InputError
from stancebank.dataset.jsonl import atomic_write_text, dumps_jsonl, read_jsonl

SNAPSHOT_GLOB = "snapshot-*.jsonl"
ADJUDICATION_FILE = "adjudication.jsonl"
ANNOTATORS_FILE = "annotators.json"


class AnnotationRecord(TypedDict):
    """One record of an annotations snapshot: one annotator's latest annotation of one claim
    at the time of the pull; ``annotator`` is a pseudonym (e-mail addresses stay on the
    server)."""

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


@dataclass(frozen=True)
class Annotation:
    claim_id: str
    annotator: str
    stance: str | None
    aspects: tuple[str, ...]
    updated_at: str
    was_cancelled: bool
    order: tuple[int, int]
    """(snapshot index, line): later snapshots and lines win ties on ``updated_at``."""


@dataclass(frozen=True)
class Adjudication:
    claim_id: str
    stance: str
    note: str


def read_snapshots(
    directory: str | Path, *, stances: tuple[str, ...], aspects: tuple[str, ...]
) -> list[Annotation]:
    """Every annotation in every ``snapshot-*.jsonl`` of ``directory``, oldest file first.

    Raises:
        InputError: no such directory, no snapshots, a record without its fields, or a
            stance/aspect the schema does not know (naming the file and line).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "annotations directory does not exist")
    files = sorted(directory.glob(SNAPSHOT_GLOB))
    if not files:
        raise InputError(directory, f"no annotation snapshots ({SNAPSHOT_GLOB}) in the directory")
    annotations: list[Annotation] = []
    for file_index, path in enumerate(files):
        for line, record in read_jsonl(path):
            annotations.append(
                _annotation(record, path, line, (file_index, line), stances, aspects)
            )
    return annotations


def _annotation(record, path, line, order, stances, aspects) -> Annotation:
    for key in ("claim_id", "annotator"):
        if not isinstance(record.get(key), str):
            raise InputError(path, f"annotation lacks '{key}'", line=line)
    cancelled = bool(record.get("was_cancelled"))
    stance = record.get("stance")
    if not cancelled and stance not in stances:
        raise InputError(
            path, f"unknown stance '{stance}' (known: {', '.join(stances)})", line=line
        )
    chosen = tuple(record.get("aspects") or ())
    unknown = [a for a in chosen if a not in aspects]
    if unknown:
        raise InputError(path, f"unknown aspect '{unknown[0]}'", line=line)
    return Annotation(
        claim_id=record["claim_id"],
        annotator=record["annotator"],
        stance=stance,
        aspects=chosen,
        updated_at=str(record.get("updated_at") or record.get("created_at") or ""),
        was_cancelled=cancelled,
        order=order,
    )


def annotations_from_records(records: Iterable[AnnotationRecord]) -> list[Annotation]:
    """Snapshot records (as a pull makes them) as annotations, in record order."""
    return [
        Annotation(r["claim_id"], r["annotator"], r["stance"], tuple(r["aspects"]),
                   str(r["updated_at"] or r["created_at"] or ""), r["was_cancelled"], (0, i))
        for i, r in enumerate(records)
    ]  # fmt: skip


def read_adjudication(directory: str | Path, *, stances: tuple[str, ...]) -> list[Adjudication]:
    """``adjudication.jsonl`` (``{claim_id, stance, note}`` per line) if present, else []."""
    path = Path(directory) / ADJUDICATION_FILE
    if not path.exists():
        return []
    decisions = []
    for line, record in read_jsonl(path):
        if not isinstance(record.get("claim_id"), str):
            raise InputError(path, "adjudication lacks 'claim_id'", line=line)
        if record.get("stance") not in stances:
            raise InputError(path, f"unknown stance '{record.get('stance')}'", line=line)
        decisions.append(Adjudication(record["claim_id"], record["stance"], record.get("note", "")))
    return decisions


def merge_review_adjudications(directory: str | Path, decisions: list[dict]) -> int:
    """Write the review project's current decisions into ``adjudication.jsonl``: earlier
    review decisions (lines with a ``votes_key``) are replaced, since a claim relabelled
    after review no longer has a valid one; lines written by hand are kept and win over a
    review decision for the same claim. Returns the number of review decisions written."""
    path = Path(directory) / ADJUDICATION_FILE
    kept = [r for _, r in read_jsonl(path) if "votes_key" not in r] if path.exists() else []
    by_hand = {r.get("claim_id") for r in kept}
    added = [d for d in decisions if d["claim_id"] not in by_hand]
    if not kept and not added and not path.exists():
        return 0
    atomic_write_text(path, dumps_jsonl([*kept, *added]))
    return len(added)


class Pseudonyms:
    """Stable ``A1``, ``A2``, … per annotator, persisted in a mapping file."""

    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self.mapping = dict(mapping or {})

    @classmethod
    def load(cls, directory: Path) -> Pseudonyms:
        path = directory / ANNOTATORS_FILE
        if not path.exists():
            return cls()
        try:
            mapping = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as error:
            raise InputError(path, f"not a pseudonym map ({type(error).__name__})") from None
        valid = isinstance(mapping, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        )
        if not valid or len(set(mapping.values())) != len(mapping):
            raise InputError(
                path, 'not a pseudonym map (expected {"annotator e-mail": "A1", ...}, unique)'
            )
        return cls(mapping)

    def save(self, directory: Path) -> None:
        atomic_write_text(directory / ANNOTATORS_FILE, json.dumps(self.mapping, indent=1) + "\n")

    def __call__(self, key: str) -> str:
        if key not in self.mapping:
            self.mapping[key] = f"A{len(self.mapping) + 1}"
        return self.mapping[key]


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
