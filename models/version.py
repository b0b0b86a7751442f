"""A model's version from its content: a readable prefix and a hash of its weights and
label map. A retrained model saved to the same folder gets a new version, so Label Studio
shows its pre-annotations and ``label push`` sends them; the same weights give the same
version on every machine."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_CHUNK = 1 << 20


def content_version(model_dir: str | Path, prefix: str) -> str:
    """``PREFIX-<12 hex>`` from the weight files' bytes and ``config.json``'s ``id2label``."""
    folder = Path(model_dir)
    digest = hashlib.sha256()
    for name in WEIGHT_FILES:
        path = folder / name
        if path.is_file():
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    digest.update(json.dumps(config.get("id2label", {}), sort_keys=True).encode())
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", prefix).strip("-") or "model"
    return f"{readable}-{digest.hexdigest()[:12]}"


def base_prefix(base_model: str) -> str:
    """A readable prefix for a model trained by stancebank from ``base_model``."""
    short = Path(base_model.rstrip("/")).name or "model"
    return f"stancebank-{short}"
