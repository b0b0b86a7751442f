"""``stancebank export``: a model folder as ONNX, for ONNX Runtime, Triton, browsers.

The model is exported with PyTorch's own exporter (``torch.onnx.export``, the dynamo
path, one self-contained ``model.onnx``) rather than Hugging Face ``optimum``: the released
``optimum-onnx`` pins ``transformers<4.58`` and stancebank runs on transformers 5. The
folder keeps the tokenizer, ``config.json`` (labels) and ``stancebank.json`` (what the model
reads, its version), so ``predict`` and ``serve-model`` run it as they run the PyTorch
folder (:class:`OnnxModel`). Before the folder is written, the exported model is run on a
few texts beside the PyTorch one, and a difference in any logit above :data:`TOLERANCE`
fails the export.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from stancebank.dataset.errors import InputError, ServiceError

FORMATS = ("onnx",)
ONNX_FILE = "model.onnx"
TOLERANCE = 1e-3
"""Largest logit difference between the exported model and the PyTorch one on the probe
texts (measured: under 1e-5)."""
_PROBES = (
    "Cameras keep us safe.",
    "Nobody dares to speak freely any more, and it is everywhere now: at work, on the bus.",
    "It helps a bit; it hurts more.",
)


class MissingExtra(ServiceError):
    """ONNX support is an optional install."""

    exit_status = 2


def _require(*, exporting: bool = False) -> None:
    try:
        import onnxruntime  # noqa: F401

        if exporting:
            import onnxscript  # noqa: F401
    except ImportError:
        raise MissingExtra("ONNX needs the onnx extra: pip install 'stancebank[onnx]'") from None


@dataclass(frozen=True)
class ExportResult:
    out: Path
    format: str
    max_logit_difference: float
    """On the probe texts, between the exported model and the PyTorch one."""


def export(model_dir: str | Path, out: str | Path, *, format: str = "onnx") -> ExportResult:
    """Export the PyTorch model folder ``model_dir`` to ``out`` (replaced only when the
    whole export succeeds and agrees with the original)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from stancebank.dataset.outputs import check_output_dir, staged_directory
    from stancebank.models.pooled import register

    if format not in FORMATS:
        raise InputError("--format", f"'{format}': choose from {', '.join(FORMATS)}")
    source = Path(model_dir)
    if (source / ONNX_FILE).is_file():
        raise InputError(source, "is an ONNX folder already; export the PyTorch model folder")
    if not (source / "config.json").is_file():
        raise InputError(source, "not a model folder (no config.json)")
    _require(exporting=True)
    check_output_dir(out, command="export", inputs=[source])
    register()  # folders of the retired sentence-head recipe export too
    model = AutoModelForSequenceClassification.from_pretrained(source).eval()
    tokenizer = AutoTokenizer.from_pretrained(source)
    probe = tokenizer(list(_PROBES), padding=True, return_tensors="pt")
    names = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in probe]
    with staged_directory(out, command="export") as staging:
        batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
        _quietly(lambda: torch.onnx.export(
            model, (), str(staging / ONNX_FILE), kwargs={n: probe[n] for n in names},
            input_names=names, output_names=["logits"], dynamo=True, external_data=False,
            dynamic_shapes={n: {0: batch, 1: sequence} for n in names},
        ))  # fmt: skip
        with torch.inference_mode():
            expected = model(**{n: probe[n] for n in names}).logits.numpy()
        session = _session(staging / ONNX_FILE)
        got = session.run(["logits"], {n: probe[n].numpy() for n in names})[0]
        difference = float(np.abs(got - expected).max())
        if difference > TOLERANCE:
            raise ServiceError(f"{source}: the exported model's logits differ from the "
                               f"original's by {difference:.2g} (> {TOLERANCE})")  # fmt: skip
        model.config.save_pretrained(str(staging))
        tokenizer.save_pretrained(str(staging))
        for kept in ("stancebank.json", "README.md", "metrics.json"):
            if (source / kept).is_file():
                shutil.copyfile(source / kept, staging / kept)
    return ExportResult(Path(out).resolve(), format, difference)


def _quietly(call) -> None:
    """The exporter prints its progress and a report; keep the console to our own lines."""
    import contextlib
    import io
    import logging
    import warnings

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        level = logging.root.manager.disable
        logging.disable(logging.WARNING)
        try:
            call()
        finally:
            logging.disable(level)


def _session(path: Path):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    options.log_severity_level = 3  # errors only
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def is_onnx_folder(model_path: str | Path) -> bool:
    return (Path(model_path) / ONNX_FILE).is_file()


class OnnxModel:
    """An exported folder behind the interface ``predict`` uses of a transformers model:
    called with the tokenizer's tensors, it returns an object with ``logits``."""

    def __init__(self, folder: str | Path) -> None:
        from transformers import AutoConfig

        _require()
        self.config = AutoConfig.from_pretrained(str(folder))
        self.session = _session(Path(folder) / ONNX_FILE)
        self.inputs = [i.name for i in self.session.get_inputs()]

    def __call__(self, **encoded):
        import torch

        feed = {name: np.asarray(encoded[name], dtype=np.int64) for name in self.inputs}
        logits = self.session.run(["logits"], feed)[0]
        return SimpleNamespace(logits=torch.from_numpy(logits))
