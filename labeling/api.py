"""The labelling stage's Python API: the local Label Studio server, ``push`` and ``pull``.

Keyword arguments only; each function returns a result object. The server is found as
on the command line: ``url``, else ``$LABEL_STUDIO_URL``, else the ``stancebank server``
running from ``data_dir``; the token from ``$LABEL_STUDIO_API_KEY``, else that server's
credentials file. Bad input raises ``InputError``; a server that fails or cannot be reached
raises :class:`~stancebank.labeling.server.ServerError`.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancebank.dataset.errors import InputError
from stancebank.dataset.outputs import check_output_dir
from stancebank.dataset.progress import progress_bar
from stancebank.labeling import server
from stancebank.labeling.server import DEFAULT_PORT

if TYPE_CHECKING:
    from stancebank.labeling.push import PushReport

PathLike = str | Path
MAX_TITLE = 50
"""Label Studio refuses longer project titles."""


@dataclass(frozen=True)
class ServerInfo:
    url: str
    data_dir: Path
    credentials: Path
    """The 0600 file with the admin login and API token (never printed)."""


def start_server(
    *,
    data_dir: PathLike | None = None,
    port: int = DEFAULT_PORT,
    database: str | None = None,
    local_ml_backends: bool = False,
) -> ServerInfo:
    """Start the pinned Label Studio on 127.0.0.1 (or find it running from ``data_dir``);
    on PostgreSQL when ``database`` is ``postgresql://USER:PASSWORD@HOST:PORT/NAME``
    (default: ``$STANCEBANK_DATABASE_URL``, else SQLite in the data dir). With
    ``local_ml_backends`` it may call ML backends on this machine (a running server without
    that is restarted)."""
    folder = server.resolve_data_dir(data_dir)
    database = database or os.environ.get("STANCEBANK_DATABASE_URL") or None
    if local_ml_backends and folder.is_dir():
        server.allow_local_ml_backends(folder)
    url, credentials = server.start(
        folder, port=port, database=database, local_ml_backends=local_ml_backends
    )
    return ServerInfo(url, folder, credentials)


def stop_server(*, data_dir: PathLike | None = None) -> bool:
    """Stop the server started from ``data_dir``; False if none was running."""
    return server.stop(server.resolve_data_dir(data_dir))


def server_url(*, data_dir: PathLike | None = None) -> str | None:
    """The URL of the server running from ``data_dir``, or None."""
    return server.running_url(server.resolve_data_dir(data_dir))


def _client(url: str | None, data_dir: PathLike | None):
    """A checked client and the server's URL (for messages)."""
    from stancebank.labeling import client as ls

    connection = ls.resolve_connection(url, server.resolve_data_dir(data_dir))
    return ls.connect(connection), connection.url


def _annotated_tasks(client, project: str, *, remember: tuple[str, str] | None = None):
    """The project, its annotated tasks (export format) and ``{user id: e-mail}``. With
    ``remember`` (the server's URL, the stance control's name) the tasks are also
    remembered for the next ``label status``, which then reads only what changed since
    (:mod:`stancebank.labeling.status_cache`)."""
    from stancebank.labeling import client as ls
    from stancebank.labeling import status_cache

    found = ls.find_project(client, project)
    if found is None:
        raise InputError(project, "no such project on the server")
    counts = ls.project_counts(client, found.id) if remember else None
    tasks = ls.export_annotated(client, found.id)
    if remember and counts is not None:
        server_url, stance_name = remember
        remembered = status_cache.Remembered({}).merge(tasks, stance_name)
        path = status_cache.cache_path(server_url, found.id, counts.created_at)
        status_cache.save(path, remembered.at(counts.server_time))
    return found, tasks, ls.user_emails(client)


def _records(tasks, schema, pseudonyms, emails, source: str):
    """Snapshot records of exported tasks; a task that does not fit the schema is bad
    input named by ``source``."""
    from stancebank.labeling.snapshot import TaskProblem, records_from_tasks

    try:
        return records_from_tasks(tasks, schema, pseudonyms, emails)
    except TaskProblem as problem:
        raise InputError(source, str(problem)) from None


@contextmanager
def _server_errors(url: str, action: str) -> Iterator[None]:
    """A server that fails or goes away mid-way: one line (exit 1), never a traceback."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    from stancebank.labeling.client import api_error

    try:
        yield
    except httpx.HTTPError as error:
        raise server.ServerError(
            f"Label Studio at {url} stopped answering during {action} ({type(error).__name__}); "
            f"nothing was lost: run {action} again, it continues where this one stopped"
        ) from None
    except ApiError as error:
        raise api_error(error, url) from None


def _push_lock(url: str, title: str):
    """One push at a time per server and project title, across processes on this machine,
    so two pushes at once make one project and import each claim once."""
    import hashlib

    from filelock import FileLock

    locks = server.cache_dir() / "locks"
    locks.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = hashlib.sha256(f"{url}\0{title}".encode()).hexdigest()[:24]
    return FileLock(locks / f"push-{key}.lock")


def push(
    *,
    claims: PathLike,
    project: str,
    predictions: PathLike | None = None,
    include_non_arguments: bool = False,
    order: str = "file",
    url: str | None = None,
    data_dir: PathLike | None = None,
    progress: bool = True,
) -> PushReport:
    """Import into the project (created if missing) the claims it does not hold yet.

    Args:
        claims: the claims JSONL.
        project: the project's title.
        predictions: a predictions JSONL whose labels become pre-annotations (model version:
            the file's ``model_version``, else the file's name).
        include_non_arguments: push ``non_argument`` units too.
        order: ``file`` (as in the claims file) or ``uncertainty`` (lowest prediction score
            first, with Label Studio's uncertainty sampling; needs ``predictions``).
    """
    from stancebank.dataset.claims_io import read_claims
    from stancebank.dataset.predictions_io import read_predictions
    from stancebank.dataset.schema import load_schema
    from stancebank.labeling.push import preannotations
    from stancebank.labeling.push import push as push_claims

    if order not in ("file", "uncertainty"):
        raise InputError("--order", "choose 'file' or 'uncertainty'")
    if order == "uncertainty" and not predictions:
        raise InputError("--order", "uncertainty order needs --predictions (their scores)")
    if not 3 <= len(project.strip()) <= MAX_TITLE:
        raise InputError(
            project, f"a project title has 3 to {MAX_TITLE} characters (Label Studio's limit)"
        )
    schema = load_schema()
    claim_records = read_claims(claims)
    prepared = None
    if predictions:
        records = read_predictions(predictions, labels=schema.stance_values)
        prepared = preannotations(records, schema, source=Path(predictions))
    client, server_url = _client(url, data_dir)
    with _push_lock(server_url, project), _server_errors(server_url, "push"):
        with progress_bar(desc="push", unit="task", enabled=progress) as bar:
            return push_claims(
                client, claim_records, title=project, schema=schema, predictions=prepared,
                include_non_arguments=include_non_arguments, order=order, progress=bar.update,
                on_total=lambda n: setattr(bar, "total", n),
            )  # fmt: skip


@dataclass(frozen=True)
class PullResult:
    snapshot: Path
    """The new ``snapshot-<UTC time>.jsonl``."""
    annotations: int
    claims: int
    cancelled: int
    skipped_tasks: int
    """Tasks without a ``claim_id`` (not made by stancebank)."""
    per_annotator: dict[str, int]
    """Non-cancelled annotations per annotator pseudonym."""
    adjudicated: int | None = None
    """Decisions written to ``adjudication.jsonl`` from the review project (None: no review
    project)."""


def pull(
    *,
    out: PathLike,
    project: str | None = None,
    from_export: PathLike | None = None,
    url: str | None = None,
    data_dir: PathLike | None = None,
) -> PullResult:
    """Write a new annotation snapshot of a project (or of a Label Studio JSON export) into
    ``out``; earlier snapshots are never touched and annotators become ``A1``, ``A2``, …"""
    from stancebank.dataset.annotations_io import (
        Pseudonyms,
        merge_review_adjudications,
        write_snapshot,
    )  # fmt: skip
    from stancebank.dataset.schema import load_schema

    if (project is None) == (from_export is None):
        raise InputError("label pull", "give a project or an export file (one of them)")
    schema = load_schema()
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputError(out, "is a file; --out is the annotations folder snapshots go into")
    if from_export is not None:
        check_output_dir(folder, command="label pull", inputs=[from_export], replaces=False)
    pseudonyms = Pseudonyms.load(folder)
    emails: dict[int, str] = {}
    if from_export is not None:
        tasks, source = read_export(Path(from_export)), str(from_export)
    else:
        client, server_url = _client(url, data_dir)
        with _server_errors(server_url, "pull"):
            _, tasks, emails = _annotated_tasks(
                client, project, remember=(server_url, schema.stance_name)
            )
            source = f"project '{project}'"
    records, skipped = _records(tasks, schema, pseudonyms, emails, source)
    adjudicated = None
    if project is not None:
        with _server_errors(server_url, "pull"):
            adjudicated = _review_decisions(client, project, records, schema, pseudonyms, emails)
    path = write_snapshot(folder, records)
    if adjudicated is not None:
        adjudicated = merge_review_adjudications(folder, adjudicated)
    pseudonyms.save(folder)
    return PullResult(
        adjudicated=adjudicated,
        snapshot=path,
        annotations=len(records),
        claims=len({r["claim_id"] for r in records}),
        cancelled=sum(r["was_cancelled"] for r in records),
        skipped_tasks=skipped,
        per_annotator=dict(
            sorted(Counter(r["annotator"] for r in records if not r["was_cancelled"]).items())
        ),
    )


def _review_decisions(client, project, records, schema, pseudonyms, emails) -> list | None:
    """The review project's valid decisions, or None when ``project`` has no review project."""
    from stancebank.labeling import client as ls
    from stancebank.labeling.review import adjudications, review_title
    from stancebank.labeling.snapshot import annotator_key

    found = ls.find_project(client, review_title(project))
    if found is None:
        return None
    export = ls.export_annotated(client, found.id)
    return adjudications(
        export, records, schema, lambda who: pseudonyms(annotator_key(who, emails))
    )


@dataclass(frozen=True)
class ReviewResult:
    review_project: str
    """Title of the review project."""
    created: bool
    disagreements: int
    """Claims whose annotators disagree now."""
    added: int
    """New review tasks (claims that disagree and were not in review with these votes)."""


def review(
    *,
    project: str,
    annotations: PathLike | None = None,
    url: str | None = None,
    data_dir: PathLike | None = None,
) -> ReviewResult:
    """Create (or update, idempotently) ``PROJECT review``: one task per claim whose
    annotators disagree, showing the claim, its answer, every annotator's stance and
    rationale (pseudonyms) and the guideline rules; the adjudicator picks the final stance
    and the rule. A claim relabelled after review comes back as a new task. ``pull`` then
    writes ``adjudication.jsonl`` from it. ``annotations`` (read-only) gives the annotators
    the pseudonyms of its ``annotators.json``, as in snapshots."""
    from stancebank.dataset.annotations_io import Pseudonyms
    from stancebank.dataset.schema import load_schema
    from stancebank.labeling import client as ls
    from stancebank.labeling.review import (
        current_votes,
        guideline_rules,
        review_config,
        review_tasks,
        review_title,
    )  # fmt: skip

    schema = load_schema()
    client, server_url = _client(url, data_dir)
    title = review_title(project)
    with _server_errors(server_url, "review"):
        _, export, emails = _annotated_tasks(client, project)
        pseudonyms = Pseudonyms.load(Path(annotations)) if annotations else Pseudonyms()
        records, _ = _records(export, schema, pseudonyms, emails, f"project '{project}'")
        review_project, created = ls.get_or_create_review_project(
            client, title, review_config(schema, guideline_rules())
        )
        have = [] if created else ls.task_data(client, review_project.id)
        main = {(t.get("data") or {}).get("claim_id"): t.get("data") or {} for t in export}
        tasks = review_tasks(
            records, main, have=[(d.get("claim_id"), d.get("votes_key")) for d in have]
        )
        ls.import_tasks(client, review_project.id, tasks)
    waiting = sum(1 for v in current_votes(records).values() if len({x["stance"] for x in v}) > 1)
    return ReviewResult(title, created, waiting, len(tasks))


def read_export(path: Path) -> list[dict[str, Any]]:
    """The tasks of a JSON export downloaded from Label Studio's UI."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a Label Studio JSON export") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(path, f"not a Label Studio JSON export ({error})") from None
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise InputError(path, "not a Label Studio JSON export (expected a list of tasks)")
    return data


@dataclass(frozen=True)
class AnnotatorsResult:
    created: list[str]
    """E-mail addresses of the accounts made now."""
    existing: list[str]
    """Addresses that already had an account (left as they were)."""
    overlap: int
    """Annotators per task the project now asks for."""
    passwords: Path
    """The 0600 file holding the new accounts' passwords (never printed)."""


def add_annotators(
    *,
    emails: Sequence[str],
    project: str,
    overlap: int = 2,
    url: str | None = None,
    data_dir: PathLike | None = None,
) -> AnnotatorsResult:
    """Create the annotator accounts that do not exist yet (each with a generated password,
    written to ``annotator-credentials.json`` beside the server's credentials) and set the
    project's overlap: every task labelled by ``overlap`` annotators, overlap shown first."""
    from stancebank.labeling import client as ls
    from stancebank.labeling.team import (
        ANNOTATOR_CREDENTIALS_FILE,
        check_emails,
        new_password,
        save_passwords,
    )  # fmt: skip

    addresses = check_emails(emails)
    if overlap < 1:
        raise InputError("--overlap", "at least 1 annotator per task")
    secrets_file = server.resolve_data_dir(data_dir) / ANNOTATOR_CREDENTIALS_FILE
    connection = ls.resolve_connection(url, server.resolve_data_dir(data_dir))
    client = ls.connect(connection)
    with _server_errors(connection.url, "annotators add"):
        found = ls.find_project(client, project)
        if found is None:
            raise InputError(project, "no such project on the server; push claims to it first")
        known = {email.lower() for email in ls.user_emails(client).values()}
        created: list[str] = []
        fresh = [a for a in addresses if a not in known]
        invite = ls.invite_token(connection) if fresh else ""
        for address in fresh:
            password = new_password()
            save_passwords(secrets_file, {address: password})  # kept before the account exists
            ls.sign_up(connection, invite, address, password)
            created.append(address)
        ls.set_overlap(client, found.id, overlap)
    existing = [a for a in addresses if a not in created]
    return AnnotatorsResult(created, existing, overlap, secrets_file)


def list_annotators(*, url: str | None = None, data_dir: PathLike | None = None) -> list[str]:
    """E-mail addresses of the server's accounts (for the local admin; never published)."""
    from stancebank.labeling import client as ls

    client, server_url = _client(url, data_dir)
    with _server_errors(server_url, "annotators list"):
        return sorted(ls.user_emails(client).values())


def status(
    *,
    project: str,
    annotations: PathLike | None = None,
    url: str | None = None,
    data_dir: PathLike | None = None,
):
    """How far the team is on ``project``, read from the server: tasks done / total, per
    annotator (pseudonyms of ``annotations``/annotators.json, read-only), overlapping tasks,
    Krippendorff's alpha and pairwise kappa so far, disagreements no adjudication settles
    (``annotations``/adjudication.jsonl).

    Returns:
        a :class:`~stancebank.labeling.team.TeamStatus`.
    """
    from stancebank.dataset.annotations_io import Pseudonyms, read_adjudication
    from stancebank.dataset.schema import load_schema
    from stancebank.labeling import client as ls
    from stancebank.labeling.team import team_status

    schema = load_schema()
    folder = Path(annotations) if annotations is not None else None
    if folder is not None and not folder.is_dir():
        raise InputError(folder, "annotations folder does not exist")
    pseudonyms = Pseudonyms.load(folder) if folder is not None else Pseudonyms()
    stances = tuple(schema.stance_values)
    adjudicated = (
        {a.claim_id for a in read_adjudication(folder, stances=stances)} if folder else set()
    )
    client, server_url = _client(url, data_dir)
    with _server_errors(server_url, "status"):
        found = ls.find_project(client, project)
        if found is None:
            raise InputError(project, "no such project on the server")
        emails = ls.user_emails(client)
        tasks, total = _status_tasks(client, server_url, found.id, schema.stance_name)
    records, _ = _records(tasks.values(), schema, pseudonyms, emails, f"project '{project}'")
    return team_status(project, total, records, stances, adjudicated=adjudicated)


def _status_tasks(client, server_url: str, project_id: int, stance_name: str):
    """The project's annotated tasks: the remembered ones updated with those changed since
    the last status when the counts then agree with the server's, else all of them read
    again (:mod:`stancebank.labeling.status_cache`). Returns them by task id, and the
    project's task count."""
    from stancebank.labeling import client as ls
    from stancebank.labeling import status_cache

    counts = ls.project_counts(client, project_id)
    path = status_cache.cache_path(server_url, project_id, counts.created_at)
    remembered = status_cache.load(path)
    current = None
    if remembered is not None and (since := remembered.since()) is not None:
        changed = ls.tasks_updated_since(client, project_id, since)
        merged = remembered.merge(changed, stance_name)
        if merged.counts() == (counts.annotations, counts.cancelled):
            current = merged
    if current is None:
        exported = ls.export_annotated(client, project_id)
        current = status_cache.Remembered({}).merge(exported, stance_name)
    status_cache.save(path, current.at(counts.server_time))
    return current.tasks, counts.tasks


@dataclass(frozen=True)
class ConnectResult:
    project_id: int
    backend_id: int
    created: bool
    """False when the project already had this backend (its settings were refreshed)."""
    model_version: str
    restarted_server: bool
    """The local server was restarted so it may call a backend on this machine."""


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def connect_model(
    *,
    project: str,
    backend: str,
    secret: str | None = None,
    title: str = "stancebank",
    url: str | None = None,
    data_dir: PathLike | None = None,
) -> ConnectResult:
    """Register the ML backend at ``backend`` with ``project`` (interactive pre-annotations
    on, predictions fetched when a task without one is opened, every model version shown),
    with ``secret`` as its HTTP Basic password, also on the webhook Label Studio adds for it.
    A backend on this machine needs two server settings (``server.LOCAL_BACKEND_SETTINGS``):
    a local ``stancebank server`` is restarted with them; another server is told about them."""
    from urllib.parse import urlsplit

    from label_studio_sdk.core.api_error import ApiError

    from stancebank.labeling import client as ls
    from stancebank.labeling.ml_protocol import SECRET_USER

    parts = urlsplit(backend)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(backend, "the backend is an http:// or https:// URL")
    backend = backend.rstrip("/")
    status, _ = server._get(f"{backend}/health", timeout=5.0)
    if status != 200:
        raise server.ServerError(
            f"no ML backend answers at {backend}/health; start one with "
            "'stancebank serve-model MODEL_DIR'"
        )
    folder = server.resolve_data_dir(data_dir)
    connection = ls.resolve_connection(url, folder)
    restarted = False
    local = parts.hostname in LOOPBACK
    if local and server.running_url(folder) == connection.url:
        restarted = server.allow_local_ml_backends(folder)
    client = ls.connect(connection)
    auth = {"auth_method": "BASIC_AUTH", "basic_auth_user": SECRET_USER,
            "basic_auth_pass": secret} if secret else {"auth_method": "NONE"}  # fmt: skip
    with _server_errors(connection.url, "connect-model"):
        found = ls.find_project(client, project)
        if found is None:
            raise InputError(project, "no such project on the server")
        existing = [b for b in client.ml.list(project=found.id) if b.url.rstrip("/") == backend]
        try:
            if existing:
                registered = client.ml.update(id=existing[0].id, url=backend, project=found.id,
                                              is_interactive=True, title=title, **auth)  # fmt: skip
            else:
                registered = client.ml.create(project=found.id, url=backend, is_interactive=True,
                                              title=title, **auth)  # fmt: skip
        except ApiError as error:
            text = json.dumps(error.body)[:300] if error.body else ""
            hint = ""
            if local and ("reserved" in text or "blocked" in text.lower()):
                hint = "; the server refuses addresses on its own machine unless it runs with " + (
                    " and ".join(f"{k}={v}" for k, v in server.LOCAL_BACKEND_SETTINGS.items())
                )
            raise server.ServerError(
                f"Label Studio at {connection.url} did not accept the backend {backend} "
                f"(HTTP {error.status_code} {text}){hint}"
            ) from None
        hook_url = f"{backend}/webhook"
        headers = {"Authorization": "Basic " + _basic(SECRET_USER, secret)} if secret else {}
        for hook in client.webhooks.list(project=str(found.id)):
            if hook.url == hook_url:
                client.webhooks.update(id=hook.id, url=hook_url, headers=headers,
                                       send_payload=True, send_for_all_actions=True)  # fmt: skip
        client.projects.update(id=found.id, evaluate_predictions_automatically=True,
                               show_collab_predictions=True, model_version="")  # fmt: skip
    return ConnectResult(found.id, registered.id, not existing,
                         registered.model_version or "", restarted)  # fmt: skip


def _basic(user: str, password: str) -> str:
    import base64

    return base64.b64encode(f"{user}:{password}".encode()).decode()


__all__ = [
    "AnnotatorsResult",
    "ConnectResult",
    "connect_model",
    "PullResult",
    "ReviewResult",
    "add_annotators",
    "list_annotators",
    "review",
    "status",
    "ServerInfo",
    "pull",
    "push",
    "server_url",
    "start_server",
    "stop_server",
]
