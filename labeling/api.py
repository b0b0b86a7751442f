"""The labelling stage's Python API: the local Label Studio server, ``push``, ``pull``,
``review``, the team's accounts and status, and connecting a model.

Keyword arguments only; each function checks its input, opens the server and hands the
work to the module that owns it (Label Studio calls to :mod:`~stancebank.labeling.client`,
formats to their readers), and returns a result object. The server is found as on the
command line: ``url``, else ``$LABEL_STUDIO_URL``, else the ``stancebank server`` running
from ``data_dir``; the token from ``$LABEL_STUDIO_API_KEY``, else that server's credentials
file. Bad input raises ``InputError``; a server that fails or cannot be reached raises
:class:`~stancebank.labeling.net.ServerError`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stancebank.dataset.errors import InputError
from stancebank.dataset.outputs import check_output_dir
from stancebank.dataset.progress import progress_bar
from stancebank.labeling import server
from stancebank.labeling.net import ServerError
from stancebank.labeling.options import DEFAULT_ORDER, DEFAULT_OVERLAP, DEFAULT_PORT, ORDERS
from stancebank.labeling.paths import resolve_data_dir

if TYPE_CHECKING:
    from stancebank.labeling.push import PushReport
    from stancebank.labeling.team import TeamStatus

PathLike = str | Path
MAX_TITLE = 50
"""Label Studio refuses longer project titles."""
LOOPBACK = ("127.0.0.1", "localhost", "::1")


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
    that is restarted). In a project, its file records the data dir, port and URL."""
    from stancebank.dataset.project import active, record

    folder = resolve_data_dir(data_dir)
    database = database or os.environ.get("STANCEBANK_DATABASE_URL") or None
    if local_ml_backends and folder.is_dir():
        server.allow_local_ml_backends(folder)
    url, credentials = server.start(
        folder, port=port, database=database, local_ml_backends=local_ml_backends
    )
    # a project remembers its server, so every later label command there finds it
    record(active(), "label_studio", {"data_dir": str(folder.resolve()), "port": port,
                                      "url": url})  # fmt: skip
    return ServerInfo(url, folder, credentials)


def init_project(
    folder: PathLike,
    *,
    target: str,
    name: str | None = None,
    languages: Sequence[str] = (),
    regions: Sequence[str] = (),
) -> Path:
    """Write ``FOLDER/stancebank.toml`` for a stance toward ``target`` (the default labels
    worded for it, the card's facts to fill in) and a copy of the annotation guidelines to
    edit, ``FOLDER/GUIDELINES.md``. Returns the project file's path."""
    from importlib.resources import files

    from stancebank.dataset.project import init

    default = files("stancebank.labeling").joinpath("GUIDELINES.md").read_text("utf-8")
    return init(folder, target=target, name=name, languages=tuple(languages),
                regions=tuple(regions), guidelines=default)  # fmt: skip


def stop_server(*, data_dir: PathLike | None = None) -> bool:
    """Stop the server started from ``data_dir``; False if none was running."""
    return server.stop(resolve_data_dir(data_dir))


def server_url(*, data_dir: PathLike | None = None) -> str | None:
    """The URL of the server running from ``data_dir``, or None."""
    return server.running_url(resolve_data_dir(data_dir))


def _project(client, title: str):
    """The project with this title; bad input when the server has none."""
    from stancebank.labeling import client as ls

    found = ls.find_project(client, title)
    if found is None:
        raise InputError(title, "no such project on the server")
    return found


def _annotated_tasks(client, project: str):
    """The project, its annotated tasks (export format) and ``{user id: e-mail}``."""
    from stancebank.labeling import client as ls

    found = _project(client, project)
    return found, ls.export_annotated(client, found.id), ls.user_emails(client)


def push(
    *,
    claims: PathLike,
    project: str,
    predictions: PathLike | None = None,
    include_non_arguments: bool = False,
    order: str = DEFAULT_ORDER,
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
    from stancebank.labeling import client as ls
    from stancebank.labeling.push import preannotations, push_lock
    from stancebank.labeling.push import push as push_claims

    if order not in ORDERS:
        raise InputError("--order", f"choose {' or '.join(repr(o) for o in ORDERS)}")
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
    client, server_url = ls.open_client(url, data_dir)
    with push_lock(server_url, project), ls.errors(server_url, "push"):
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
    ``out``; earlier snapshots are never touched and annotators become ``A1``, ``A2``, …
    A pull of a project also writes the review project's decisions into
    ``adjudication.jsonl`` and leaves what ``label status`` remembers."""
    from stancebank.dataset.annotations_io import (
        Pseudonyms,
        SnapshotSource,
        merge_review_adjudications,
        write_snapshot,
    )  # fmt: skip
    from stancebank.dataset.schema import load_schema
    from stancebank.labeling import client as ls
    from stancebank.labeling import status_cache
    from stancebank.labeling.review import adjudications, review_title
    from stancebank.labeling.snapshot import annotator_key, read_export, snapshot_records

    if (project is None) == (from_export is None):
        raise InputError("label pull", "give a project or an export file (one of them)")
    schema = load_schema()
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputError(out, "is a file; --out is the annotations folder snapshots go into")
    pseudonyms = Pseudonyms.load(folder)
    adjudicated = source = None
    if from_export is not None:
        check_output_dir(folder, command="label pull", inputs=[from_export], replaces=False)
        tasks = read_export(Path(from_export))
        records, skipped = snapshot_records(tasks, schema, pseudonyms, {},
                                            source=str(from_export))  # fmt: skip
    else:
        client, server_url = ls.open_client(url, data_dir)
        with ls.errors(server_url, "pull"):
            found = _project(client, project)
            source = SnapshotSource(server_url, found.id)
            counts = ls.project_counts(client, found.id)
            tasks = ls.export_annotated(client, found.id)
            emails = ls.user_emails(client)
            status_cache.remember(server_url, found.id, counts, tasks, schema.stance_name)
            records, skipped = snapshot_records(tasks, schema, pseudonyms, emails,
                                                source=f"project '{project}'")  # fmt: skip
            if (reviewed := ls.find_project(client, review_title(project))) is not None:
                adjudicated = adjudications(
                    ls.export_annotated(client, reviewed.id), records, schema,
                    lambda who: pseudonyms(annotator_key(who, emails)),
                )  # fmt: skip
    path = write_snapshot(folder, records, source=source)
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
    from stancebank.labeling.snapshot import snapshot_records

    schema = load_schema()
    client, server_url = ls.open_client(url, data_dir)
    title = review_title(project)
    with ls.errors(server_url, "review"):
        _, export, emails = _annotated_tasks(client, project)
        pseudonyms = Pseudonyms.load(Path(annotations)) if annotations else Pseudonyms()
        records, _ = snapshot_records(export, schema, pseudonyms, emails,
                                      source=f"project '{project}'")  # fmt: skip
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
    overlap: int = DEFAULT_OVERLAP,
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
        forget_password,
        new_password,
        save_passwords,
    )  # fmt: skip

    addresses = check_emails(emails)
    if overlap < 1:
        raise InputError("--overlap", "at least 1 annotator per task")
    secrets_file = resolve_data_dir(data_dir) / ANNOTATOR_CREDENTIALS_FILE
    connection = ls.resolve_connection(url, resolve_data_dir(data_dir))
    client = ls.connect(connection)
    with ls.errors(connection.url, "annotators add"):
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
            try:
                ls.sign_up(connection, invite, address, password)
            except ServerError:
                forget_password(secrets_file, address)  # no password for an account not made
                raise
            created.append(address)
        ls.set_overlap(client, found.id, overlap)
    existing = [a for a in addresses if a not in created]
    return AnnotatorsResult(created, existing, overlap, secrets_file)


def list_annotators(*, url: str | None = None, data_dir: PathLike | None = None) -> list[str]:
    """E-mail addresses of the server's accounts (for the local admin; never published)."""
    from stancebank.labeling import client as ls

    client, server_url = ls.open_client(url, data_dir)
    with ls.errors(server_url, "annotators list"):
        return sorted(ls.user_emails(client).values())


def status(
    *,
    project: str,
    annotations: PathLike | None = None,
    url: str | None = None,
    data_dir: PathLike | None = None,
) -> TeamStatus:
    """How far the team is on ``project``, read from the server: tasks done / total, per
    annotator (pseudonyms of ``annotations``/annotators.json, read-only), overlapping tasks,
    Krippendorff's alpha and pairwise kappa so far, disagreements no adjudication settles
    (``annotations``/adjudication.jsonl). Reads only the tasks changed since the last status
    or pull on this machine (:mod:`stancebank.labeling.status_cache`)."""
    from stancebank.dataset.annotations_io import Pseudonyms, read_adjudication
    from stancebank.dataset.schema import load_schema
    from stancebank.labeling import client as ls
    from stancebank.labeling.snapshot import snapshot_records
    from stancebank.labeling.status_cache import current_tasks
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
    client, server_url = ls.open_client(url, data_dir)
    with ls.errors(server_url, "status"):
        found = _project(client, project)
        emails = ls.user_emails(client)
        tasks, total = current_tasks(client, server_url, found.id, schema.stance_name)
    records, _ = snapshot_records(tasks.values(), schema, pseudonyms, emails,
                                  source=f"project '{project}'")  # fmt: skip
    return team_status(project, total, records, stances, adjudicated=adjudicated)


@dataclass(frozen=True)
class ConnectResult:
    project_id: int
    backend_id: int
    created: bool
    """False when the project already had this backend (its settings were refreshed)."""
    model_version: str
    restarted_server: bool
    """The local server was restarted so it may call a backend on this machine."""


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
    import base64
    from urllib.parse import urlsplit

    from stancebank.labeling import client as ls
    from stancebank.labeling.ml_protocol import SECRET_USER

    parts = urlsplit(backend)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(backend, "the backend is an http:// or https:// URL")
    backend = backend.rstrip("/")
    if not ls.backend_answers(backend):
        raise ServerError(f"no ML backend answers at {backend}/health; start one with "
                          "'stancebank serve-model MODEL_DIR'")  # fmt: skip
    folder = resolve_data_dir(data_dir)
    connection = ls.resolve_connection(url, folder)
    local = parts.hostname in LOOPBACK
    restarted = False
    if local and server.running_url(folder) == connection.url:
        restarted = server.allow_local_ml_backends(folder)
    client = ls.connect(connection)
    auth = {"auth_method": "BASIC_AUTH", "basic_auth_user": SECRET_USER,
            "basic_auth_pass": secret} if secret else {"auth_method": "NONE"}  # fmt: skip
    with ls.errors(connection.url, "connect-model"):
        found = _project(client, project)
        registered, created = ls.register_backend(
            client, found.id, backend, title=title, auth=auth, server_url=connection.url,
            local=local,
        )  # fmt: skip
        basic = base64.b64encode(f"{SECRET_USER}:{secret}".encode()).decode() if secret else ""
        ls.set_webhook_headers(client, found.id, f"{backend}/webhook",
                               {"Authorization": f"Basic {basic}"} if secret else {})  # fmt: skip
        ls.ask_backend_for_predictions(client, found.id)
    return ConnectResult(found.id, registered.id, created,
                         registered.model_version or "", restarted)  # fmt: skip


__all__ = [
    "AnnotatorsResult",
    "ConnectResult",
    "connect_model",
    "init_project",
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
