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
    """As the snapshot has it (``updated_at``, else ``created_at``; "" for neither)."""
    was_cancelled: bool
    order: tuple[int, int]
    """(snapshot index, line): later snapshots and lines win ties on ``time``."""
    time: datetime = datetime.min.replace(tzinfo=timezone.utc)
    """``updated_at`` as a moment (UTC); the earliest possible when there is none."""


_NO_TIME = datetime.min.replace(tzinfo=timezone.utc)


def parse_time(value: str) -> datetime:
    """An ISO-8601 time (``2026-01-02T10:00:00Z``, with or without fractions or an offset;
    a time without an offset is UTC) as an aware datetime; ``ValueError`` otherwise."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class SnapshotSource:
    """Where a snapshot came from (``snapshot-<time>.source.json`` beside it): the project
    of a Label Studio server at the moment of the pull. A later snapshot of the same
    project supersedes it: the project no longer holds what it lacks."""

    server: str
    """The server's URL (as ``label pull`` reached it)."""
    project_id: int

    @property
    def key(self) -> tuple[str, int]:
        return self.server.rstrip("/").lower(), self.project_id


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
    current = current_snapshots(files)
    for file_index, path in enumerate(files):
        records = list(read_jsonl(path))  # read (and checked) even when superseded
        checked = [_annotation(r, path, line, (file_index, line), stances, aspects)
                   for line, r in records]  # fmt: skip
        if path in current:
            annotations.extend(checked)
    return annotations


def source_path(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name.removesuffix(".jsonl") + ".source.json")


def read_source(snapshot: Path) -> SnapshotSource | None:
    """The snapshot's source, or None (a snapshot from a JSON export, written by hand or by
    an older stancebank: it stands on its own)."""
    path = source_path(snapshot)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return SnapshotSource(str(raw["server"]), int(raw["project_id"]))
    except (ValueError, KeyError, TypeError, OSError):
        raise InputError(
            path, "not a snapshot source file written by 'stancebank label pull'"
        ) from None


def current_snapshots(files: Iterable[Path]) -> set[Path]:
    """The snapshots whose annotations count: for each project of a server, its latest pull
    (a release is what the server holds: an annotation deleted since an earlier pull no
    longer votes); every snapshot without a source."""
    latest: dict[tuple[str, int], Path] = {}
    standalone: set[Path] = set()
    for path in sorted(files):
        source = read_source(path)
        if source is None:
            standalone.add(path)
        else:
            latest[source.key] = path  # sorted by name: pull order
    return standalone | set(latest.values())


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
    when = record.get("updated_at") or record.get("created_at")
    moment = _NO_TIME
    if when is not None:
        try:
            moment = parse_time(str(when))
        except ValueError:
            raise InputError(path, f"'{str(when)[:40]}' is not an ISO-8601 time (e.g. "
                             "2026-01-02T10:00:00Z)", line=line) from None  # fmt: skip
    return Annotation(
        claim_id=record["claim_id"],
        annotator=record["annotator"],
        stance=stance,
        aspects=chosen,
        updated_at=str(when or ""),
        was_cancelled=cancelled,
        order=order,
        time=moment,
    )


def annotations_from_records(records: Iterable[AnnotationRecord]) -> list[Annotation]:
    """Snapshot records (as a pull makes them from the server) as annotations, in record
    order."""
    return [
        Annotation(r["claim_id"], r["annotator"], r["stance"], tuple(r["aspects"]),
                   str(r["updated_at"] or r["created_at"] or ""), r["was_cancelled"], (0, i),
                   _server_time(r["updated_at"] or r["created_at"]))
        for i, r in enumerate(records)
    ]  # fmt: skip


def _server_time(value) -> datetime:
    try:
        return parse_time(str(value)) if value else _NO_TIME
    except ValueError:  # Label Studio writes ISO-8601; anything else sorts first
        return _NO_TIME


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
    directory: Path,
    records: Iterable[AnnotationRecord],
    *,
    source: SnapshotSource | None = None,
    now: datetime | None = None,
) -> Path:
    """A new ``snapshot-<UTC time>.jsonl`` in ``directory`` (never replacing an existing
    file), and beside it the project it came from, when it came from a server."""
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
        if source is not None:
            atomic_write_text(source_path(path), json.dumps(
                {"server": source.server, "project_id": source.project_id}) + "\n")  # fmt: skip
        return path
    raise FileExistsError(f"too many snapshots named snapshot-{stamp}* in {directory}")
