"""Options of the dataset stage, each default defined once here (the command line, its
``--help`` and the README take them from these dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass

GROUP_BY = ("answer", "respondent", "document")
"""What no split may divide, from the finest to the coarsest unit."""


@dataclass
class BuildOptions:
    group_by: str = "answer"
    """What no split may divide: ``answer`` (default), ``respondent`` or ``document``."""
    seed: int = 13
    """Seed of the split; the same inputs and seed give the same splits."""
    validation: float = 0.15
    test: float = 0.15
