"""Options of the model stage, each default defined once here (the command line, its
``--help`` and the README take them from these dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stancebank.dataset.errors import InputError

DEFAULT_SPLIT = "test"
"""The dataset split that ``evaluate`` and ``report`` score."""
PRECISIONS = ("auto", "fp32", "bf16")
ZERO_SHOT_ENCODER = "all-mpnet-base-v2"
"""The sentence encoder of ``compare``'s built-in zero-shot reference."""

TEAM_EXAMPLES = Path(__file__).resolve().parent / "examples" / "team_examples.jsonl"


STANDARD = "standard"
RECIPES = (STANDARD, "fine-tune")
"""``standard``: logistic regression on the frozen sentence encoder's pooled sentence, saved
as a plain ``…ForSequenceClassification`` whose one extra encoder layer does the pooling
(:mod:`models.sentence_head`, :mod:`models.pooling_layer`); ``fine-tune``: a
``…ForSequenceClassification`` model, linear-probe warm start then full fine-tuning
(:mod:`models.train`)."""
RETIRED_RECIPES = {"sentence-head": "'standard' (the same regression, in a folder plain "
                   "transformers loads without remote code)"}  # fmt: skip
"""Recipes that were replaced, and by what: their folders still load in stancebank."""
FINE_TUNE_DEFAULTS = {"epochs": 4, "learning_rate": 3e-5, "probe_epochs": 10}
"""Defaults of the options only the fine-tune recipe reads (``question_pair`` too, off by
default); :class:`TrainOptions` leaves them ``None`` for the sentence head."""


@dataclass
class TrainOptions:
    recipe: str = STANDARD
    """One of :data:`RECIPES`; a regression on the frozen sentence encoder generalised best
    and trains in about a minute (models/EXPERIMENTS.md)."""
    base_model: str = "all-mpnet-base-v2"
    """HF id or folder of the base model; ``all-mpnet-base-v2`` and ``all-MiniLM-L6-v2`` name
    the offline copies (see :mod:`stancebank.models.base`). all-mpnet generalised best to
    claims nobody here wrote (models/EXPERIMENTS.md)."""
    head_c: float = 2.0
    """Inverse L2 strength of the sentence head's logistic regression (scikit-learn's ``C``),
    chosen on the release's grouped CV and held-out team-example settings, not on the dev
    set (models/EXPERIMENTS.md)."""
    epochs: int | None = None
    """Fine-tune (default 4): epochs of full fine-tuning (0: train the head on the frozen
    encoder's first token only); an upper bound when early stopping is on."""
    seed: int = 13
    learning_rate: float | None = None
    """Fine-tune (default 3e-5): of full fine-tuning (the recipe measured for all-MiniLM
    used 8e-5 with 8 epochs)."""
    batch_size: int = 16
    max_length: int = 128
    weight_decay: float = 0.01
    patience: int = 3
    """Epochs without a better validation macro-F1 before stopping."""
    min_validation: int = 30
    """Early stopping and best-epoch selection only with at least this many validation
    claims. On the seed's 8 the validation macro-F1 stayed flat, so the first epoch was
    kept and the test macro-F1 fell from 0.81 to 0.46 (mean of 3 seeds, EXPERIMENTS.md);
    with a smaller validation split training runs all epochs (it is scored once, after)."""
    label_descriptions: bool = True
    """Add each label's one-line definition from the schema as a training example."""
    probe_epochs: int | None = None
    """Fine-tune (default 10): epochs of training only the pooler and classifier on the
    frozen encoder before full fine-tuning (a linear-probe warm start, see
    models/EXPERIMENTS.md); 0 to skip."""
    probe_learning_rate: float = 2e-3
    question_pair: bool = False
    """Fine-tune: read (question, claim) as a text pair instead of the claim alone; the
    model folder records it (``stancebank.json``) and ``predict``/``evaluate`` pass the
    question."""
    calibrate: bool = True
    """Fold a temperature into the model's output layer, so its probabilities mean what they
    say: fitted on out-of-fold logits over the training items (sentence head), on a held-out
    fifth of the train split (fine-tune), never on the dev set."""
    team_examples: str = str(TEAM_EXAMPLES)
    """JSONL of team-written ``{text, label}`` examples added to training; "" for none."""

    def __post_init__(self) -> None:
        """The recipe's checks, the same for the Python API and the command line: an option
        of another recipe is an error rather than silently ignored; fine-tuning's options
        not given take :data:`FINE_TUNE_DEFAULTS`."""
        if self.recipe in RETIRED_RECIPES:
            raise InputError("--recipe", f"'{self.recipe}' was replaced by "
                             f"{RETIRED_RECIPES[self.recipe]}")  # fmt: skip
        if self.recipe not in RECIPES:
            raise InputError("--recipe", f"'{self.recipe}': choose from {', '.join(RECIPES)}")
        if self.head_c <= 0:
            raise InputError("--head-c", f"{self.head_c}: must be above 0")
        given = [name for name in FINE_TUNE_DEFAULTS if getattr(self, name) is not None]
        given += ["question_pair"] if self.question_pair else []
        if given and self.recipe != "fine-tune":
            flags = ", ".join("--" + name.replace("_", "-") for name in given)
            raise InputError(flags, f"applies to --recipe fine-tune, not {self.recipe}")
        if self.recipe == "fine-tune":
            for name, default in FINE_TUNE_DEFAULTS.items():
                if getattr(self, name) is None:
                    setattr(self, name, default)
            for name in ("epochs", "probe_epochs"):
                if getattr(self, name) < 0:
                    raise InputError(f"--{name.replace('_', '-')}", f"{getattr(self, name)}: "
                                     "cannot be below 0")  # fmt: skip
            if self.learning_rate <= 0:
                raise InputError("--learning-rate", f"{self.learning_rate}: must be above 0")


@dataclass
class PredictOptions:
    batch_size: int = 64
    """Claims per forward pass (texts are sorted by length, so padding stays small)."""
    precision: str = "auto"
    """``auto``: bfloat16 where the CPU computes it natively, else float32; ``fp32``; ``bf16``."""
    quantize: bool = False
    """int8 dynamic quantisation instead (faster, fewer identical labels; see BENCHMARKS.md)."""

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise InputError("--batch-size", f"{self.batch_size}: at least 1 claim per pass")
        if self.precision not in PRECISIONS:
            raise InputError("--precision", f"'{self.precision}': choose from "
                             f"{', '.join(PRECISIONS)}")  # fmt: skip
