"""The sentence head as a standard transformers classifier: no code of ours in the folder.

``…ForSequenceClassification`` reads the first token's state, which sentence encoders never
tuned. So the encoder gets one more layer, set by hand rather than trained, that makes the
first token's state the pooled sentence:

* its queries and keys are zero, so every token attends to all the others equally — the
  mean of the token states under the attention mask. Encoders with a relative-position
  bias (MPNet) add that bias to the scores, so there each head's 64 dimensions are a
  position-weighted mean (measured: 0.98 cosine to the plain mean on the dev claims, the
  same benefit/harm figures in grouped CV);
* its values are the identity and its output projection ``SCALE`` times the identity, so
  the residual (the first token's own state) weighs a ten-thousandth of the pooled vector
  (with BERT: within 1.4e-4 of the centred, L2-normalised mean), and the layer's LayerNorm
  (weight 1, bias 0) normalises it; its feed-forward block is zero.

The classification head then carries a logistic regression on that normalised vector
(divided by √hidden, so it has unit length as the L2-normalised embedding has): the head's
``dense`` holds the regression's weights times ``LINEAR``, where ``tanh`` is the identity
to a few parts in a million, and ``out_proj`` (or BERT's classifier) divides by it again.
The folder is a plain ``BertForSequenceClassification`` / ``RobertaForSequenceClassification``
/ ``XLMRobertaForSequenceClassification`` / ``MPNetForSequenceClassification``: the Hub
widget, ``pipeline("text-classification", model=DIR)`` and ONNX exporters load it as it is.
"""

from __future__ import annotations

import math

import numpy as np
import torch

SUPPORTED = ("bert", "roberta", "xlm-roberta", "mpnet")
"""Encoder types whose layers and classification heads are set here."""
SCALE = 1e4
LINEAR = 1e-3


def supports(config) -> bool:
    return getattr(config, "model_type", None) in SUPPORTED


def with_pooling_layer(encoder):
    """A copy of ``encoder`` (an ``AutoModel`` of a supported type, without its pooler)
    with the pooling layer appended; its ``last_hidden_state[:, 0]`` is the pooled,
    normalised sentence (:func:`features`)."""
    from transformers import AutoModel

    config = encoder.config.__class__.from_dict(encoder.config.to_dict())
    config.num_hidden_layers += 1
    try:
        pooled = AutoModel.from_config(config, add_pooling_layer=False)
    except TypeError:  # pragma: no cover - every supported type takes the argument
        pooled = AutoModel.from_config(config)
    missing, unexpected = pooled.load_state_dict(encoder.state_dict(), strict=False)
    added = f"encoder.layer.{config.num_hidden_layers - 1}."
    assert not unexpected and all(key.startswith(added) for key in missing), (missing, unexpected)
    _set_pooling(pooled.encoder.layer[-1], config)
    return pooled.eval()


def _set_pooling(layer, config) -> None:
    hidden = config.hidden_size
    if config.model_type == "mpnet":
        attention = layer.attention.attn
        query, key, value, output = attention.q, attention.k, attention.v, attention.o
        norm = layer.attention.LayerNorm
    else:
        query, key = layer.attention.self.query, layer.attention.self.key
        value = layer.attention.self.value
        output, norm = layer.attention.output.dense, layer.attention.output.LayerNorm
    with torch.no_grad():
        for linear in (query, key, layer.intermediate.dense, layer.output.dense):
            linear.weight.zero_()
            linear.bias.zero_()
        value.weight.copy_(torch.eye(hidden))
        value.bias.zero_()
        output.weight.copy_(torch.eye(hidden) * SCALE)
        output.bias.zero_()
        for layer_norm in (norm, layer.output.LayerNorm):
            layer_norm.weight.fill_(1.0)
            layer_norm.bias.zero_()


def features(last_hidden_state: torch.Tensor) -> torch.Tensor:
    """The pooled sentence the head reads: the first token's state, unit length."""
    return last_hidden_state[:, 0] / math.sqrt(last_hidden_state.shape[-1])


def classifier(pooled_encoder, weights: np.ndarray, bias: np.ndarray, labels: list[str]):
    """A ``…ForSequenceClassification`` for ``labels``: ``pooled_encoder`` (from
    :func:`with_pooling_layer`) and a head computing ``weights @ features + bias``."""
    from transformers import AutoModelForSequenceClassification

    config = pooled_encoder.config.__class__.from_dict(pooled_encoder.config.to_dict())
    config.num_labels = len(labels)
    config.id2label = dict(enumerate(labels))
    config.label2id = {label: i for i, label in enumerate(labels)}
    config.architectures = None
    model = AutoModelForSequenceClassification.from_config(config)
    body = getattr(model, model.base_model_prefix)
    missing, unexpected = body.load_state_dict(pooled_encoder.state_dict(), strict=False)
    assert not unexpected and all(key.startswith("pooler.") for key in missing), missing
    # the head reads the first token's state; features() divides it by √hidden
    scaled = torch.from_numpy(np.asarray(weights, dtype=np.float32)) / math.sqrt(config.hidden_size)
    intercept = torch.from_numpy(np.asarray(bias, dtype=np.float32))
    n = len(labels)
    if config.model_type == "bert":
        into, out = body.pooler.dense, model.classifier
    else:
        into, out = model.classifier.dense, model.classifier.out_proj
    with torch.no_grad():
        for linear in (into, out):
            linear.weight.zero_()
            linear.bias.zero_()
        into.weight[:n] = scaled * LINEAR
        into.bias[:n] = intercept * LINEAR
        out.weight[:, :n] = torch.eye(n) / LINEAR
    return model.eval()
