"""Mean pooling, and the architecture of the folders the retired ``sentence-head`` recipe
wrote (until 2026-12-08): the encoder's states mean-pooled over the tokens and
L2-normalised (how all-MiniLM and all-mpnet were trained to be read), then one linear layer.

:func:`mean_pooled` is how :class:`stancebank.models.embed.Embedder` reads a sentence
encoder for the baselines and the zero-shot reference. The classes are kept so that those
older folders still load in stancebank (:func:`register`, without running the ``pooled.py``
the folder carries); new folders are plain transformers models (:mod:`models.pooling_layer`).
This file imports only torch and transformers because those folders carry a copy of it.
"""

from __future__ import annotations

import torch
from transformers import (
    AutoConfig,
    AutoModel,
    AutoModelForSequenceClassification,
    PretrainedConfig,
    PreTrainedModel,
)
from transformers.modeling_outputs import SequenceClassifierOutput

MODEL_TYPE = "stancebank-mean-pooling"


def mean_pooled(states: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean of the token states under the attention mask, L2-normalised."""
    mask = attention_mask.unsqueeze(-1).to(states.dtype)
    pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


class MeanPoolingConfig(PretrainedConfig):
    """``encoder``: the sentence encoder's own config, as a dict."""

    model_type = MODEL_TYPE

    def __init__(self, encoder: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.encoder = dict(encoder or {})

    def encoder_config(self) -> PretrainedConfig:
        settings = dict(self.encoder)
        return AutoConfig.for_model(settings.pop("model_type"), **settings)


class MeanPoolingClassifier(PreTrainedModel):
    config_class = MeanPoolingConfig
    base_model_prefix = "encoder"

    def __init__(self, config: MeanPoolingConfig):
        super().__init__(config)
        encoder_config = config.encoder_config()
        try:  # the encoder's own pooler would be dead weight (and randomly initialised)
            self.encoder = AutoModel.from_config(encoder_config, add_pooling_layer=False)
        except TypeError:
            self.encoder = AutoModel.from_config(encoder_config)
        self.classifier = torch.nn.Linear(encoder_config.hidden_size, config.num_labels)
        self.post_init()

    def sentence_embeddings(self, input_ids, attention_mask, **inputs) -> torch.Tensor:
        """Mean of the token states under the attention mask, L2-normalised."""
        inputs = {k: v for k, v in inputs.items() if v is not None}
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **inputs)
        return mean_pooled(states.last_hidden_state, attention_mask)

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None,
                **kwargs) -> SequenceClassifierOutput:  # fmt: skip
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        embeddings = self.sentence_embeddings(input_ids, attention_mask,
                                              token_type_ids=token_type_ids)  # fmt: skip
        logits = self.classifier(embeddings.to(self.classifier.weight.dtype))
        loss = None
        if labels is not None:
            loss = torch.nn.functional.cross_entropy(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)


def register() -> None:
    """Let ``AutoConfig``/``AutoModelForSequenceClassification`` load these folders."""
    AutoConfig.register(MODEL_TYPE, MeanPoolingConfig, exist_ok=True)
    AutoModelForSequenceClassification.register(
        MeanPoolingConfig, MeanPoolingClassifier, exist_ok=True
    )
