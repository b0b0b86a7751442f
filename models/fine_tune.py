"""The fine-tuning recipe (``--recipe fine-tune``): a ``…ForSequenceClassification`` model
trained with ``transformers.Trainer`` — class-weighted loss, fixed seed, a linear-probe warm
start of the head, early stopping on validation macro-F1 only when the validation split is
big enough to pick an epoch, and a temperature fitted on a grouped fifth of the train split
held out from one extra training run.

It was the default before the sentence head (models/EXPERIMENTS.md); ``--epochs 0`` is the
frozen-encoder recipe of :func:`stancebank.models.head.train_frozen_head`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from stancebank.models.data import Examples, class_weights, model_inputs
from stancebank.models.options import TrainOptions


def train_fine_tuned(
    texts: list[str],
    labels: list[str],
    validation: Examples | None,
    names: list[str],
    out_dir: Path,
    options: TrainOptions,
    *,
    groups: Sequence[str] = (),
    questions: Sequence[str] = (),
    progress: bool = True,
) -> dict:
    """Fine-tune on ``texts`` (the first ``len(groups)`` from the release, grouped by
    answer, for the held-out temperature; the rest extras) and save to ``out_dir``."""
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

    from stancebank.models.base import load_base
    from stancebank.models.folder import write_model
    from stancebank.models.head import apply_temperature, linear_probe
    from stancebank.models.metrics import classification_metrics

    set_seed(options.seed)
    model, tokenizer, base = load_base(options.base_model, names)
    index = {n: i for i, n in enumerate(names)}
    temperature = None
    if options.calibrate and len(set(groups)) >= 5:
        temperature = _held_out_temperature(texts, labels, names, options, groups, questions)
        set_seed(options.seed)

    def encode(texts, labels, questions):
        data = Dataset.from_dict({"text": list(texts), "question": _filled(questions, texts),
                                  "label": [index[label] for label in labels]})  # fmt: skip
        return data.map(
            lambda b: tokenizer(
                *model_inputs(b["text"], b["question"], pairs=options.question_pair),
                truncation=True,
                max_length=options.max_length,
            ),  # fmt: skip
            batched=True,
            remove_columns=["text", "question"],
        )

    weights = torch.tensor(class_weights(labels, names), dtype=torch.float)

    class WeightedTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            gold = inputs.pop("labels")
            outputs = model(**inputs)
            loss = torch.nn.functional.cross_entropy(outputs.logits, gold, weight=weights)
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
    targets = [index[label] for label in labels]
    inputs = model_inputs(texts, questions, pairs=options.question_pair)
    probed = options.probe_epochs > 0 and linear_probe(
        model, tokenizer, inputs, targets, weights, options
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
            train_dataset=encode(texts, labels, questions),
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
            apply_temperature(trainer.model, temperature)
        write_model(out_dir, trainer.model, tokenizer, options, trainer_args=args.to_dict())
    return {
        "train_loss": round(float(result.training_loss), 4),
        "epochs_run": epochs_run,
        "early_stopping": early_stopping,
        "best_validation_macro_f1": best,
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
    """Train the recipe once more without one grouped fold (a fifth of the split's answers;
    extras always train), and fit the temperature on that fold's logits."""
    import numpy as np

    from stancebank.models.folds import grouped_folds
    from stancebank.models.head import fit_temperature
    from stancebank.models.predict import load_classifier, predict_proba

    n = len(groups)
    questions = _filled(questions, texts)
    rest, held = grouped_folds(labels[:n], groups, seed=options.seed)[0]
    keep = [*rest, *range(n, len(texts))]
    with tempfile.TemporaryDirectory() as scratch:
        train_fine_tuned([texts[i] for i in keep], [labels[i] for i in keep], None, names,
                         Path(scratch), replace(options, calibrate=False),
                         questions=[questions[i] for i in keep], progress=False)  # fmt: skip
        classifier = load_classifier(scratch)
        probs = predict_proba(classifier, [texts[i] for i in held],
                              questions=[questions[i] for i in held])  # fmt: skip
    logits = np.log(np.clip(probs, 1e-12, 1.0))  # softmax is shift-invariant: log p are logits
    index = {name: i for i, name in enumerate(classifier.labels)}
    return fit_temperature(logits.astype("float32"), [index[labels[i]] for i in held])


def _filled(questions: Sequence[str], texts: Sequence[str]) -> list[str]:
    return list(questions) if questions else [""] * len(texts)


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
