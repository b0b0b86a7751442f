"""A stancebank model folder, the one reader and writer: a transformers model (weights,
``config.json`` with the dataset's ``id2label``, tokenizer), ``stancebank.json`` (what the
model reads and its content version), ``training_args.json`` (the recipe's options),
``metrics.json`` and the model card ``README.md``.

``stancebank.json`` is read once per load (:func:`read_facts`); a folder without it (any
other transformers classifier) reads the claim alone and gets a version from its content.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from stancebank.models.options import TrainOptions

FACTS_FILE = "stancebank.json"
TRAINING_ARGS_FILE = "training_args.json"
METRICS_FILE = "metrics.json"
CARD_FILE = "README.md"
PAIR_INPUT = "question+claim"


@dataclass(frozen=True)
class Facts:
    """What a model folder says about itself."""

    input: str = "claim"
    """``claim``, or ``question+claim`` for a model that reads (question, claim) pairs."""
    model_version: str | None = None
    """``stancebank-<base>-<12 hex>`` from the weights and label map (:mod:`.version`)."""
    languages: tuple[str, ...] | None = None
    """The languages its base model reads (None: not known)."""

    @property
    def reads_pairs(self) -> bool:
        return self.input == PAIR_INPUT


def read_facts(model_path: str | Path) -> Facts:
    """The folder's ``stancebank.json``; defaults for a folder (or Hub id) without one."""
    path = os.path.join(str(model_path), FACTS_FILE)
    if not os.path.isfile(path):
        return Facts()
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    if not isinstance(raw, dict):
        return Facts()
    languages = raw.get("languages")
    return Facts(input=str(raw.get("input") or "claim"),
                 model_version=raw.get("model_version") or None,
                 languages=tuple(languages) if isinstance(languages, list) else None)  # fmt: skip


def _write_facts(out_dir: Path, facts: Facts) -> None:
    data: dict = {"input": facts.input}
    if facts.model_version:
        data["model_version"] = facts.model_version
    if facts.languages is not None:
        data["languages"] = list(facts.languages)
    (out_dir / FACTS_FILE).write_text(json.dumps(data) + "\n", encoding="utf-8")


def write_model(
    out_dir: Path,
    model,
    tokenizer,
    options: TrainOptions,
    *,
    trainer_args: dict | None = None,
) -> None:
    """Save a trained model, its tokenizer, what it reads and the recipe's options."""
    model.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    _write_facts(out_dir, Facts(input=PAIR_INPUT if options.question_pair else "claim"))
    (out_dir / TRAINING_ARGS_FILE).write_text(
        json.dumps({"stancebank": asdict(options), "trainer": trainer_args}, indent=1,
                   default=str) + "\n",
        encoding="utf-8",
    )  # fmt: skip


def record_version(out_dir: Path, base_model: str, languages: tuple[str, ...] | None = None) -> str:
    """Derive the saved model's version from its weights and label map and record it in
    ``stancebank.json``, with the languages the model reads."""
    from stancebank.models.version import base_prefix, content_version

    version = content_version(out_dir, base_prefix(base_model))
    facts = read_facts(out_dir)
    _write_facts(out_dir, Facts(input=facts.input, model_version=version, languages=languages))
    return version


def version_of(model_path: str, facts: Facts) -> str:
    """The version a stancebank folder records; for another folder, one from its content;
    for a Hub id, the id."""
    from stancebank.models.version import content_version

    if facts.model_version:
        return facts.model_version
    if os.path.isdir(model_path):
        return content_version(model_path, os.path.basename(os.path.normpath(model_path)))
    return model_path


def write_results(out_dir: Path, metrics: dict, card: str | None) -> None:
    """``metrics.json``, and the model card when there is one."""
    (out_dir / METRICS_FILE).write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    if card is not None:
        (out_dir / CARD_FILE).write_text(card, encoding="utf-8")
