"""The label names as plain tuples, derived from ``labeling/schema.json`` (the one
declaration, parsed by :mod:`labeling.schema`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from labeling.schema import SCHEMA_PATH, load_schema


@dataclass(frozen=True)
class LabelNames:
    stances: tuple[str, ...]
    """Stance names in ClassLabel order."""
    aspects: tuple[str, ...]
    definitions: tuple[str, ...]


@cache
def label_names(path: Path = SCHEMA_PATH) -> LabelNames:
    schema = load_schema(path)
    return LabelNames(
        stances=tuple(s.value for s in schema.stances),
        aspects=tuple(a.value for a in schema.aspects),
        definitions=tuple(s.definition for s in schema.stances),
    )
