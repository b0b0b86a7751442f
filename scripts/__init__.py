"""stancebank: interview answers in, a stance dataset and stance classifiers out.

The Python API is one keyword-only function per command, each returning a result object::

    import stancebank

    stancebank.ingest(files=["interview.txt"], out="work/answers.jsonl")
    stancebank.segment(answers="work/answers.jsonl", out="work/claims.jsonl")
    built = stancebank.build_release(
        claims="work/claims.jsonl", annotations="dataset/annotations", out="work/dataset"
    )
    print(built.report.agreement.alpha)

They live in :mod:`stancebank.dataset.api`, :mod:`stancebank.labeling.api` and
:mod:`stancebank.models.api`; this package imports each on first use, so ``import
stancebank`` stays cheap (no torch, no Label Studio SDK).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stancebank")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

_API = {
    "stancebank.dataset.api": (
        "ingest", "segment", "build_release", "publish", "use_project", "IngestResult",
        "SegmentResult", "BuildResult", "PublishResult", "PrivacyGateError",
    ),
    "stancebank.dataset.build": ("BuildReport",),
    "stancebank.dataset.options": ("BuildOptions",),
    "stancebank.labeling.api": (
        "init_project", "start_server", "stop_server", "server_url", "push", "pull",
        "add_annotators", "list_annotators", "status", "connect_model", "ServerInfo", "PullResult",
        "AnnotatorsResult", "ConnectResult",
    ),
    "stancebank.labeling.team": ("TeamStatus",),
    "stancebank.labeling.push": ("PushReport",),
    "stancebank.labeling.net": ("ServerError",),
    "stancebank.dataset.errors": ("InputError", "ServiceError"),
    "stancebank.models.api": (
        "train", "predict", "evaluate", "compare", "report", "export", "TrainResult",
        "PredictResult", "EvaluationResult", "ComparisonResult", "ReportResult",
    ),
    "stancebank.models.options": ("TrainOptions", "PredictOptions"),
}  # fmt: skip
_HOME = {name: module for module, names in _API.items() for name in names}

__all__ = ["__version__", *_HOME]


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module 'stancebank' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(__all__)
