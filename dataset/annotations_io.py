"""Reading annotation snapshots and the adjudication file, checked line by line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dataset.errors import InputError
from dataset.jsonl import read_jsonl

SNAPSHOT_GLOB = "snapshot-*.jsonl"
ADJUDICATION_FILE = "adjudication.jsonl"


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
