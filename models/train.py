"""Train a stance model: the default sentence head (:mod:`models.sentence_head`), or
fine-tuning of a sequence-classification model (transformers.Trainer).

The input is the claim text alone (unless ``question_pair``), so the saved folder works on
any labelled claims and with ``pipeline("text-classification", model=MODEL_DIR)`` (the
sentence head's folder with ``trust_remote_code=True``, or after
``stancebank.models.pooled.register()``). Small data is helped
by two honest extras, both on by default and kept out of the published dataset: the label
definitions from the schema as one example each, and the team-written examples in
``models/examples/team_examples.jsonl`` (marked ``source: team-written``).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from stancebank.dataset.jsonl import read_jsonl
from stancebank.dataset.schema import label_names
from stancebank.models.data import Examples
from stancebank.models.options import RECIPES, TEAM_EXAMPLES, TrainOptions

__all__ = ["TEAM_EXAMPLES", "TrainOptions", "fine_tune", "training_examples"]


def training_examples(
    train: Examples, options: TrainOptions
) -> tuple[list[str], list[str], list[str], dict[str, int]]:
    """The training texts, labels and questions ("" where there is none): the split's, then
    the extras ``options`` asks for; and how many of each extra were added."""
    texts, labels = list(train.texts), list(train.labels)
    questions = [train.question_of(i) for i in range(len(train.texts))]
    names = label_names()
    added: dict[str, int] = {}
    if options.label_descriptions:
        texts += list(names.definitions)
        labels += list(names.stances)
        questions += [""] * len(names.stances)
        added["label_descriptions"] = len(names.stances)
    if options.team_examples:
        team = [r for _, r in read_jsonl(options.team_examples) if r.get("label") in names.stances]
        texts += [r["text"] for r in team]
        labels += [r["label"] for r in team]
        questions += [str(r.get("question") or "") for r in team]
        added["team_examples"] = len(team)
    return texts, labels, questions, added


def class_weights(labels: list[str], names: list[str]) -> list[float]:
    """Inverse class frequency, normalised to mean 1 (classes never seen get weight 1)."""
    counts = Counter(labels)
    raw = [len(labels) / (len(names) * counts[n]) if counts[n] else 1.0 for n in names]
    mean = sum(raw) / len(raw)
    return [w / mean for w in raw]


def fine_tune(
    train_texts: list[str],
    train_labels: list[str],
    validation: Examples | None,
    names: list[str],
    out_dir: Path,
    options: TrainOptions,
    *,
    groups: Sequence[str] = (),
    questions: Sequence[str] = (),
    progress: bool = True,
) -> dict:
    """Train and save the model to ``out_dir``: the sentence head (``options.recipe``, see
    :mod:`models.sentence_head`); or, fine-tuning, with ``options.epochs == 0`` only the head on
    the frozen encoder (temperature-scaled by grouped cross-validation over the first
    ``len(groups)`` items, the rest being extras that are always trained on), else a
    linear-probe warm start and full fine-tuning that keeps the best epoch when the
    validation split is big enough."""
    if options.recipe == "sentence-head":
        from stancebank.models.sentence_head import train_sentence_head

        info = train_sentence_head(
            train_texts, train_labels, names, out_dir, options,
            groups=groups, questions=questions, progress=progress,
        )  # fmt: skip
        _write_input_file(out_dir, options)
        _write_training_args(out_dir, options, None)
        has_validation = validation is not None and len(validation.texts) > 0
        return {**info, "validation_claims": len(validation.texts) if has_validation else 0}
    if options.recipe != "fine-tune":
        raise ValueError(f"unknown recipe '{options.recipe}' (choose from {', '.join(RECIPES)})")
    import numpy as np
    import torch
    from datasets import Dataset
    from transformers import (
        DataCollatorWithPadding,
        EarlyStoppingCallback,
        PrinterCallback,
        ProgressCallback,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    from stancebank.models.metrics import classification_metrics

    set_seed(options.seed)
    model, tokenizer, base = load_base(options, names)
    index = {n: i for i, n in enumerate(names)}

    def encode(texts, labels, questions):
        data = Dataset.from_dict({"text": texts, "question": _questions(questions, texts),
                                  "label": [index[label] for label in labels]})  # fmt: skip
        return data.map(
            lambda b: tokenizer(
                *_inputs(b["text"], b["question"], options),
                truncation=True,
                max_length=options.max_length,
            ),  # fmt: skip
            batched=True,
            remove_columns=["text", "question"],
        )

    weights = torch.tensor(class_weights(train_labels, names), dtype=torch.float)

    class WeightedTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            loss = torch.nn.functional.cross_entropy(outputs.logits, labels, weight=weights)
            return (loss, outputs) if return_outputs else loss

    def metrics(eval_pred):
        logits, gold = eval_pred
        predicted = np.argmax(logits, axis=-1)
        result = classification_metrics(
            [names[i] for i in gold], [names[i] for i in predicted], names, bootstrap=0
        )
        return {"macro_f1": result["macro_f1"], "accuracy": result["accuracy"]}

    has_validation = validation is not None and len(validation.texts) > 0
    early_stopping = has_validation and len(validation.texts) >= options.min_validation
    targets = [index[label] for label in train_labels]
    if options.epochs == 0:  # the frozen-encoder recipe: the fitted head is the model
        pairs = _inputs(train_texts, _questions(questions, train_texts), options)
        info = _frozen_encoder(model, tokenizer, pairs, targets, weights, groups, options)
        _save(model, tokenizer, out_dir, options)
        _write_training_args(out_dir, options, None)
        return {
            "train_loss": None, "epochs_run": 0, "early_stopping": False,
            "best_validation_macro_f1": None,
            "validation_claims": len(validation.texts) if has_validation else 0,
            "recipe": "fine-tune", "base_model": base,
            "linear_probe_epochs": options.probe_epochs, **info,
        }  # fmt: skip
    temperature = None
    if options.calibrate and len(set(groups)) >= 5:
        temperature = _held_out_temperature(
            train_texts, train_labels, names, options, groups, _questions(questions, train_texts)
        )
        set_seed(options.seed)
    train_data = encode(train_texts, train_labels, questions)
    pairs = _inputs(train_texts, _questions(questions, train_texts), options)
    probed = options.probe_epochs > 0 and _linear_probe(
        model, pairs, targets, weights, tokenizer, options
    )
    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            num_train_epochs=options.epochs,
            per_device_train_batch_size=options.batch_size,
            per_device_eval_batch_size=64,
            learning_rate=options.learning_rate,
            weight_decay=options.weight_decay,
            warmup_steps=0.1,  # a float below 1 is a ratio of all steps
            # a validation split too small to pick an epoch is scored once, after training
            eval_strategy="epoch" if early_stopping else "no",
            save_strategy="epoch" if early_stopping else "no",
            load_best_model_at_end=early_stopping,
            metric_for_best_model="macro_f1",
            greater_is_better=True,
            save_total_limit=1,
            logging_strategy="epoch",
            report_to=[],
            seed=options.seed,
            data_seed=options.seed,
            use_cpu=True,
            disable_tqdm=False,  # else Trainer prints raw log dicts when its logger is quiet
        )
        trainer = WeightedTrainer(
            model=model,
            args=args,
            train_dataset=train_data,
            eval_dataset=(
                encode(validation.texts, validation.labels, validation.questions)
                if early_stopping
                else None
            ),
            processing_class=tokenizer,
            data_collator=DataCollatorWithPadding(tokenizer),
            compute_metrics=metrics,
            callbacks=[EarlyStoppingCallback(options.patience)] if early_stopping else [],
        )
        trainer.remove_callback(ProgressCallback)
        trainer.remove_callback(PrinterCallback)
        if progress:
            trainer.add_callback(_epoch_progress())
        result = trainer.train()
        best = trainer.state.best_metric if early_stopping else None
        epochs_run = trainer.state.epoch
        if temperature is not None:
            from stancebank.models.head import apply_temperature

            apply_temperature(trainer.model, temperature)
        trainer.save_model(str(out_dir))
        _save(None, tokenizer, out_dir, options)
        _write_training_args(out_dir, options, args.to_dict())
    return {
        "train_loss": round(float(result.training_loss), 4),
        "epochs_run": epochs_run,
        "early_stopping": early_stopping,
        "best_validation_macro_f1": best,
        "validation_claims": len(validation.texts) if has_validation else 0,
        "recipe": "fine-tune",
        "base_model": base,
        "linear_probe_epochs": options.probe_epochs if probed else 0,
        **(
            {"temperature": round(temperature, 4), "calibration_items": "held-out fold"}
            if temperature is not None
            else {}
        ),
    }


def _held_out_temperature(texts, labels, names, options, groups, questions) -> float:
    """Temperature of the fine-tuning recipe: train it once more without one grouped fold
    (a fifth of the split's answers; extras always train), and fit T on that fold's logits."""
    import warnings
    from dataclasses import replace

    from sklearn.model_selection import StratifiedGroupKFold

    from stancebank.models.head import fit_temperature
    from stancebank.models.predict import load_classifier, predict_proba

    n = len(groups)
    splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=options.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class has fewer members"
        rest, held = next(splitter.split(texts[:n], labels[:n], list(groups)))
    keep = [*rest, *range(n, len(texts))]
    with tempfile.TemporaryDirectory() as scratch:
        fine_tune([texts[i] for i in keep], [labels[i] for i in keep], None, names,
                  Path(scratch), replace(options, calibrate=False),
                  questions=[questions[i] for i in keep], progress=False)  # fmt: skip
        classifier = load_classifier(scratch)
        probs = predict_proba(classifier, [texts[i] for i in held],
                              questions=[questions[i] for i in held])  # fmt: skip
    import numpy as np

    logits = np.log(np.clip(probs, 1e-12, 1.0))  # softmax is shift-invariant: log p are logits
    index = {name: i for i, name in enumerate(classifier.labels)}
    return fit_temperature(logits.astype("float32"), [index[labels[i]] for i in held])


def _questions(questions: Sequence[str], texts: Sequence[str]) -> list[str]:
    return list(questions) if questions else [""] * len(texts)


def _inputs(texts, questions, options: TrainOptions) -> tuple:
    """What the tokenizer reads: ``(questions, texts)`` as pairs, or the texts alone."""
    return (list(questions), list(texts)) if options.question_pair else (list(texts),)


def _save(model, tokenizer, out_dir: Path, options: TrainOptions) -> None:
    """The model (unless Trainer saved it), tokenizer, and what the model reads."""
    if model is not None:
        model.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    _write_input_file(out_dir, options)


def _write_input_file(out_dir: Path, options: TrainOptions) -> None:
    from stancebank.models.predict import INPUT_FILE

    reads = "question+claim" if options.question_pair else "claim"
    (out_dir / INPUT_FILE).write_text(json.dumps({"input": reads}) + "\n", encoding="utf-8")


def _write_training_args(out_dir: Path, options: TrainOptions, trainer: dict | None) -> None:
    (out_dir / "training_args.json").write_text(
        json.dumps({"stancebank": asdict(options), "trainer": trainer}, indent=1, default=str)
        + "\n",
        encoding="utf-8",
    )


def _epoch_progress():
    """Trainer's progress bar (drawn only on a terminal), with one short line per epoch on
    stderr instead of its raw log dicts (loss, grad_norm, learning_rate … as strings), which
    buried what a user looks for."""
    import sys

    from tqdm.auto import tqdm
    from transformers import ProgressCallback

    class EpochProgress(ProgressCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                self.training_bar = tqdm(total=state.max_steps, dynamic_ncols=True, disable=None)
            self.current_step = 0

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or self.training_bar is None or not logs:
                return
            parts = []
            if "loss" in logs:
                parts.append(f"train loss {float(logs['loss']):.4f}")
            if "eval_macro_f1" in logs:
                parts.append(f"validation macro-F1 {float(logs['eval_macro_f1']):.3f}")
            if parts:
                tqdm.write(f"epoch {state.epoch:g}: " + " · ".join(parts), file=sys.stderr)

    return EpochProgress()


def load_base(options: TrainOptions, names: Sequence[str]):
    """The base model with a fresh classification head for ``names``, its tokenizer, and
    the folder or id it was loaded from."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from stancebank.models.base import resolve_base_model

    base = resolve_base_model(options.base_model)
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(names),
        id2label=dict(enumerate(names)),
        label2id={n: i for i, n in enumerate(names)},
    )
    return model, tokenizer, base


def _head_fit(options: TrainOptions) -> dict:
    return {"epochs": options.probe_epochs, "batch_size": options.batch_size,
            "learning_rate": options.probe_learning_rate, "seed": options.seed}  # fmt: skip


def _frozen_encoder(model, tokenizer, inputs, targets, weights, groups, options) -> dict:
    """Fit the head on the frozen encoder's states and fold a temperature into it."""
    from stancebank.models.head import (
        apply_temperature,
        first_token_states,
        fit_head,
        fit_temperature,
        head_of,
        out_of_fold_logits,
    )  # fmt: skip

    if head_of(model) is None:
        raise ValueError(f"no known classification head on {type(model).__name__}")
    states = first_token_states(model, tokenizer, *inputs, max_length=options.max_length)
    temperature = 1.0
    n = len(groups)
    if options.calibrate and n >= 2:
        logits = out_of_fold_logits(
            model, states[:n], targets[:n], groups, always_train=(states[n:], targets[n:]),
            weights=weights, fit=_head_fit(options), seed=options.seed,
        )  # fmt: skip
        temperature = fit_temperature(logits, targets[:n])
    fit_head(model, states, targets, weights, **_head_fit(options))
    apply_temperature(model, temperature)
    return {"temperature": round(temperature, 4), "calibration_items": n}


def frozen_encoder_cv(
    options: TrainOptions, examples: Examples, extra: tuple[list[str], list[str]], *, seed: int = 0
) -> dict:
    """Grouped 5-fold cross-validation of the frozen-encoder recipe over ``examples`` (extras
    in every training fold): out-of-fold probabilities, on states computed once."""
    import torch

    from stancebank.models.head import first_token_states, out_of_fold_logits

    names = examples.label_names
    model, tokenizer, _ = load_base(options, names)
    index = {n: i for i, n in enumerate(names)}
    targets = [index[y] for y in examples.labels]
    extra_targets = [index[y] for y in extra[1]]
    weights = torch.tensor(class_weights([*examples.labels, *extra[1]], names), dtype=torch.float)
    texts = [*examples.texts, *extra[0]]
    questions = [examples.question_of(i) for i in range(len(examples.texts))]
    questions += list(extra[2]) if len(extra) > 2 else [""] * len(extra[0])
    states = first_token_states(model, tokenizer, *_inputs(texts, questions, options),
                                max_length=options.max_length)  # fmt: skip
    n = len(targets)
    logits = out_of_fold_logits(
        model, states[:n], targets, examples.groups, always_train=(states[n:], extra_targets),
        weights=weights, fit=_head_fit(options), seed=seed,
    )  # fmt: skip
    return {"probabilities": torch.softmax(torch.tensor(logits), -1).numpy(), "seed": seed}


def _linear_probe(model, inputs, labels, weights, tokenizer, options: TrainOptions) -> bool:
    """Warm-start the classification head on the frozen encoder's first-token states before
    full fine-tuning, so that fine-tuning does not wreck the encoder to fix an untuned head.
    Returns False (nothing done) for an architecture whose head we do not know."""
    from stancebank.models.head import first_token_states, fit_head, head_of

    if head_of(model) is None:
        return False
    states = first_token_states(model, tokenizer, *inputs, max_length=options.max_length)
    fit_head(model, states, labels, weights, **_head_fit(options))
    return True
