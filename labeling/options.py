"""Options of the labelling stage, each default defined once here: the Python API's keyword
defaults, the command line, its ``--help`` and the README's defaults table take them from
this module (a test compares the API and the parser)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PORT = 8080
"""Port of the local Label Studio server (Label Studio's own default)."""
LOCAL_HOST = "127.0.0.1"
"""Where the local server and, by default, ``serve-model`` listen."""
ORDERS = ("file", "uncertainty")
"""Task orders of ``label push``: as in the claims file, or lowest prediction score first."""
DEFAULT_ORDER = "file"
DEFAULT_OVERLAP = 2
"""Annotators per task that ``label annotators add`` sets."""
IMPORT_BATCH = 1000
"""Tasks (or predictions) per import request: one request each, 1k tasks took 1.1 s."""
PAGE_SIZE = 1000
"""Tasks per page when listing a project's tasks."""


@dataclass
class ServeOptions:
    """How ``serve-model`` serves a model folder to Label Studio."""

    host: str = LOCAL_HOST
    """Address to listen on; any other than the loopback needs a shared secret."""
    port: int = 9090
    """Label Studio's documentation uses 9090 for ML backends."""
    retrain_every: int = 20
    """New labels between two retraining rounds."""
    min_labels: int = 20
    """Labelled claims (with both polar stances among them) a round needs to train a
    candidate."""
    batch_size: int = 16
    """Claims per forward pass in ``/predict``: on 2 cores 100 seed claims took 1.6 s at
    8–16, 1.9 s at 32 and 2.5 s at 64 (all-mpnet-base-v2, bfloat16; BENCHMARKS.md), so
    smaller than ``predict``'s, whose long runs gain from bigger batches."""


DEFAULT_BACKEND_PORT = ServeOptions.port
DEFAULT_RETRAIN_EVERY = ServeOptions.retrain_every
DEFAULT_MIN_LABELS = ServeOptions.min_labels
