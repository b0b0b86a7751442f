"""``stancebank report``: one static HTML file about a dataset and a model's predictions.

Pure core (``overview_data``) over plain rows; charts are matplotlib PNGs embedded as
data URIs and the page is a Jinja2 template, so the file opens anywhere, offline.
"""

from __future__ import annotations

import base64
import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stancebank.dataset.errors import InputError
from stancebank.dataset.jsonl import atomic_write_text
from stancebank.dataset.predictions_io import by_key, read_predictions
from stancebank.dataset.release import read_build_report, read_release, release_title
from stancebank.dataset.schema import load_schema
from stancebank.models.report import confusion_figure, pyplot

_SPARE_COLOURS = ("#6a4c93", "#1982c4", "#8ac926", "#ff595e", "#8d99ae")


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    pyplot().close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def stance_by_question_chart(rows: Sequence[dict], stances: Sequence[str]) -> str:
    plt = pyplot()
    keys = sorted({(r["question_index"], r["respondent"]) for r in rows})
    counts = Counter((r["question_index"], r["respondent"], r["stance"]) for r in rows)
    fig, ax = plt.subplots(figsize=(max(6, 0.55 * len(keys) + 2), 3.6))
    bottom = [0] * len(keys)
    for stance in stances:
        values = [counts[(q, resp, stance)] for q, resp in keys]
        ax.bar(
            range(len(keys)),
            values,
            bottom=bottom,
            color=load_schema().colours.get(stance),
            label=stance,
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(range(len(keys)), [f"Q{q}\n{resp}" for q, resp in keys], fontsize=8)
    ax.set_ylabel("claims")
    ax.set_title("Stance by question and respondent")
    ax.legend(ncol=len(stances), fontsize=8, loc="upper right")
    return _png(fig)


def distribution_chart(label_counts: dict[str, dict[str, int]], stances: Sequence[str]) -> str:
    plt = pyplot()
    splits = [s for s in label_counts if sum(label_counts[s].values())]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    width = 0.8 / max(1, len(splits))
    for i, split in enumerate(splits):
        xs = [j + i * width for j in range(len(stances))]
        ax.bar(xs, [label_counts[split][s] for s in stances], width=width, label=split)
    ax.set_xticks([j + width * (len(splits) - 1) / 2 for j in range(len(stances))], stances)
    ax.set_ylabel("claims")
    ax.set_title("Label distribution per split")
    ax.legend(fontsize=8)
    return _png(fig)


def confusion_chart(matrix: list[list[int]], labels: Sequence[str], title: str) -> str:
    figure = confusion_figure(matrix, list(labels), title=title, xlabel="model",
                              ylabel="annotators")  # fmt: skip
    return _png(figure)


def _highlight(context: str, text: str) -> dict[str, str]:
    start = context.find(text)
    if start < 0:
        return {"before": context, "claim": "", "after": ""}
    return {"before": context[:start], "claim": text, "after": context[start + len(text) :]}


def overview_data(
    rows: Sequence[dict],
    predictions: dict[str, dict],
    report: dict,
    stances: Sequence[str],
    *,
    split: str,
    top: int = 5,
) -> dict[str, Any]:
    """Everything the page shows, as plain data (tested without a browser)."""
    from stancebank.models.metrics import classification_metrics, present_labels

    questions: dict[int, str] = {}
    respondents = sorted({r["respondent"] for r in rows})
    grid: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        questions[r["question_index"]] = r["question"]
        grid[r["question_index"]][r["respondent"]].append(r)
    argument_map = [
        {"index": q, "question": questions[q],
         "cells": [grid[q].get(resp, []) for resp in respondents]}
        for q in sorted(questions)
    ]  # fmt: skip
    predicted = [r for r in rows if r["claim_id"] in predictions]
    for r in predicted:
        p = predictions[r["claim_id"]]
        r["predicted"], r["score"] = p["label"], p["scores"].get(p["label"], 0.0)
        r["highlight"] = _highlight(r["context"], r["text"])
    confident = {
        stance: sorted((r for r in predicted if r["predicted"] == stance),
                       key=lambda r: -r["score"])[:top]
        for stance in load_schema().polar_values
    }  # fmt: skip
    disagreements = sorted(
        (r for r in predicted if r["predicted"] != r["stance"]), key=lambda r: -r["score"]
    )
    evaluated = [r for r in predicted if r["split"] == split]
    confusion = None
    if evaluated:
        gold = [r["stance"] for r in evaluated]
        pred = [r["predicted"] for r in evaluated]
        labels = present_labels(gold, pred, stances)
        metrics = classification_metrics(gold, pred, labels, bootstrap=0)
        confusion = {"labels": labels, "matrix": metrics["confusion_matrix"],
                     "macro_f1": metrics["macro_f1"], "accuracy": metrics["accuracy"],
                     "n": metrics["n"]}  # fmt: skip
    return {
        "respondents": respondents,
        "argument_map": argument_map,
        "label_counts": report["label_counts"],
        "agreement": report["agreement"],
        "confident": confident,
        "disagreements": disagreements,
        "confusion": confusion,
        "split": split,
        "n_claims": len(rows),
        "n_predicted": len(predicted),
    }


def load_rows(dataset_dir: Path) -> tuple[list[dict], dict, list[str]]:
    splits, report = read_release(dataset_dir), read_build_report(dataset_dir)
    rows = []
    for name, split in splits.items():
        names = split.features["stance"].names
        for row in split:
            row = dict(row)
            row["stance"] = names[row["stance"]]
            row["split"] = name
            row["question_index"] = int(row["question_id"].rsplit("-q", 1)[-1] or 0)
            rows.append(row)
    return rows, report, list(names)


def load_predictions(path: Path, stances: Sequence[str]) -> dict[str, dict]:
    """``{claim_id: {label, scores}}`` of a predictions file (a score of 1 when it has none)."""
    predictions = {
        key: {"label": p.label, "scores": p.scores or {p.label: p.score}}
        for key, p in by_key(read_predictions(path, labels=stances)).items()
    }
    if not predictions:
        raise InputError(path, "no prediction names its claim_id")
    return predictions


def write_report(dataset_dir: Path, predictions_path: Path, out: Path, *, split: str) -> dict:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    rows, report, stances = load_rows(dataset_dir)
    data = overview_data(
        rows, load_predictions(predictions_path, stances), report, stances, split=split
    )
    charts = {
        "by_question": stance_by_question_chart(rows, stances),
        "distribution": distribution_chart(report["label_counts"], stances),
    }
    if data["confusion"]:
        c = data["confusion"]
        charts["confusion"] = confusion_chart(
            c["matrix"], c["labels"], f"{split} split: macro-F1 {c['macro_f1']:.3f}, n={c['n']}"
        )
    env = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=select_autoescape(["html"]),
    )
    known = load_schema().colours  # the release's own labels may not be the project's
    colours = {s: known.get(s, _SPARE_COLOURS[i % len(_SPARE_COLOURS)])
               for i, s in enumerate(stances)}  # fmt: skip
    page = env.get_template("report.html").render(
        data=data, charts=charts, stances=stances, colours=colours,
        dataset=release_title(dataset_dir), predictions=predictions_path.name,
    )  # fmt: skip
    atomic_write_text(out, page)
    return data
