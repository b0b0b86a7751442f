"""The model card (huggingface_hub ModelCard with model-index results)."""

from __future__ import annotations

import json

from huggingface_hub import EvalResult, ModelCard, ModelCardData

from stancebank.models.base import MINILM_NAMES, MPNET, describe_base_model

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


def _hub_id(base_model: str) -> str | None:
    if not base_model or base_model in MINILM_NAMES:
        return MINILM_NAMES[1]
    if base_model in (MPNET.name, MPNET.hub_id):
        return MPNET.hub_id
    return None


def _recipe(training: dict, metrics: dict) -> str:
    if training.get("recipe") == "standard":
        temperature = training.get("temperature")
        team = "team_examples" in training.get("extra_examples", {})
        grouped_team = " and by the question a team-written example answers" if team else ""
        calibrated = (
            f" Its logits are divided by a temperature of {temperature:.3f} (folded into the "
            f"output layer), fitted on out-of-fold logits over the "
            f"{training.get('calibration_items', 0)} training items in five folds grouped by "
            f"answer{grouped_team}, never on evaluation data."
            if temperature
            else ""
        )
        return (
            "The encoder is frozen, with one more layer set by hand, not trained: its "
            "attention gives the first token the mean of the token states (position-weighted "
            "per head where the encoder has a relative-position bias) and its LayerNorm "
            "normalises it. A class-balanced logistic regression (scikit-learn, C = "
            f"{training['head_c']:g}) is fitted on those pooled sentences, seed "
            f"{training['seed']}.{calibrated} The standard `…ForSequenceClassification` head "
            "carries that regression (its `tanh` kept in its linear range), so the folder is "
            "a plain transformers model: no code of ours runs when it loads."
        )
    if training["epochs_run"] == 0:
        temperature = training.get("temperature")
        calibrated = (
            f" Its logits are divided by a temperature of {temperature:.3f} (folded into the "
            f"output layer), fitted by grouped cross-validation over the "
            f"{training.get('calibration_items', 0)} training claims, never on evaluation data."
            if temperature
            else ""
        )
        return (
            f"The encoder is frozen: only the classification head on the first token's state "
            f"is trained ({training['linear_probe_epochs']} epochs, class-weighted "
            f"cross-entropy, seed {training['seed']}).{calibrated}"
        )
    temperature = training.get("temperature")
    calibrated = (
        f" Its logits are divided by a temperature of {temperature:.3f} (folded into the "
        "output layer), fitted on a grouped fifth of the train split held out from one extra "
        "training run, never on evaluation data."
        if temperature
        else ""
    )
    return (
        f"First {training['linear_probe_epochs']} epochs of the head alone on the frozen "
        "encoder (a linear-probe warm start), then full fine-tuning with class-weighted "
        f"cross-entropy, {_stopping(training, metrics.get('validation'))}, seed "
        f"{training['seed']}.{calibrated}"
    )


def _three_figures(metrics: dict) -> str:
    from stancebank.models.metrics import judged

    test, cv, ood = metrics["test"], metrics.get("cv"), metrics.get("ood")
    ci = test["macro_f1_ci95"] or [0.0, 0.0]
    rows = [
        "| measured on | macro-F1 | n |",
        "|---|---|---|",
        f"| the release's test split ({len(metrics['labels'])} classes; 95% CI {ci[0]:.3f}–"
        f"{ci[1]:.3f}){judged(test['n'])} | **{test['macro_f1']:.3f}** | {test['n']} |",
    ]
    if cv:
        polar = " vs ".join(metrics.get("polar") or ["the two polar stances"])
        interval = _interval(cv.get("macro_f1_ci95"), "; 95% CI ")
        rows.append(f"| grouped 5-fold CV on the whole release, all classes{interval}"
                    f"{judged(cv['n'])} | **{cv['macro_f1']:.3f}** | {cv['n']} |")  # fmt: skip
        rows.append(f"| grouped 5-fold CV on the whole release, {polar} | "
                    f"**{cv['macro_f1_benefit_harm']:.3f}** | {cv['n']} |")  # fmt: skip
    else:
        rows.append("| grouped CV on the release | not run (`--no-cv`, or a fine-tuning "
                    "recipe: see `scripts/experiments/recipes.py`) | |")  # fmt: skip
    if ood:
        ci = ood["macro_f1_ci95"]
        ece = ood.get("calibration", {}).get("ece")
        ece_text = (f"; expected calibration error {ece:.3f}"
                    f"{_interval(ood['calibration'].get('ece_ci95'), ', 95% CI ')}"
                    if ece is not None else "")  # fmt: skip
        rows.append(f"| out of domain: `{ood['data']}` ({', '.join(ood['labels'])}; 95% CI "
                    f"{ci[0]:.3f}–{ci[1]:.3f}{ece_text}){judged(ood['n'])} | "
                    f"**{ood['macro_f1']:.3f}** | {ood['n']} |")  # fmt: skip
    else:
        rows.append("| out of domain | not measured (no `--ood-data` file) | |")
    seen = (metrics["training"].get("calibration") or {}).get("all")
    if seen:
        rows.append("| calibration on the training items, out of fold: expected calibration "
                    f"error{_interval(seen.get('ece_ci95'), ' (95% CI ', ')')} | "
                    f"ECE **{seen['ece']:.3f}** | {seen['n']} |")  # fmt: skip
    return "\n".join(rows)


def _input(training: dict, target: str) -> str:
    """What the model reads, and why not the target."""
    if training.get("recipe") != "standard":
        return "the claim text alone."
    return (
        f'the claim text alone, not the target ("{target}"): read with the claim, the '
        "target lowered grouped CV on the seed release from 0.612 to 0.576 and did not "
        "move the out-of-domain figure beyond noise (models/EXPERIMENTS.md)."
    )


def _interval(ci, before: str, after: str = "") -> str:
    return f"{before}{ci[0]:.3f}–{ci[1]:.3f}{after}" if ci else ""


def _eval_results(metrics: dict, dataset_name: str, dataset_type: str) -> list[EvalResult]:
    """model-index entries: the test split, grouped CV on the release, the out-of-domain
    file."""
    results = []
    test, cv, ood = metrics["test"], metrics.get("cv"), metrics.get("ood")
    for metric, name, key in _METRICS:
        results.append(EvalResult(
            task_type="text-classification", dataset_type=dataset_type,
            dataset_name=dataset_name, dataset_split="test", metric_type=metric,
            metric_name=f"{name} (test split)", metric_value=test[key],
        ))  # fmt: skip
    if cv:
        for key, name in (("macro_f1", "macro-F1, grouped 5-fold CV"),
                          ("macro_f1_benefit_harm", "macro-F1 of the two polar stances, "
                           "grouped 5-fold CV")):  # fmt: skip
            results.append(EvalResult(
                task_type="text-classification", dataset_type=dataset_type,
                dataset_name=dataset_name, dataset_split="cross-validation", metric_type="f1",
                metric_name=name, metric_value=cv[key],
            ))  # fmt: skip
    if ood:
        results.append(EvalResult(
            task_type="text-classification", dataset_type="custom",
            dataset_name=f"out of domain: {ood['data']}", dataset_split="all",
            metric_type="f1", metric_name=f"macro-F1 ({', '.join(ood['labels'])})",
            metric_value=ood["macro_f1"],
        ))  # fmt: skip
    return results


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _example_claim(metrics: dict) -> str:
    """A claim to show the pipeline on: the project's prototype of its first polar stance."""
    from stancebank.dataset.schema import load_schema

    prototypes = {s.value: s.prototype for s in load_schema().stances}
    for name in (*metrics.get("polar", ()), *metrics["labels"]):
        if prototypes.get(name):
            return prototypes[name]
    return f"I think {metrics['release']['target']} does more good than harm."


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def model_card(metrics: dict, *, base_model: str) -> str:
    from stancebank.models.base import base_license
    from stancebank.models.metrics import judged

    base = describe_base_model(base_model)
    test, training, release = metrics["test"], metrics["training"], metrics["release"]
    target = release["target"]
    dataset_name = release["hub_id"] or release["name"]
    data = ModelCardData(
        language=release["languages"] or None,
        license=base_license(base_model) or "unknown",
        library_name="transformers",
        pipeline_tag="text-classification",
        base_model=_hub_id(base_model),
        datasets=[release["hub_id"]] if release["hub_id"] else None,
        tags=["stance", "stancebank", _slug(target)],
        model_name=f"stancebank stance model: {target}",
        eval_results=_eval_results(
            metrics, dataset_name, release["hub_id"] or "stancebank"
        ),  # fmt: skip
    )
    extras = ", ".join(f"{k}: {v}" for k, v in training["extra_examples"].items()) or "none"
    names = metrics["labels"]
    labels = ", ".join(f"`{n}`" for n in names[:-1]) + f" or `{names[-1]}`"
    reads = metrics.get("reads_languages")
    languages = (f"It reads {', '.join(reads)}; the data is in {', '.join(release['languages'])}."
                 if reads else "")  # fmt: skip
    published = (f" (published as [`{release['hub_id']}`](https://huggingface.co/datasets/"
                 f"{release['hub_id']}))" if release["hub_id"] else "")  # fmt: skip
    too_few = judged(test["n"])
    composition = (f"{_plural(release['claims'], 'labelled claim')} from "
                   f"{_plural(release['answers'], 'answer')} of "
                   f"{_plural(release['respondents'], 'respondent')} in "
                   f"{_plural(release['documents'], 'document')}")  # fmt: skip
    team = "team_examples" in training["extra_examples"]
    team_note = ("; the team-written ones are marked `source: team-written` and are not in "
                 "the dataset") if team else ""  # fmt: skip
    team_limit = ("; the team-written examples widen the vocabulary but are not real "
                  "respondents' words") if team else ""  # fmt: skip
    body = f"""
# stancebank stance model: {target}

Classifies one claim about {target} as {labels} (in `config.json`'s `id2label`).
Input: {_input(training, target)} Model version: `{metrics.get("model_version", "unknown")}`
(from a hash of the weights and the label map; predictions and Label Studio pre-annotations
carry it).
{languages}

```python
from transformers import pipeline
classify = pipeline("text-classification", model="PATH/TO/THIS/FOLDER")
classify({json.dumps(_example_claim(metrics), ensure_ascii=False)})
```

## Training

From {base}, on the `train` split of {release["name"]}{published} ({training["train_examples"]}
claims) plus extra examples ({extras}{team_note}). {_recipe(training, metrics)}

## Results

{_three_figures(metrics)}

The test split holds {test["n"]} claims{too_few}: read the interval, not the point. The
out-of-domain figure, when there is one, is on a labelled file nobody trained on; it may
be used to compare recipes, never to train.

Reference baselines on the same data:

{_table(metrics["baselines"])}

## Limitations

Trained on {composition}{team_limit}. Check it on your own labelled claims with
`stancebank evaluate` before relying on it.
"""
    return ModelCard(f"---\n{data.to_yaml()}\n---\n{body}").content
