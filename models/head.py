"""The classification head on a frozen encoder: first-token states computed once, the head
fitted on them (the linear-probe warm start, or the whole model when the encoder stays
frozen), grouped cross-validation and temperature scaling on the same cached states.

A ``…ForSequenceClassification`` model classifies from the first token's state; sentence
encoders such as all-MiniLM and all-mpnet were trained for mean pooling, so that head starts
untuned. Fitting it on cached states costs one forward pass and then seconds per fit.
"""

from __future__ import annotations

import warnings
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
    weights, fit: dict, folds: int = 5, seed: int = 0,
) -> np.ndarray:  # fmt: skip
    """Logits of each item from a head fitted without its group (grouped, stratified folds),
    starting from the head as it is now; ``always_train`` = ``(states, targets)`` added to
    every training fold (never scored). The model's head is restored afterwards."""
    import torch
    from sklearn.model_selection import StratifiedGroupKFold

    parameters, _ = head_of(model)
    initial = [p.detach().clone() for p in parameters]
    extra_states, extra_targets = always_train if always_train else (states[:0], [])
    logits = np.zeros((len(targets), output_layer(model).out_features), dtype=np.float32)
    n_folds = max(2, min(folds, len(set(groups))))
    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class has fewer members"
        splits = list(splitter.split(np.zeros(len(targets)), list(targets), list(groups)))
    targets = list(targets)
    for train, test in splits:
        with torch.no_grad():
            for p, value in zip(parameters, initial, strict=True):
                p.copy_(value)
        fit_head(model, torch.cat([states[train], extra_states]),
                 [targets[i] for i in train] + list(extra_targets), weights, **fit)  # fmt: skip
        logits[test] = head_logits(model, states[test])
    with torch.no_grad():
        for p, value in zip(parameters, initial, strict=True):
            p.copy_(value)
    return logits


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
