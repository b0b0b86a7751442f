"""``serve-model``: a stance model as a Label Studio ML backend, on Starlette + uvicorn.

Routes (Label Studio 1.23.2 calls them; see :mod:`stancebank.labeling.ml_protocol`):
``GET /health``, ``POST /setup`` (answers the served model version), ``POST /predict``
(one prediction per task, the JSON ``label push --predictions`` sends) and ``POST
/webhook`` (label events feed the :class:`~stancebank.labeling.retrain.Retrainer`).

Prediction runs in a worker thread under a lock, so ``/health`` and ``/webhook`` answer
while a batch is scored and one batch uses both cores at a time; a model swap replaces the
(classifier, version) pair in one assignment, so a request sees the old model or the new
one, never a mix. With a shared secret every route but ``/health`` needs HTTP Basic auth
with that secret as the password (what Label Studio sends for a backend registered with
``BASIC_AUTH``; ``label connect-model`` also puts it on the webhook).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from stancebank.dataset.schema import Schema, load_schema
from stancebank.labeling.ml_protocol import (
    ProtocolError,
    check_setup,
    predict_inputs,
    predict_response,
    webhook_event,
)
from stancebank.labeling.retrain import Retrainer

log = logging.getLogger("stancebank.serve")

MAX_BODY = 64 * 1024 * 1024
"""Largest request body read: refused from its Content-Length before reading, and counted
while streaming (a chunked body has none), so a client cannot make the service buffer
more."""


class BodyTooLarge(ProtocolError):
    """Answered with HTTP 413."""


Predictor = Callable[[list[str], list[str]], tuple[Any, Sequence[str]]]
"""A loaded model as the service sees it: (claims, questions) → (class probabilities, one
row per claim; the class names in column order). The command line builds it from a model
folder (the labelling stage does not import the model stage)."""


@dataclass(frozen=True)
class Loaded:
    predict: Predictor
    version: str


class ModelSlot:
    """The served model; ``swap`` installs another one atomically."""

    def __init__(self, predict: Predictor, version: str) -> None:
        self._current = Loaded(predict, version)
        self._inference = threading.Lock()

    @property
    def version(self) -> str:
        return self._current.version

    def swap(self, predict: Predictor, version: str) -> None:
        self._current = Loaded(predict, version)

    def predict(self, claims: list[str], questions: list[str]):
        """(probabilities, labels, version) of one model, whichever is current."""
        current = self._current
        with self._inference:
            probs, labels = current.predict(claims, questions)
        return probs, labels, current.version


def _authorised(request: Request, secret: str | None) -> bool:
    if not secret:
        return True
    kind, _, value = request.headers.get("authorization", "").partition(" ")
    if kind.lower() != "basic":
        return False
    try:
        _, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return hmac.compare_digest(password.encode(), secret.encode())


def _error(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=status)


async def _json_body(request: Request):
    too_large = BodyTooLarge(f"the request is larger than {MAX_BODY // 2**20} MiB")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise ProtocolError("Content-Length is not a number")
        if int(declared) > MAX_BODY:
            raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large
        chunks.append(chunk)
    try:
        body = json.loads(b"".join(chunks))
    except RecursionError:
        raise ProtocolError("the body nests too deeply to be a request") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError(f"the body is not JSON ({str(error).splitlines()[0][:80]})") from None
    if _has_lone_surrogate(body):
        raise ProtocolError("the body is not valid Unicode (a lone surrogate)")
    return body


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(value) -> bool:
    """JSON may escape half a UTF-16 pair ("\\ud800"), which no text can hold."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def create_app(
    slot: ModelSlot,
    *,
    secret: str | None = None,
    retrainer: Retrainer | None = None,
    schema: Schema | None = None,
) -> Starlette:
    schema = schema or load_schema()

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "UP", "model_class": "stancebank",
                             "model_version": slot.version})  # fmt: skip

    def guarded(handler):
        async def endpoint(request: Request) -> JSONResponse:
            if not _authorised(request, secret):
                return _error(401, "missing or wrong shared secret (HTTP Basic password)")
            try:
                return await handler(request, await _json_body(request))
            except BodyTooLarge as error:
                return _error(413, str(error))
            except ProtocolError as error:
                return _error(400, str(error))

        return endpoint

    async def setup(request: Request, body) -> JSONResponse:
        check_setup(body, schema)
        return JSONResponse({"model_version": slot.version})

    async def predict(request: Request, body) -> JSONResponse:
        started = time.perf_counter()
        inputs = predict_inputs(body)
        probs, labels, version = await run_in_threadpool(
            slot.predict, [t.claim for t in inputs], [t.question for t in inputs]
        )
        answer = JSONResponse(predict_response(schema, labels, probs, model_version=version))
        log.debug("predict: %d tasks in %.3f s", len(inputs), time.perf_counter() - started)
        return answer

    async def webhook(request: Request, body) -> JSONResponse:
        event = webhook_event(body)
        if retrainer is None:
            return JSONResponse({"status": "ignored: retraining is off (serve-model --claims)"})
        return JSONResponse({"status": retrainer.on_event(event)})

    async def train(request: Request, body) -> JSONResponse:
        # Label Studio sends "Start training" to /webhook on 1.23.2; /train is the older route.
        if not isinstance(body, dict):
            raise ProtocolError("the request must be a JSON object")
        project = body.get("project") if isinstance(body.get("project"), dict) else None
        return await webhook(request, {"action": "START_TRAINING", "project": project})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        if retrainer is not None:  # a round cut short is never served
            retrainer.stop()

    return Starlette(
        lifespan=lifespan,
        routes=[
            Route("/", health, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
            Route("/setup", guarded(setup), methods=["POST"]),
            Route("/predict", guarded(predict), methods=["POST"]),
            Route("/webhook", guarded(webhook), methods=["POST"]),
            Route("/train", guarded(train), methods=["POST"]),
        ],
    )


def configure_logging(quiet: bool = False, verbose: bool = False) -> None:
    """One line per retraining round on stderr; with ``verbose`` also one per ``/predict``
    (its size and seconds, which ``scripts/bench/ml_backend.py`` reads)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s serve-model: %(message)s", "%H:%M:%S"))
    log.handlers[:] = [handler]
    log.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
    log.propagate = False


def run(app, *, host: str, port: int) -> None:
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    uvicorn.Server(config).run()
