"""The label schema: ``schema.json`` beside this file is the one declaration of the labels.

Everything that names a stance reads it: the Label Studio XML
(:mod:`stancebank.labeling.ls_contract`), the dataset's ClassLabel and card, a model's
``id2label``, the report's colours. It lives in the core package so that every stage can
read it and the core imports no stage. Plain data and the standard library only.
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
    """One-line meaning, shown to annotators as a hint and used as a training example."""
    colour: str
    """Colour of the stance in charts (a CSS hex colour)."""
    polar: bool
    """True for the two sides (benefit, harm) that a binary benchmark scores."""
    prototype: str
    """A sentence that states the stance in general words: the built-in zero-shot reference
    classifies a claim by its similarity to these (never written from evaluation data)."""


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
    def stance_values(self) -> tuple[str, ...]:
        """Stance names in ClassLabel order."""
        return tuple(s.value for s in self.stances)

    @property
    def aspect_values(self) -> tuple[str, ...]:
        return tuple(a.value for a in self.aspects)

    @property
    def definitions(self) -> tuple[str, ...]:
        """Each stance's definition, in ClassLabel order."""
        return tuple(s.definition for s in self.stances)

    @property
    def colours(self) -> dict[str, str]:
        return {s.value: s.colour for s in self.stances}

    @property
    def polar_values(self) -> tuple[str, ...]:
        """The stances that take a side (benefit, harm), in ClassLabel order."""
        return tuple(s.value for s in self.stances if s.polar)


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


@dataclass(frozen=True)
class LabelNames:
    """The label names as plain tuples, for code that needs only the names."""

    stances: tuple[str, ...]
    """Stance names in ClassLabel order."""
    aspects: tuple[str, ...]
    definitions: tuple[str, ...]


@cache
def label_names(path: str | Path = SCHEMA_PATH) -> LabelNames:
    schema = load_schema(path)
    return LabelNames(
        stances=schema.stance_values, aspects=schema.aspect_values, definitions=schema.definitions
    )
