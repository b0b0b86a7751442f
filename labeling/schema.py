"""The label schema: ``schema.json`` beside this file is the one declaration of the labels.

The Label Studio XML (:mod:`labeling.ls_contract`), the dataset's ClassLabel and a model's
``id2label`` are all derived from it (the dataset and models through
:func:`dataset.labels.label_names`). Plain data and the standard library only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("schema.json")


@dataclass(frozen=True)
class Stance:
    value: str
    """Label name as stored in snapshots, the dataset and ``id2label``."""
    hotkey: str
    """Key that picks this stance in Label Studio."""
    definition: str
    """One-line meaning, shown to annotators as a hint."""


@dataclass(frozen=True)
class Aspect:
    value: str
    title: str


@dataclass(frozen=True)
class Schema:
    stance_name: str
    stances: tuple[Stance, ...]
    aspect_name: str
    aspects: tuple[Aspect, ...]
    rationale_name: str

    @property
    def stance_values(self) -> list[str]:
        """Stance names in ClassLabel order."""
        return [s.value for s in self.stances]


@cache
def load_schema(path: str | Path = SCHEMA_PATH) -> Schema:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return Schema(
        stance_name=raw["stance"]["name"],
        stances=tuple(Stance(**label) for label in raw["stance"]["labels"]),
        aspect_name=raw["aspects"]["name"],
        aspects=tuple(Aspect(**label) for label in raw["aspects"]["labels"]),
        rationale_name=raw["rationale"]["name"],
    )
