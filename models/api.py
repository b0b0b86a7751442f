"""The model stage's Python API: ``train``, ``predict``, ``evaluate``, ``report``.

Keyword arguments only; each function reads and writes what the command would (atomically)
and returns a result object. Bad input raises ``InputError`` naming the file (and line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stancebank.dataset.errors import InputError
from stancebank.dataset.outputs import check_output_dir, check_output_file, staged_directory
from stancebank.dataset.progress import progress_bar
from stancebank.models.options import (
    DEFAULT_SPLIT,
    ZERO_SHOT_ENCODER,
    PredictOptions,
    TrainOptions,
)

PathLike = str | Path


@dataclass(frozen=True)
class TrainResult:
    out: Path
    """The model folder written."""
    metrics: dict
    """What ``metrics.json`` holds: test/validation metrics, training facts, baselines."""


def train(
    *,
    dataset_dir: PathLike,
    out: PathLike,
    options: TrainOptions | None = None,
    cv: bool = True,
    ood_data: PathLike | None = None,
    progress: bool = True,
) -> TrainResult:
    """Fine-tune the stance classifier on a dataset folder's train split, score it on the
    test split, put reference baselines beside it, and write the model folder.

    Args:
        options: recipe, base model, seed, extras (defaults: :class:`TrainOptions`).
        cv: also run grouped cross-validation on the release (the recipe's own, for the
            frozen-encoder recipe, and the baselines').
        ood_data: a labelled CSV / JSONL nobody trained on (e.g. the out-of-domain dev set)
            to score the model on; restricted to benefit/harm when that is all it has.
        progress: show the training bar and one line per epoch.
    """
    from stancebank.models.workflow import train_and_report

    if not Path(dataset_dir).is_dir():
        raise InputError(dataset_dir, "not a dataset directory")
    if ood_data is not None and not Path(ood_data).is_file():
        raise InputError(ood_data, "no such out-of-domain file")
    base = (options or TrainOptions()).base_model
    local_base = base if Path(base).exists() else None
    check_output_dir(out, command="train", inputs=[dataset_dir, ood_data, local_base])
    metrics = train_and_report(
        Path(dataset_dir), Path(out), options or TrainOptions(), cv=cv,
        ood_data=Path(ood_data) if ood_data else None, progress=progress,
    )  # fmt: skip
    return TrainResult(Path(out), metrics)


@dataclass(frozen=True)
class PredictResult:
    out: Path
    """The predictions JSONL written."""
    predictions: int
    model_version: str
    notes: list[str] = field(default_factory=list)
    """What a person should hear: claims in languages the model does not read."""


def predict(
    *,
    model: PathLike,
    claims: PathLike,
    out: PathLike,
    options: PredictOptions | None = None,
    progress: bool = True,
) -> PredictResult:
    """Predict the stance of every claim in a claims JSONL with a model folder; writes
    ``{claim_id, label, scores, model_version}`` per claim."""
    from stancebank.dataset.claims_io import read_claims
    from stancebank.dataset.predictions_io import prediction_records, write_predictions
    from stancebank.models.predict import load_classifier, predict_proba

    options = options or PredictOptions()
    check_output_file(out, inputs=[model, claims])
    records = read_claims(claims)
    try:
        classifier = load_classifier(
            str(model), quantize=options.quantize, precision=options.precision
        )
    except OSError as error:
        raise InputError(model, f"cannot load the model ({str(error)[:160]})") from None
    texts = [c["text"] for c in records]
    with progress_bar(total=len(texts), desc="predict", unit="claim", enabled=progress) as bar:
        probs = predict_proba(classifier, texts, questions=[c["question"] for c in records],
                              batch_size=options.batch_size, progress=bar.update)  # fmt: skip
    rows = prediction_records(
        [c["claim_id"] for c in records], probs, classifier.labels, version=classifier.version
    )
    write_predictions(out, rows)
    return PredictResult(Path(out), len(rows), classifier.version,
                         _language_notes(records, classifier.languages))  # fmt: skip


def _language_notes(records, reads: tuple[str, ...] | None) -> list[str]:
    from collections import Counter

    from stancebank.dataset.languages import normalise

    if reads is None:
        return []
    unread = Counter(normalise(c.get("language")) for c in records) - Counter()
    unread = {code: n for code, n in unread.items() if code not in reads and code != "und"}
    if not unread:
        return []
    counts = ", ".join(f"{n} in {code}" for code, n in sorted(unread.items()))
    return [f"{counts}: the model reads {', '.join(reads)} (a multilingual base model reads "
            "more; README, 'Languages')"]  # fmt: skip


@dataclass(frozen=True)
class EvaluationResult:
    metrics: dict
    """``macro_f1``, ``accuracy``, ``n``, per-class P/R/F1/support, confusion matrix, 95%
    bootstrap interval of macro-F1, ``calibration`` (expected calibration error and the
    reliability table, when the model gives scores), ``model`` and ``data``."""
    out: Path | None
    """The report folder, when one was asked for."""
    notes: list[str] = field(default_factory=list)
    """What the command says once: a calibration error above the training-time interval."""


def evaluate(
    *,
    model: PathLike,
    data: PathLike,
    split: str = DEFAULT_SPLIT,
    labels: Sequence[str] | None = None,
    out: PathLike | None = None,
) -> EvaluationResult:
    """Score a stance model on labelled data.

    Args:
        model: a model folder, an HF id, or a predictions JSONL.
        data: a dataset folder (scored on ``split``) or a labelled CSV / JSONL (``text``,
            ``label``, optional ``id``).
        labels: score only examples of these classes, mapping the model's other classes away
            by taking the best-scoring listed one (e.g. ``["benefit", "harm"]``).
        out: a folder for ``report.md``, ``confusion_matrix.png``, ``reliability.png`` (when
            the model gives scores) and ``predictions.jsonl``.
    """
    from stancebank.dataset.jsonl import dumps_jsonl
    from stancebank.models.data import load_eval_data
    from stancebank.models.evaluate import score_examples
    from stancebank.models.report import confusion_png, markdown_report, reliability_png

    if out is not None:
        check_output_dir(out, command="evaluate", inputs=[model, data])
    examples, only = load_eval_data(data, split, labels=labels)
    scored = score_examples(str(model), examples, only)
    metrics, predictions, predicted, scored_labels = (
        scored.metrics, scored.predictions, scored.predicted, scored.labels,
    )  # fmt: skip
    metrics.update(model=str(model), data=str(data))
    notes = _calibration_notes(model, data, metrics, only)
    if out is None:
        return EvaluationResult(metrics, None, notes)
    scores = predictions.scores or [None] * len(predicted)
    rows = [
        {"id": i, "text": t, "gold": g, "predicted": p, **({"scores": s} if s else {})}
        for i, t, g, p, s in zip(examples.ids, examples.texts, examples.labels, predicted,
                                 scores, strict=True)
    ]  # fmt: skip
    with staged_directory(out, command="evaluate") as folder:
        confusion_png(metrics["confusion_matrix"], scored_labels, folder / "confusion_matrix.png",
                      title=f"macro-F1 {metrics['macro_f1']:.3f} (n={metrics['n']})")  # fmt: skip
        if "calibration" in metrics:
            reliability_png(metrics["calibration"], folder / "reliability.png")
        (folder / "report.md").write_text(
            markdown_report(metrics, model=model, data=data), encoding="utf-8"
        )
        (folder / "predictions.jsonl").write_text(dumps_jsonl(rows), encoding="utf-8")
    return EvaluationResult(metrics, Path(out).resolve(), notes)


def _calibration_notes(model, data, metrics: dict, only) -> list[str]:
    """A note when the file's calibration error lies above the interval the model's own
    training measured (out-of-fold, over the same classes): its scores are less reliable
    here than where it was calibrated. Below the interval is no cause for a note, nor is an
    error from too few items to judge (they get their own note)."""
    import json

    from stancebank.models.metrics import too_few

    ece = metrics.get("calibration", {}).get("ece")
    if too_few(metrics.get("n", 0)):
        return []
    try:
        trained = json.loads((Path(model) / "metrics.json").read_text(encoding="utf-8"))
        figures = trained["training"]["calibration"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if ece is None:
        return []
    view = "all" if not only else "polar"
    seen = figures.get(view)
    if (
        not seen
        or not seen.get("ece_ci95")
        or (only and sorted(only) != sorted(seen.get("labels", [])))
    ):
        return []
    low, high = seen["ece_ci95"]
    if ece <= high:
        return []
    return [f"calibration error {ece:.3f} on {data} lies above the training-time interval "
            f"[{low:.3f}, {high:.3f}] (out-of-fold, {seen['n']} items): read its scores as "
            "rankings, not probabilities"]  # fmt: skip


@dataclass(frozen=True)
class ReportResult:
    out: Path
    """The HTML file written."""
    claims: int
    disagreements: int
    """Claims where the model and the annotators disagree."""


def report(
    *, dataset_dir: PathLike, predictions: PathLike, out: PathLike, split: str = DEFAULT_SPLIT
) -> ReportResult:
    """Write one static HTML page about a dataset and a model's predictions on it: argument
    map, label distribution, agreement, the model against the annotators on ``split``."""
    import datasets

    from stancebank.models.overview import write_report

    check_output_file(out, inputs=[dataset_dir, predictions])
    datasets.disable_progress_bars()
    data = write_report(Path(dataset_dir), Path(predictions), Path(out), split=split)
    return ReportResult(Path(out), data["n_claims"], len(data["disagreements"]))


@dataclass(frozen=True)
class ComparisonResult:
    rows: list
    """``ComparisonRow`` per model, in the order given; tests are against the first."""
    labels: list[str]
    """The classes macro-F1 averages over."""
    n: int
    out: Path | None
    """The folder with ``compare.md`` and ``compare.json``, when one was asked for."""


def compare(
    *,
    models: Sequence[PathLike],
    data: PathLike,
    split: str = DEFAULT_SPLIT,
    labels: Sequence[str] | None = None,
    zero_shot_encoder: str = ZERO_SHOT_ENCODER,
    out: PathLike | None = None,
) -> ComparisonResult:
    """Score several stance models on the same items and test each against the first.

    Args:
        models: model folders, HF ids, predictions JSONL files, or the built-in references
            ``majority`` (the most frequent gold label) and ``zero-shot`` (similarity to the
            schema's prototype sentences with ``zero_shot_encoder``).
        data, split, labels: as for :func:`evaluate`.
        out: a folder for ``compare.md`` and ``compare.json``.
    """
    import json

    from stancebank.models.compare import as_dicts, markdown_table
    from stancebank.models.compare import compare as compare_rows
    from stancebank.models.data import load_eval_data
    from stancebank.models.evaluate import predict_examples, predictions_from_file, restrict
    from stancebank.models.locate import locate_model
    from stancebank.models.metrics import present_labels
    from stancebank.models.zero_shot import BUILTINS, majority, zero_shot

    if not models:
        raise InputError("compare", "name at least one model")
    if out is not None:
        check_output_dir(out, command="compare", inputs=[*models, data])
    examples, only = load_eval_data(data, split, labels=labels)
    # every input checked against the data before any model runs: a predictions file that
    # does not match --data, or a model that is not there, fails in a second, not after the rest
    ready = {}
    for model in map(str, models):
        if Path(model).is_file() and Path(model).suffix.lower() == ".jsonl":
            ready[model] = predictions_from_file(Path(model), examples)
        elif model not in BUILTINS or Path(model).exists():
            locate_model(model)
    runs = []
    for model in models:
        name = str(model)
        if name in ready:
            predictions = ready[name]
        elif name in BUILTINS and not Path(name).exists():
            predictions = (
                majority(examples) if name == "majority" else zero_shot(examples, zero_shot_encoder)
            )
        else:
            predictions = predict_examples(name, examples)
        runs.append((name, restrict(predictions, only) if only else predictions.labels))
    every_prediction = [label for _, predicted in runs for label in predicted]
    scored = only or present_labels(examples.labels, every_prediction, examples.label_names)
    rows = compare_rows(examples.labels, runs, scored)
    folder = None
    if out is not None:
        record = {"data": str(data), "labels": scored, "rows": as_dicts(rows)}
        with staged_directory(out, command="compare") as staging:
            table = markdown_table(rows, data=str(data), labels=scored)
            (staging / "compare.md").write_text(table, encoding="utf-8")
            (staging / "compare.json").write_text(json.dumps(record, indent=1) + "\n")
        folder = Path(out).resolve()
    return ComparisonResult(rows, list(scored), len(examples.labels), folder)


def export(*, model: PathLike, out: PathLike, format: str = "onnx"):
    """Export a model folder for another runtime: ``onnx`` writes ``model.onnx`` with the
    tokenizer, labels and version, checked against the original before it is written;
    :func:`predict` runs the result on ONNX Runtime. Returns an ``ExportResult``."""
    from stancebank.models.export import export as export_model

    return export_model(model, out, format=format)


__all__ = [
    "ComparisonResult",
    "compare",
    "EvaluationResult",
    "PredictOptions",
    "PredictResult",
    "ReportResult",
    "TrainOptions",
    "TrainResult",
    "evaluate",
    "export",
    "predict",
    "report",
    "train",
]
