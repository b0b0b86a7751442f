"""The evaluation report: Markdown and a confusion-matrix PNG (matplotlib, no display)."""

from __future__ import annotations

from pathlib import Path


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def confusion_figure(
    matrix: list[list[int]],
    labels: list[str],
    *,
    title: str,
    xlabel: str = "predicted",
    ylabel: str = "gold",
):
    """A confusion-matrix heat map with the counts written in the cells."""
    size = 1.2 + 0.9 * len(labels)
    fig, ax = pyplot().subplots(figsize=(size + 1, size))
    image = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    peak = max((max(row) for row in matrix), default=0)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            color = "white" if peak and value > peak / 2 else "black"
            ax.text(j, i, str(value), ha="center", va="center", color=color)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    return fig


def confusion_png(matrix: list[list[int]], labels: list[str], path: Path, *, title: str) -> None:
    fig = confusion_figure(matrix, labels, title=title)
    fig.savefig(path, dpi=120)
    pyplot().close(fig)


def reliability_png(calibration: dict, path: Path) -> None:
    """The reliability diagram: accuracy against mean confidence per confidence bin."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    bins = calibration["bins"]
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect")
    ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], marker="o",
            label="model")  # fmt: skip
    for b in bins:
        ax.annotate(str(b["n"]), (b["confidence"], b["accuracy"]), fontsize=7,
                    textcoords="offset points", xytext=(3, -9))  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence of the predicted label")
    ax.set_ylabel("accuracy")
    ax.set_title(f"reliability (ECE {calibration['ece']:.3f})", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def markdown_report(metrics: dict, *, model: str, data: str) -> str:
    from stancebank.models.metrics import judged

    ci = metrics.get("macro_f1_ci95")
    ci_text = f" (95% bootstrap CI {ci[0]:.3f}–{ci[1]:.3f})" if ci else ""
    lines = [
        "# Stance evaluation",
        "",
        f"- model: `{model}`",
        f"- data: `{data}`",
        f"- examples: {metrics['n']}",
        f"- macro-F1: **{metrics['macro_f1']:.3f}**{ci_text}{judged(metrics['n'])}",
        f"- accuracy: {metrics['accuracy']:.3f}",
        *(
            [
                f"- expected calibration error: {metrics['calibration']['ece']:.3f} "
                "(![reliability](reliability.png))"
            ]
            if "calibration" in metrics
            else []
        ),
        "",
        "| class | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for label, row in metrics["per_class"].items():
        lines.append(
            f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} "
            f"| {row['support']} |"
        )
    lines += ["", "![confusion matrix](confusion_matrix.png)", ""]
    header = "| gold \\ predicted | " + " | ".join(metrics["labels"]) + " |"
    lines += [header, "|---" * (len(metrics["labels"]) + 1) + "|"]
    for label, row in zip(metrics["labels"], metrics["confusion_matrix"], strict=True):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines) + "\n"
