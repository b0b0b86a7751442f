"""Fine-tune a sequence-classification model on the stance dataset (transformers.Trainer).

The input is the claim text alone, so the saved folder works on any labelled claims and
with ``pipeline("text-classification", model=MODEL_DIR)`` as it is. Small data is helped
by two honest extras, both on by default and kept out of the published dataset: the label
definitions from the schema as one example each, and the team-written examples in
``models/examples/team_examples.jsonl`` (marked ``source: team-written``).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from stancebank.dataset.jsonl import read_jsonl
from stancebank.dataset.schema import label_names
from stancebank.models.data import Examples
from stancebank.models.options import TEAM_EXAMPLES, TrainOptions

__all__ = ["TEAM_EXAMPLES", "TrainOptions", "fine_tune", "training_examples"]


def training_examples(
    train: Examples, options: TrainOptions
) -> tuple[list[str], list[str], dict[str, int]]:
    """The training texts and labels: the split's, then the extras ``options`` asks for;
    and how many of each extra were added."""
    texts, labels = list(train.texts), list(train.labels)
    names = label_names()
    added: dict[str, int] = {}
    if options.label_descriptions:
        texts += list(names.definitions)
        labels += list(names.stances)
        added["label_descriptions"] = len(names.stances)
    if options.team_examples:
        team = [r for _, r in read_jsonl(options.team_examples) if r.get("label") in names.stances]
        texts += [r["text"] for r in team]
        labels += [r["label"] for r in team]
        added["team_examples"] = len(team)
    return texts, labels, added


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
    progress: bool = True,
) -> dict:
    """Train, keep the best epoch by validation macro-F1, save the model to ``out_dir``."""
    import numpy as np
    import torch
    from datasets import Dataset
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        EarlyStoppingCallback,
        PrinterCallback,
        ProgressCallback,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    from stancebank.models.base import default_base_model
    from stancebank.models.metrics import classification_metrics

    set_seed(options.seed)
    base = options.base_model or default_base_model()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(names),
        id2label=dict(enumerate(names)),
        label2id={n: i for i, n in enumerate(names)},
    )
    index = {n: i for i, n in enumerate(names)}

    def encode(texts, labels):
        data = Dataset.from_dict({"text": texts, "label": [index[label] for label in labels]})
        return data.map(
            lambda b: tokenizer(b["text"], truncation=True, max_length=options.max_length),
            batched=True,
            remove_columns=["text"],
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
    train_data = encode(train_texts, train_labels)
    probed = options.probe_epochs > 0 and _linear_probe(
        model, train_texts, [index[label] for label in train_labels], weights, tokenizer, options
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
            eval_dataset=encode(validation.texts, validation.labels) if early_stopping else None,
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
        trainer.save_model(str(out_dir))
        tokenizer.save_pretrained(str(out_dir))
        (out_dir / "training_args.json").write_text(
            json.dumps({"stancebank": asdict(options), "trainer": args.to_dict()}, indent=1,
                       default=str) + "\n", encoding="utf-8",
        )  # fmt: skip
    return {
        "train_loss": round(float(result.training_loss), 4),
        "epochs_run": epochs_run,
        "early_stopping": early_stopping,
        "best_validation_macro_f1": best,
        "validation_claims": len(validation.texts) if has_validation else 0,
        "base_model": base,
        "linear_probe_epochs": options.probe_epochs if probed else 0,
    }


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


def _linear_probe(model, texts, labels, weights, tokenizer, options: TrainOptions) -> bool:
    """Warm-start the pooler and classifier on the frozen encoder's [CLS] states.

    all-MiniLM was trained for mean pooling, so the [CLS] pooler that
    ``BertForSequenceClassification`` classifies from starts out untuned; fitting it on
    cached encoder outputs first (one forward pass, then cheap epochs) keeps full
    fine-tuning from wrecking the encoder to fix the head. BERT-like models only; returns
    False (nothing done) for others.
    """
    import torch

    pooler = getattr(model.base_model, "pooler", None)
    head, dropout = getattr(model, "classifier", None), getattr(model, "dropout", None)
    if pooler is None or head is None or dropout is None:
        return False
    model.eval()
    states = []
    with torch.no_grad():
        for start in range(0, len(texts), 64):
            enc = tokenizer(list(texts[start : start + 64]), padding=True, truncation=True,
                            max_length=options.max_length, return_tensors="pt")  # fmt: skip
            states.append(model.base_model(**enc).last_hidden_state[:, :1])
    states = torch.cat(states)
    targets = torch.tensor(labels)
    parameters = [*pooler.parameters(), *head.parameters()]
    optimiser = torch.optim.AdamW(parameters, lr=options.probe_learning_rate, weight_decay=0.01)
    generator = torch.Generator().manual_seed(options.seed)
    model.train()
    for _epoch in range(options.probe_epochs):
        order = torch.randperm(len(targets), generator=generator)
        for start in range(0, len(order), options.batch_size):
            batch = order[start : start + options.batch_size]
            logits = head(dropout(pooler(states[batch])))
            loss = torch.nn.functional.cross_entropy(logits, targets[batch], weight=weights)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return True
