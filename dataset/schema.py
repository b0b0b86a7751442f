"""The label schema: the stances and aspects annotators choose from, for one stance target.

Everything that names a stance reads it: the Label Studio XML
(:mod:`stancebank.labeling.ls_contract`), the dataset's ClassLabel and card, a model's
``id2label``, the zero-shot prototypes, the report's colours. A project declares its own
in ``stancebank.toml`` (:mod:`stancebank.dataset.project`); without one, the default is
``schema.json`` beside this file — benefit / harm / mixed / neutral, worded for the target
("{target}" in its texts). It lives in the core package so that every stage can read it and
the core imports no stage. Plain data and the standard library only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("schema.json")
DEFAULT_TARGET = "surveillance"
STANCE_NAME, ASPECT_NAME, RATIONALE_NAME = "stance", "aspects", "rationale"
"""The Label Studio control names (fixed: snapshots and the ML backend read them)."""


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
    """True for the two opposite sides (benefit, harm) that a binary benchmark scores."""
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
    target: str = DEFAULT_TARGET
    """What the stance is toward ("surveillance", "facial recognition at work")."""

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


def worded(text: str, target: str) -> str:
    """A template's ``{target}`` / ``{Target}`` filled in."""
    return text.replace("{Target}", target[:1].upper() + target[1:]).replace("{target}", target)


def default_schema(target: str = DEFAULT_TARGET) -> Schema:
    """The default label set (``schema.json``), worded for ``target``."""
    raw = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    stances = tuple(
        Stance(**{k: worded(v, target) if isinstance(v, str) else v for k, v in label.items()})
        for label in raw["stance"]["labels"]
    )
    return Schema(
        stance_name=STANCE_NAME, stances=stances, aspect_name=ASPECT_NAME,
        aspects=tuple(Aspect(**label) for label in raw["aspects"]["labels"]),
        rationale_name=RATIONALE_NAME, target=target,
    )  # fmt: skip


def load_schema() -> Schema:
    """The active project's schema (:func:`stancebank.dataset.project.active`), else the
    default for surveillance."""
    from stancebank.dataset.project import active

    return active().schema


@dataclass(frozen=True)
class LabelNames:
    """The label names as plain tuples, for code that needs only the names."""

    stances: tuple[str, ...]
    """Stance names in ClassLabel order."""
    aspects: tuple[str, ...]
    definitions: tuple[str, ...]


def label_names() -> LabelNames:
    schema = load_schema()
    return LabelNames(
        stances=schema.stance_values, aspects=schema.aspect_values, definitions=schema.definitions
    )
