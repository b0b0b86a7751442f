"""Talking to a Label Studio server through label-studio-sdk: connect, projects, tasks,
exports, accounts, ML backends and their webhooks.

The only module that calls Label Studio's API (health probes without the SDK are
:mod:`stancebank.labeling.net`'s). Errors become :class:`ServerError` with one line of text
that never contains the API token.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from stancebank.dataset.project import active
from stancebank.labeling import server
from stancebank.labeling.net import ServerError, http_get
from stancebank.labeling.options import IMPORT_BATCH, PAGE_SIZE
from stancebank.labeling.paths import resolve_data_dir

CONNECT_ATTEMPTS = 3


@dataclass(frozen=True)
class Connection:
    url: str
    token: str
    where: str
    """Where the URL came from, for messages (never the token)."""


def resolve_connection(url: str | None, data_dir: Path) -> Connection:
    """Server from ``url``, else $LABEL_STUDIO_URL, else the project file's ``[label_studio]
    url``, else the running ``stancebank server``; token from $LABEL_STUDIO_API_KEY, else
    the server's credentials file."""
    from stancebank.dataset.project import active

    where = "--url"
    if not url and os.environ.get("LABEL_STUDIO_URL"):
        url, where = os.environ["LABEL_STUDIO_URL"], "LABEL_STUDIO_URL"
    if (
        not url and active().label_studio.get("url") and not active().label_studio.get("data_dir")
    ):  # a server of someone else's, named in the project file
        url, where = str(active().label_studio["url"]), "the project file"
    if url and not url.lower().startswith(("http://", "https://")):
        raise ServerError(f"{where}: '{url}' is not an http:// or https:// URL", exit_status=2)
    if not url:
        url, where = server.running_url(data_dir), f"stancebank server ({data_dir})"
    if not url:
        raise ServerError(
            f"no Label Studio server runs from {data_dir}: pass --url or set LABEL_STUDIO_URL, "
            "or start it with 'stancebank server start' (a server started with another "
            "--data-dir: pass the same --data-dir, or start it inside the project folder, "
            "which remembers it)"
        )
    token = os.environ.get("LABEL_STUDIO_API_KEY")
    if not token:
        credentials = server.load_credentials(data_dir)
        if credentials is None:
            raise ServerError(
                "no API token: set LABEL_STUDIO_API_KEY or start the server with "
                f"'stancebank server start' (credentials are kept in {data_dir})"
            )
        token = credentials.token
    return Connection(url=url.rstrip("/"), token=token, where=where)


def connect(connection: Connection, *, attempts: int = CONNECT_ATTEMPTS) -> LabelStudio:
    """A checked client: the server answers and accepts the token, after bounded retries."""
    client = LabelStudio(base_url=connection.url, api_key=connection.token, timeout=120)
    delay = 1.0
    for attempt in range(1, attempts + 1):
        try:
            client.users.whoami()
            return client
        except ApiError as error:
            if error.status_code in (401, 403):
                raise ServerError(
                    f"Label Studio at {connection.url} refused the API token "
                    f"(HTTP {error.status_code}); check LABEL_STUDIO_API_KEY",
                    exit_status=2,
                ) from None
            raise api_error(error, connection.url) from None
        except httpx.HTTPError:
            if attempt == attempts:
                raise ServerError(
                    f"cannot reach Label Studio at {connection.url} ({connection.where}) "
                    f"after {attempts} attempts; is the server running?"
                ) from None
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def open_client(url: str | None, data_dir: str | Path | None) -> tuple[LabelStudio, str]:
    """A checked client for the server found as every ``label`` command finds it, and the
    server's URL (for messages)."""
    connection = resolve_connection(url, resolve_data_dir(data_dir))
    return connect(connection), connection.url


@contextmanager
def errors(url: str, action: str) -> Iterator[None]:
    """A server that fails or goes away mid-way: one line (exit 1), never a traceback."""
    try:
        yield
    except httpx.HTTPError as error:
        raise ServerError(
            f"Label Studio at {url} stopped answering during {action} ({type(error).__name__}); "
            f"nothing was lost: run {action} again, it continues where this one stopped"
        ) from None
    except ApiError as error:
        raise api_error(error, url) from None


def api_error(error: ApiError, url: str) -> ServerError:
    body = error.body if isinstance(error.body, str | dict) else ""
    detail = json.dumps(body)[:300] if body else ""
    return ServerError(f"Label Studio at {url} answered HTTP {error.status_code} {detail}".strip())


def find_project(client: LabelStudio, title: str) -> Any | None:
    """The project with exactly this title (the oldest if several share it), or None."""
    matches = [p for p in client.projects.list(title=title, page_size=100) if p.title == title]
    return min(matches, key=lambda p: p.id) if matches else None


def get_or_create_project(client: LabelStudio, title: str, label_config: str) -> tuple[Any, bool]:
    project = find_project(client, title)
    if project is not None:
        return project, False
    try:
        project = client.projects.create(
            title=title,
            label_config=label_config,
            description=f"Stance of interview claims toward {active().target} "
            "(made by stancebank).",
            show_instruction=True,
            maximum_annotations=1,
        )
    except ApiError as error:
        raise api_error(error, "the server") from None
    return project, True


def existing_tasks(client: LabelStudio, project_id: int) -> dict[str, int]:
    """``{claim_id: task_id}`` for every task the server holds in the project."""
    found: dict[str, int] = {}
    pager = client.tasks.list(
        project=project_id, fields="task_only", include="id,data", page_size=PAGE_SIZE
    )
    for task in pager:
        claim_id = (task.data or {}).get("claim_id")
        if claim_id:
            found.setdefault(claim_id, task.id)
    return found


def task_data(client: LabelStudio, project_id: int) -> list[dict[str, Any]]:
    """The ``data`` of every task in the project."""
    pager = client.tasks.list(
        project=project_id, fields="task_only", include="id,data", page_size=PAGE_SIZE
    )
    return [dict(task.data or {}) for task in pager]


def get_or_create_review_project(
    client: LabelStudio, title: str, label_config: str
) -> tuple[Any, bool]:
    """The review project (one adjudicator per task), created with its own config."""
    project = find_project(client, title)
    if project is not None:
        return project, False
    try:
        project = client.projects.create(
            title=title, label_config=label_config, maximum_annotations=1,
            description="Disagreements to adjudicate (made by stancebank label review).",
        )  # fmt: skip
    except ApiError as error:
        raise api_error(error, "the server") from None
    return project, True


def predicted_versions(client: LabelStudio, project_id: int) -> set[tuple[int, str]]:
    """``(task_id, model_version)`` of every prediction already in the project."""
    return {(p.task, p.model_version or "") for p in client.predictions.list(project=project_id)}


def import_tasks(
    client: LabelStudio,
    project_id: int,
    tasks: Sequence[dict[str, Any]],
    *,
    batch_size: int = IMPORT_BATCH,
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """Import tasks in batches (one request each); returns how many the server took."""
    imported = 0
    for start in range(0, len(tasks), batch_size):
        batch = list(tasks[start : start + batch_size])
        try:
            response = client.projects.import_tasks(id=project_id, request=batch)
        except ApiError as error:
            raise api_error(error, "the server") from None
        imported += response.task_count or 0
        progress(len(batch))
    return imported


def add_predictions(
    client: LabelStudio,
    project_id: int,
    predictions: Sequence[tuple[int, dict[str, Any]]],
    *,
    batch_size: int = IMPORT_BATCH,
) -> int:
    """Attach predictions to existing tasks in bulk (``projects.import_predictions``, one
    request per batch); ``(task_id, prediction)`` pairs."""
    from label_studio_sdk import PredictionRequest

    count = 0
    for start in range(0, len(predictions), batch_size):
        batch = [
            PredictionRequest(task=task_id, result=p["result"], score=p["score"],
                              model_version=p["model_version"])
            for task_id, p in predictions[start : start + batch_size]
        ]  # fmt: skip
        try:
            response = client.projects.import_predictions(id=project_id, request=batch)
        except ApiError as error:
            raise api_error(error, "the server") from None
        count += getattr(response, "created", None) or len(batch)
    return count


UNCERTAINTY_SAMPLING = "Uncertainty sampling"
"""Label Studio's sampling that serves the lowest-scored prediction first."""


def set_sampling(client: LabelStudio, project_id: int, sampling: str) -> None:
    try:
        client.projects.update(id=project_id, sampling=sampling)
    except ApiError as error:
        raise api_error(error, "the server") from None


def set_model_version(client: LabelStudio, project_id: int, version: str) -> None:
    """Make ``version`` the project's model version, so Label Studio shows its predictions."""
    try:
        client.projects.update(id=project_id, model_version=version)
    except ApiError as error:
        raise api_error(error, "the server") from None


def user_emails(client: LabelStudio) -> dict[int, str]:
    """``{user id: e-mail}`` of the organisation's users (kept in memory only)."""
    try:
        return {u.id: u.email for u in client.users.list() if u.email}
    except ApiError as error:
        raise api_error(error, "the server") from None


def export_annotated(
    client: LabelStudio, project_id: int, *, timeout: float = 1800.0
) -> list[dict[str, Any]]:
    """Every task with at least one annotation (cancelled ones included), in Label Studio's
    JSON export format.

    Uses an export snapshot on the server: twice as fast as the direct export endpoint
    for 10k annotations (BENCHMARKS.md). The snapshot stays on the server as a record of
    the pull; nothing there is deleted.
    """
    try:
        export = client.projects.exports.create(
            project_id,
            title=f"stancebank pull {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}",
            task_filter_options={"only_with_annotations": True},
            serialization_options={"drafts": {"only_id": True}, "predictions": {"only_id": True}},
        )
        deadline = time.monotonic() + timeout
        status = export.status
        while status not in ("completed", "failed"):
            if time.monotonic() > deadline:
                raise ServerError(f"the export of project {project_id} did not finish in time")
            time.sleep(0.5)
            status = client.projects.exports.get(project_id, export.id).status
        if status == "failed":
            raise ServerError(f"Label Studio could not export project {project_id}")
        chunks = client.projects.exports.download(project_id, export.id, export_type="JSON")
        return json.loads(b"".join(chunks))
    except ApiError as error:
        raise api_error(error, "the server") from None


def invite_token(connection: Connection) -> str:
    """The organisation's invitation token (what the UI's "invite people" link carries)."""
    answer = httpx.get(f"{connection.url}/api/invite", timeout=60,
                       headers={"Authorization": f"Token {connection.token}"})  # fmt: skip
    if answer.status_code != 200:
        raise ServerError(f"Label Studio at {connection.url} answered HTTP {answer.status_code} "
                          "when asked for the invitation link")  # fmt: skip
    return answer.json()["token"]


def sign_up(connection: Connection, invite: str, email: str, password: str) -> None:
    """Create an account that logs in with ``email`` and ``password``, in our organisation,
    through Label Studio's own invitation sign-up form: the user API ignores passwords."""
    with httpx.Client(base_url=connection.url, follow_redirects=False, timeout=60) as web:
        web.get("/user/signup/", params={"token": invite})
        answer = web.post(
            "/user/signup/", params={"token": invite},
            data={"email": email, "password": password,
                  "csrfmiddlewaretoken": web.cookies.get("csrftoken", "")},
            headers={"Referer": f"{connection.url}/user/signup/"},
        )  # fmt: skip
    if answer.status_code != 302:
        raise ServerError(f"Label Studio at {connection.url} did not create the account for "
                          f"{email} (HTTP {answer.status_code})")  # fmt: skip


def set_overlap(client: LabelStudio, project_id: int, overlap: int) -> None:
    """Every task is labelled by ``overlap`` annotators, overlapping tasks shown first."""
    try:
        client.projects.update(
            id=project_id, maximum_annotations=overlap, overlap_cohort_percentage=100,
            show_overlap_first=True,
        )  # fmt: skip
    except ApiError as error:
        raise api_error(error, "the server") from None


@dataclass(frozen=True)
class ProjectCounts:
    tasks: int
    annotations: int
    """Not cancelled."""
    cancelled: int
    created_at: str
    server_time: datetime | None
    """When the server answered (its ``Date`` header, to the second, UTC)."""


def project_counts(client: LabelStudio, project_id: int) -> ProjectCounts:
    from email.utils import parsedate_to_datetime

    try:
        answer = client.projects.with_raw_response.get(id=project_id)
    except ApiError as error:
        raise api_error(error, "the server") from None
    project = answer.data
    try:
        server_time = parsedate_to_datetime(answer.headers.get("date", ""))
    except (TypeError, ValueError):
        server_time = None
    return ProjectCounts(
        tasks=project.task_number or 0,
        annotations=project.total_annotations_number or 0,
        cancelled=project.skipped_annotations_number or 0,
        created_at=str(project.created_at),
        server_time=server_time,
    )


def tasks_updated_since(
    client: LabelStudio, project_id: int, since: str, *, page_size: int = 100
) -> list[dict[str, Any]]:
    """Every task of the project whose ``updated_at`` is later than ``since`` (the data
    manager's datetime format), with its annotations."""
    query = {"filters": {"conjunction": "and", "items": [{
        "filter": "filter:tasks:updated_at", "operator": "greater", "type": "Datetime",
        "value": since,
    }]}}  # fmt: skip
    try:
        pager = client.tasks.list(project=project_id, query=json.dumps(query), fields="all",
                                  page_size=page_size)  # fmt: skip
        return [task.model_dump() if hasattr(task, "model_dump") else dict(task) for task in pager]
    except ApiError as error:
        raise api_error(error, "the server") from None


def backend_answers(backend: str) -> bool:
    """An ML backend answers ``/health`` at ``backend``."""
    status, _ = http_get(f"{backend}/health", timeout=5.0)
    return status == 200


def register_backend(
    client: LabelStudio, project_id: int, backend: str, *, title: str, auth: dict[str, Any],
    server_url: str, local: bool,
) -> tuple[Any, bool]:  # fmt: skip
    """Register the ML backend at ``backend`` with the project (interactive), or refresh
    its settings if the project has it already; returns it and whether it was created. A
    server that refuses the address gets one line, naming the two settings it needs when the
    backend is ``local`` (on the server's own machine)."""
    try:
        existing = [b for b in client.ml.list(project=project_id)
                    if b.url.rstrip("/") == backend]  # fmt: skip
        if existing:
            updated = client.ml.update(id=existing[0].id, url=backend, project=project_id,
                                       is_interactive=True, title=title, **auth)  # fmt: skip
            return updated, False
        created = client.ml.create(project=project_id, url=backend, is_interactive=True,
                                   title=title, **auth)  # fmt: skip
        return created, True
    except ApiError as error:
        text = json.dumps(error.body)[:300] if error.body else ""
        hint = ""
        if local and ("reserved" in text or "blocked" in text.lower()):
            settings = " and ".join(f"{k}={v}" for k, v in server.LOCAL_BACKEND_SETTINGS.items())
            hint = (
                f"; the server refuses addresses on its own machine unless it runs with {settings}"
            )
        raise ServerError(f"Label Studio at {server_url} did not accept the backend {backend} "
                          f"(HTTP {error.status_code} {text}){hint}") from None  # fmt: skip


def set_webhook_headers(
    client: LabelStudio, project_id: int, hook_url: str, headers: dict[str, str]
) -> None:
    """Put ``headers`` on the project's webhooks to ``hook_url`` (the one Label Studio adds
    for an ML backend), sending every action with its payload."""
    for hook in client.webhooks.list(project=str(project_id)):
        if hook.url == hook_url:
            client.webhooks.update(id=hook.id, url=hook_url, headers=headers,
                                   send_payload=True, send_for_all_actions=True)  # fmt: skip


def ask_backend_for_predictions(client: LabelStudio, project_id: int) -> None:
    """Let the project fetch a prediction for a task opened or listed without one, and show
    every model version's (a project ``model_version`` would hide the backend's)."""
    client.projects.update(id=project_id, evaluate_predictions_automatically=True,
                           show_collab_predictions=True, model_version="")  # fmt: skip
