"""The classification head on a frozen encoder: first-token states computed once, the head
fitted on them (the linear-probe warm start of fine-tuning, or the whole model in the
frozen-encoder recipe, :func:`train_frozen_head`), grouped cross-validation and temperature
scaling on the same cached states.

A ``…ForSequenceClassification`` model classifies from the first token's state; sentence
encoders such as all-MiniLM and all-mpnet were trained for mean pooling, so that head starts
untuned. Fitting it on cached states costs one forward pass and then seconds per fit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def head_of(model) -> tuple[list, Callable] | None:
    """``(head parameters, logits from first-token states)``, or None for an architecture
    whose head we do not know.

    BERT-like models classify ``dropout(pooler(h[:, 0]))``; RoBERTa/MPNet-like ones hand the
    sequence to a classification head that reads its first token itself.
    """
    head = getattr(model, "classifier", None)
    pooler = getattr(model.base_model, "pooler", None)
    dropout = getattr(model, "dropout", None)
    if head is None:
        return None
    if pooler is not None and dropout is not None:
        return [*pooler.parameters(), *head.parameters()], lambda s: head(dropout(pooler(s)))
    if hasattr(head, "out_proj"):
        return list(head.parameters()), head
    return None


def output_layer(model):
    """The last linear layer, whose outputs are the logits."""
    head = model.classifier
    return head.out_proj if hasattr(head, "out_proj") else head


def first_token_states(model, tokenizer, *inputs: Sequence[str], max_length: int):
    """Encoder states of each input's first token, shape ``(n, 1, hidden)``; ``inputs`` is
    the texts, or the questions and the texts (read as pairs)."""
    import torch

    model.eval()
    states = []
    with torch.inference_mode():
        for start in range(0, len(inputs[-1]), 64):
            batch = [list(column[start : start + 64]) for column in inputs]
            enc = tokenizer(*batch, padding=True, truncation=True, max_length=max_length,
                            return_tensors="pt")  # fmt: skip
            states.append(model.base_model(**enc).last_hidden_state[:, :1].clone())
    return torch.cat(states)


def fit_head(model, states, targets: Sequence[int], weights, *, epochs: int, batch_size: int,
             learning_rate: float, seed: int) -> None:  # fmt: skip
    """Train the head (only) on cached states with class-weighted cross-entropy."""
    import torch

    parameters, logits_of = head_of(model)
    targets = torch.tensor(list(targets))
    optimiser = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=0.01)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _epoch in range(epochs):
        order = torch.randperm(len(targets), generator=generator)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            loss = torch.nn.functional.cross_entropy(
                logits_of(states[batch]), targets[batch], weight=weights
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()


def head_logits(model, states) -> np.ndarray:
    import torch

    _parameters, logits_of = head_of(model)
    model.eval()
    with torch.inference_mode():
        return logits_of(states).float().numpy()


def out_of_fold_logits(
    model, states, targets: Sequence[int], groups: Sequence[str], *, always_train=None,
    weights, fit: dict, seed: int = 0,
) -> np.ndarray:  # fmt: skip
    """Logits of each item from a head fitted without its group (grouped, stratified folds),
    starting from the head as it is now; ``always_train`` = ``(states, targets)`` added to
    every training fold (never scored). The model's head is restored afterwards."""
    import torch

    from stancebank.models.folds import out_of_fold

    parameters, _ = head_of(model)
    initial = [p.detach().clone() for p in parameters]
    extra_states, extra_targets = always_train if always_train else (states[:0], [])
    targets = list(targets)

    def restore() -> None:
        with torch.no_grad():
            for p, value in zip(parameters, initial, strict=True):
                p.copy_(value)

    def fit_fold(train) -> None:
        restore()
        fit_head(model, torch.cat([states[train], extra_states]),
                 [targets[i] for i in train] + list(extra_targets), weights, **fit)  # fmt: skip

    def score(_, test) -> np.ndarray:
        return head_logits(model, states[test])

    try:
        return out_of_fold(targets, groups, fit=fit_fold, score=score, seed=seed)
    finally:
        restore()


def fit_temperature(logits: np.ndarray, targets: Sequence[int]) -> float:
    """The temperature T minimising the negative log-likelihood of ``softmax(logits / T)``
    (Guo et al., 2017); 1.0 when there is nothing to fit."""
    import torch

    if len(targets) == 0:
        return 1.0
    x, y = torch.tensor(logits), torch.tensor(list(targets))
    log_t = torch.zeros(1, requires_grad=True)
    optimiser = torch.optim.LBFGS([log_t], max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(x / log_t.exp(), y)
        loss.backward()
        return loss

    optimiser.step(closure)
    return float(log_t.detach().exp().clamp(0.05, 20.0))


def apply_temperature(model, temperature: float) -> None:
    """Divide the logits by ``temperature`` inside the model, so every consumer (our predict,
    a plain ``pipeline``) gets the calibrated probabilities."""
    import torch

    layer = output_layer(model)
    with torch.no_grad():
        layer.weight.div_(temperature)
        layer.bias.div_(temperature)


def _head_fit(options) -> dict:
    return {"epochs": options.probe_epochs, "batch_size": options.batch_size,
            "learning_rate": options.probe_learning_rate, "seed": options.seed}  # fmt: skip


def linear_probe(model, tokenizer, inputs, targets, weights, options) -> bool:
    """Fit the head on the frozen encoder's first-token states (the warm start before full
    fine-tuning, so that fine-tuning does not wreck the encoder to fix an untuned head).
    Returns False (nothing done) for an architecture whose head we do not know."""
    if head_of(model) is None:
        return False
    states = first_token_states(model, tokenizer, *inputs, max_length=options.max_length)
    fit_head(model, states, targets, weights, **_head_fit(options))
    return True


def train_frozen_head(texts, labels, names, out_dir, options, *, groups=(), questions=()) -> dict:
    """The frozen-encoder recipe (``--recipe fine-tune --epochs 0``): the head of a
    ``…ForSequenceClassification`` model fitted on the frozen encoder's first-token states,
    temperature-scaled by grouped cross-validation over the first ``len(groups)`` items (the
    rest are extras, always trained on), and saved to ``out_dir``."""
    import torch

    from stancebank.models.base import load_base
    from stancebank.models.data import class_weights, model_inputs
    from stancebank.models.folder import write_model

    model, tokenizer, base = load_base(options.base_model, names)
    if head_of(model) is None:
        raise ValueError(f"no known classification head on {type(model).__name__}")
    index = {n: i for i, n in enumerate(names)}
    targets = [index[label] for label in labels]
    weights = torch.tensor(class_weights(labels, names), dtype=torch.float)
    inputs = model_inputs(texts, questions, pairs=options.question_pair)
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
    write_model(out_dir, model, tokenizer, options)
    return {
        "train_loss": None, "epochs_run": 0, "early_stopping": False,
        "best_validation_macro_f1": None, "recipe": "fine-tune", "base_model": base,
        "linear_probe_epochs": options.probe_epochs,
        "temperature": round(temperature, 4), "calibration_items": n,
    }  # fmt: skip


def frozen_head_cv(options, examples, extra, *, seed: int = 0) -> np.ndarray:
    """Out-of-fold probabilities of the frozen-encoder recipe over ``examples`` in grouped
    5-fold cross-validation (``extra`` = (texts, labels, questions) in every training fold),
    on states computed once."""
    import torch

    from stancebank.models.base import load_base
    from stancebank.models.data import class_weights, model_inputs

    names = examples.label_names
    model, tokenizer, _ = load_base(options.base_model, names)
    index = {n: i for i, n in enumerate(names)}
    targets = [index[y] for y in examples.labels]
    extra_targets = [index[y] for y in extra[1]]
    weights = torch.tensor(class_weights([*examples.labels, *extra[1]], names), dtype=torch.float)
    texts = [*examples.texts, *extra[0]]
    questions = [examples.question_of(i) for i in range(len(examples.texts))]
    questions += list(extra[2]) if len(extra) > 2 else [""] * len(extra[0])
    inputs = model_inputs(texts, questions, pairs=options.question_pair)
    states = first_token_states(model, tokenizer, *inputs, max_length=options.max_length)
    n = len(targets)
    logits = out_of_fold_logits(
        model, states[:n], targets, examples.groups, always_train=(states[n:], extra_targets),
        weights=weights, fit=_head_fit(options), seed=seed,
    )  # fmt: skip
    return torch.softmax(torch.tensor(logits), -1).numpy()
