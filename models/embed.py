"""The one sentence embedder: a sentence encoder's token states mean-pooled under the
attention mask and L2-normalised (how all-MiniLM and all-mpnet were trained to be read,
:func:`stancebank.models.pooled.mean_pooled`), computed once per text.

The default recipe's output layer, the baselines beside it, its grouped CV and the zero-shot
reference all read these embeddings, so one forward pass over a text serves them all.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stancebank.dataset.progress import progress_bar

BATCH_SIZE = 64
MAX_LENGTH = 128


def load_encoder(base: str):
    """The sentence encoder (without its own pooler, which mean pooling never reads) and
    its tokenizer."""
    from transformers import AutoModel, AutoTokenizer

    try:
        encoder = AutoModel.from_pretrained(base, add_pooling_layer=False)
    except TypeError:
        encoder = AutoModel.from_pretrained(base)
    return encoder.eval(), AutoTokenizer.from_pretrained(base)


class Embedder:
    """A sentence encoder loaded once, and the embeddings it has computed, by text.

    After :meth:`add_pooling_layer` the encoder carries :mod:`models.pooling_layer`'s extra
    layer, and the same forward pass also gives what a standard classifier's head reads
    (:meth:`pooled`); the mean-pooled embeddings stay those of the encoder's own last layer.
    """

    def __init__(self, base: str, *, max_length: int = MAX_LENGTH) -> None:
        self.base = base
        self.max_length = max_length
        self.encoder, self.tokenizer = load_encoder(base)
        self.pooling_layer = False
        self._known: dict[str, np.ndarray] = {}
        self._pooled: dict[str, np.ndarray] = {}

    def add_pooling_layer(self) -> None:
        """Append the pooling layer (before any text is embedded)."""
        from stancebank.models.pooling_layer import with_pooling_layer

        assert not self._known, "add the pooling layer before embedding"
        self.encoder = with_pooling_layer(self.encoder)
        self.pooling_layer = True

    def pooled(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """What the pooling layer makes of ``texts`` (the standard classifier's features)."""
        if not self.pooling_layer:
            raise ValueError("this embedder has no pooling layer")
        self(texts, progress=progress)
        hidden = self.encoder.config.hidden_size
        if not texts:
            return np.zeros((0, hidden), dtype=np.float32)
        return np.stack([self._pooled[t] for t in texts]).astype(np.float32)

    def __call__(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """The embeddings of ``texts``, shape ``(len(texts), hidden)``, in input order;
        texts not seen yet are embedded in batches sorted by length (little padding)."""
        import torch

        from stancebank.models.pooled import mean_pooled
        from stancebank.models.pooling_layer import features

        new = sorted({t for t in texts if t not in self._known}, key=lambda t: (len(t), t))
        with (
            torch.inference_mode(),
            progress_bar(total=len(new), desc="embed", unit="text", enabled=progress) as bar,
        ):
            for start in range(0, len(new), BATCH_SIZE):
                batch = new[start : start + BATCH_SIZE]
                encoded = self.tokenizer(
                    batch, padding=True, truncation=True, max_length=self.max_length,
                    return_tensors="pt",
                )  # fmt: skip
                output = self.encoder(**encoded, output_hidden_states=self.pooling_layer)
                # the encoder's own last layer: the one before the pooling layer, if any
                states = output.hidden_states[-2] if self.pooling_layer else output[0]
                pooled = mean_pooled(states, encoded["attention_mask"]).float().numpy()
                self._known.update(zip(batch, pooled, strict=True))
                if self.pooling_layer:
                    first = features(output.last_hidden_state).float().numpy()
                    self._pooled.update(zip(batch, first, strict=True))
                bar.update(len(batch))
        hidden = self.encoder.config.hidden_size
        if not texts:
            return np.zeros((0, hidden), dtype=np.float32)
        return np.stack([self._known[t] for t in texts]).astype(np.float32)
