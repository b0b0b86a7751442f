"""Labelled examples for training and evaluation, from a dataset folder (through
:mod:`stancebank.dataset.release`) or a labelled CSV / JSONL file; what a recipe trains on
(the split and the extras), its class weights, and what its tokenizer reads."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from stancebank.dataset.errors import InputError
from stancebank.dataset.jsonl import read_jsonl

if TYPE_CHECKING:
    from stancebank.models.options import TrainOptions


@dataclass
class Examples:
    texts: list[str]
    labels: list[str]
    ids: list[str]
    """claim_id for dataset rows, ``id`` column or row number for files."""
    groups: list[str] = field(default_factory=list)
    """answer_id for dataset rows (for grouped cross-validation); empty for files."""
    label_names: list[str] = field(default_factory=list)
    """All class names known to the source (ClassLabel order for datasets)."""
    questions: list[str] = field(default_factory=list)
    """What each claim answers (the interview question or a debate motion); "" where the
    source has none. Empty when no example has one."""

    def question_of(self, i: int) -> str:
        return self.questions[i] if self.questions else ""

    def only(self, labels: Sequence[str]) -> Examples:
        """The examples labelled with one of ``labels``, in order."""
        keep = [i for i, label in enumerate(self.labels) if label in labels]
        return Examples(
            texts=[self.texts[i] for i in keep],
            labels=[self.labels[i] for i in keep],
            ids=[self.ids[i] for i in keep],
            groups=[self.groups[i] for i in keep] if self.groups else [],
            label_names=list(self.label_names),
            questions=[self.questions[i] for i in keep] if self.questions else [],
        )


def load_splits(dataset_dir: str | Path) -> dict[str, Examples]:
    """Every split of a dataset saved by ``stancebank build``, read once."""
    from stancebank.dataset.release import read_release

    splits = read_release(dataset_dir)
    return {name: _examples(rows) for name, rows in splits.items()}


def _examples(rows) -> Examples:
    names = rows.features["stance"].names
    return Examples(
        texts=list(rows["text"]),
        labels=[names[i] for i in rows["stance"]],
        ids=list(rows["claim_id"]),
        groups=list(rows["answer_id"]),
        label_names=list(names),
        questions=list(rows["question"]),
    )


def require_split(splits: dict[str, Examples], split: str, dataset_dir: str | Path) -> Examples:
    if split not in splits:
        raise InputError(dataset_dir, f"no '{split}' split (has: {', '.join(splits)})")
    return splits[split]


def load_dataset_split(dataset_dir: str | Path, split: str) -> Examples:
    return require_split(load_splits(dataset_dir), split, dataset_dir)


def concat(parts: list[Examples]) -> Examples:
    """Several sets of examples as one, in the given order (for cross-validation)."""
    return Examples(
        texts=[t for p in parts for t in p.texts],
        labels=[y for p in parts for y in p.labels],
        ids=[i for p in parts for i in p.ids],
        groups=[g for p in parts for g in p.groups],
        label_names=parts[0].label_names,
        questions=[p.question_of(i) for p in parts for i in range(len(p.texts))],
    )


def load_all_splits(dataset_dir: str | Path) -> Examples:
    return concat(list(load_splits(dataset_dir).values()))


def load_labelled_file(path: str | Path) -> Examples:
    """A CSV or JSONL with ``text`` and ``label`` columns (and optionally ``id`` and
    ``question``: what the claim answers)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    rows: list[tuple[int, dict]] = []
    if path.suffix.lower() == ".csv":
        from stancebank.dataset.textio import read_text

        reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
        missing = [c for c in ("text", "label") if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(path, f"missing column '{missing[0]}'", line=1)
        try:
            rows = [(reader.line_num, row) for row in reader]
        except csv.Error as error:
            raise InputError(path, f"not a CSV file ({error})", line=reader.line_num) from None
    else:
        rows = list(read_jsonl(path))
    examples = Examples([], [], [])
    for line, row in rows:
        text, label = row.get("text"), row.get("label")
        if not isinstance(text, str) or not text.strip():
            raise InputError(path, "missing or empty 'text'", line=line)
        if not isinstance(label, str) or not label.strip():
            raise InputError(path, "missing or empty 'label'", line=line)
        examples.texts.append(text)
        examples.labels.append(label.strip())
        examples.ids.append(str(row.get("id") or row.get("claim_id") or line))
        question = row.get("question")
        examples.questions.append(question.strip() if isinstance(question, str) else "")
    if not examples.texts:
        raise InputError(path, "no labelled rows")
    examples.label_names = sorted(set(examples.labels))
    if not any(examples.questions):
        examples.questions = []
    return examples


def load_eval_data(
    source: str | Path, split: str, *, labels: Sequence[str] | None = None
) -> tuple[Examples, list[str] | None]:
    """The examples to score from a dataset folder (its ``split``) or a labelled CSV / JSONL,
    restricted to ``labels`` when given; and that restriction (None for all classes)."""
    source = Path(source)
    if source.is_dir():
        examples = load_dataset_split(source, split)
    elif source.suffix.lower() in (".csv", ".jsonl"):
        examples = load_labelled_file(source)
    else:
        raise InputError(source, "expected a dataset directory, a .csv or a .jsonl file")
    only = list(labels) if labels else None
    if only:
        examples = examples.only(only)
        if not examples.texts:
            raise InputError(source, f"no example is labelled {', '.join(only)}")
    return examples, only


def training_examples(
    train: Examples, options: TrainOptions
) -> tuple[list[str], list[str], list[str], dict[str, int]]:
    """The training texts, labels and questions ("" where there is none): the split's, then
    the extras ``options`` asks for — each label's definition from the schema, and the
    team-written examples (never part of the published dataset) when their labels are the
    release's; and how many of each extra were added."""
    from stancebank.dataset.schema import label_names

    texts, labels = list(train.texts), list(train.labels)
    questions = [train.question_of(i) for i in range(len(train.texts))]
    names = label_names()
    stances = set(train.label_names)
    added: dict[str, int] = {}
    if options.label_descriptions:
        described = [(s, d) for s, d in zip(names.stances, names.definitions, strict=True)
                     if s in stances]  # fmt: skip
        texts += [d for _, d in described]
        labels += [s for s, _ in described]
        questions += [""] * len(described)
        added["label_descriptions"] = len(described)
    if options.team_examples and not foreign_labels(options.team_examples, stances):
        team = list(read_jsonl(options.team_examples))
        texts += [r["text"] for _, r in team]
        labels += [r["label"] for _, r in team]
        questions += [str(r.get("question") or "") for _, r in team]
        added["team_examples"] = len(team)
    return texts, labels, questions, added


def foreign_labels(team_examples: str | Path, stances: set[str]) -> list[str]:
    """The labels of a team-written examples file that are not among ``stances``: a file
    written for another label set (the shipped one is benefit / harm / mixed / neutral about
    surveillance) is left out whole rather than half-used."""
    return sorted({str(r.get("label")) for _, r in read_jsonl(team_examples)} - stances)


def class_weights(labels: Sequence[str], names: Sequence[str]) -> list[float]:
    """Inverse class frequency, normalised to mean 1 (classes never seen get weight 1)."""
    counts = Counter(labels)
    raw = [len(labels) / (len(names) * counts[n]) if counts[n] else 1.0 for n in names]
    mean = sum(raw) / len(raw)
    return [w / mean for w in raw]


def model_inputs(texts: Sequence[str], questions: Sequence[str], *, pairs: bool) -> tuple:
    """What a tokenizer reads: ``(questions, texts)`` as pairs, or the texts alone."""
    if not pairs:
        return (list(texts),)
    return (list(questions) if questions else [""] * len(texts), list(texts))
