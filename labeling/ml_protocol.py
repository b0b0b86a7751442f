"""Label Studio's ML backend protocol, as plain data: what ``/predict``, ``/setup`` and
``/webhook`` receive from Label Studio 1.23.2 and what they answer (read from its
``ml/api_connector.py`` and ``ml/models.py``, and exercised against the real server in
``tests/integration/test_ml_backend.py``).

Pure functions: a malformed request raises :class:`ProtocolError` with a one-line reason
that the service returns as HTTP 400.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stancebank.dataset.schema import Schema
from stancebank.labeling.ls_contract import CLAIM_TAG, prediction_for

SECRET_ENV = "STANCEBANK_BACKEND_SECRET"
"""Where ``serve-model`` and ``label connect-model`` read the shared secret (an
environment variable keeps it out of the process list and the shell history)."""
SECRET_USER = "stancebank"
"""The Basic-auth user name ``connect-model`` registers (any name is accepted)."""
MAX_TASKS = 10_000
"""Most tasks one ``/predict`` request may carry (Label Studio sends a page, or every
task of a 'Retrieve predictions' action)."""
MAX_CLAIM_CHARS = 2_000
"""A claim is cut to this many characters before it is tokenised: the model reads 128
tokens (about 600 characters) at most, and tokenising a 30 MB "claim" in full took 109 s
and 4.6 GB under the inference lock."""

LABEL_EVENTS = frozenset({"ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_CREATED"})
TRAIN_EVENT = "START_TRAINING"
"""What Label Studio's "Start training" button sends to ``/webhook`` on 1.23.2."""


class ProtocolError(ValueError):
    """A request the backend cannot read; the message is one line."""


@dataclass(frozen=True)
class TaskInput:
    task_id: int | None
    claim: str
    question: str


@dataclass(frozen=True)
class Event:
    """A webhook from Label Studio: its action, the annotations it concerns, the project."""

    action: str
    annotation_ids: tuple[int, ...]
    project_id: int | None
    project_title: str | None


def _object(body: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise ProtocolError(f"{what} must be a JSON object")
    return body


def predict_inputs(body: Any) -> list[TaskInput]:
    """The claims (and questions) of a ``/predict`` request: ``{"tasks": [{"id", "data":
    {"claim" | "text", "question"?}}, ...], ...}``."""
    tasks = _object(body, "the request").get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ProtocolError("'tasks' must be a non-empty list")
    if len(tasks) > MAX_TASKS:
        raise ProtocolError(f"{len(tasks)} tasks in one request; at most {MAX_TASKS}")
    inputs = []
    for n, task in enumerate(tasks):
        if not isinstance(task, Mapping) or not isinstance(task.get("data"), Mapping):
            raise ProtocolError(f"tasks[{n}] has no 'data' object")
        data = task["data"]
        claim = data.get("claim", data.get("text"))
        if not isinstance(claim, str) or not claim.strip():
            raise ProtocolError(f"tasks[{n}].data has no 'claim' (or 'text') string")
        question = data.get("question") or ""
        if not isinstance(question, str):
            raise ProtocolError(f"tasks[{n}].data.question is not a string")
        claim, question = claim[:MAX_CLAIM_CHARS], question[:MAX_CLAIM_CHARS]
        for name, text in (("claim", claim), ("question", question)):
            if not _is_unicode(text):
                raise ProtocolError(f"tasks[{n}].data.{name} is not valid Unicode (a lone "
                                    "surrogate)")  # fmt: skip
        task_id = task.get("id")
        inputs.append(TaskInput(task_id if isinstance(task_id, int) else None, claim, question))
    return inputs


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_setup(body: Any, schema: Schema) -> None:
    """A ``/setup`` request whose project this backend can label: its label config (when
    sent) has the stance choices on the claim, as ``label push`` creates them."""
    config = _object(body, "the request").get("schema")
    if config is None:
        return
    if not isinstance(config, str):
        raise ProtocolError("'schema' must be the project's label config (a string)")
    wanted = (f'name="{schema.stance_name}"', f'toName="{CLAIM_TAG}"')
    if not all(part in config for part in wanted):
        raise ProtocolError(
            f"the project has no Choices '{schema.stance_name}' on '{CLAIM_TAG}'; this "
            "backend labels projects made by 'stancebank label push'"
        )


def predict_response(
    schema: Schema, labels: Sequence[str], probabilities, *, model_version: str
) -> dict[str, Any]:
    """One prediction per task, in the order asked — the same JSON ``label push
    --predictions`` sends: the stance as a Choices result, the (calibrated) probability of
    that stance as the score, the model version."""
    results = []
    for row in probabilities:
        best = int(row.argmax())
        results.append(
            prediction_for(
                schema, labels[best], score=float(row[best]), model_version=model_version
            )
        )
    return {"results": results, "model_version": model_version}


def webhook_event(body: Any) -> Event:
    """The action, annotation ids and project of a webhook payload."""
    body = _object(body, "the webhook")
    action = body.get("action")
    if not isinstance(action, str) or not action:
        raise ProtocolError("the webhook has no 'action'")
    annotations = body.get("annotations")
    if annotations is None and body.get("annotation") is not None:
        annotations = [body["annotation"]]
    ids = []
    for annotation in annotations or []:
        if isinstance(annotation, Mapping) and isinstance(annotation.get("id"), int):
            ids.append(annotation["id"])
    if action in LABEL_EVENTS and not ids:
        raise ProtocolError(f"{action} without an annotation id")
    project = body.get("project")
    project_id = project_title = None
    if isinstance(project, Mapping):
        project_id = project.get("id") if isinstance(project.get("id"), int) else None
        project_title = project.get("title") if isinstance(project.get("title"), str) else None
    return Event(action, tuple(ids), project_id, project_title)
