"""The label names, read from ``labeling/schema.json`` (plain data, the one declaration)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "labeling" / "schema.json"


@dataclass(frozen=True)
class LabelNames:
    stances: tuple[str, ...]
    """Stance names in ClassLabel order."""
    aspects: tuple[str, ...]
    aspect_titles: tuple[str, ...]
    definitions: tuple[str, ...]


@cache
def label_names(path: Path = SCHEMA_FILE) -> LabelNames:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return LabelNames(
        stances=tuple(label["value"] for label in raw["stance"]["labels"]),
        aspects=tuple(label["value"] for label in raw["aspects"]["labels"]),
        aspect_titles=tuple(label["title"] for label in raw["aspects"]["labels"]),
        definitions=tuple(label["definition"] for label in raw["stance"]["labels"]),
    )
