"""The Label Studio commands (``server start|stop|status``, ``label push|pull|annotators|
review|status|connect-model``): their arguments, and handlers that call
:mod:`stancebank.labeling.api` and print the result."""

from __future__ import annotations

import argparse

from stancebank import console
from stancebank.arguments import (
    HelpFormatter,
    backend_secret,
    console_options,
    ls_project_option,
    server_options,
    subcommand,
)
from stancebank.console import say
from stancebank.dataset.project import active
from stancebank.labeling import api
from stancebank.labeling.ml_protocol import SECRET_ENV
from stancebank.labeling.options import DEFAULT_ORDER, DEFAULT_OVERLAP, DEFAULT_PORT, ORDERS
from stancebank.labeling.paths import resolve_data_dir

_SERVER_EXAMPLES = """examples:
  stancebank server start                       # data in ~/.local/share/stancebank
  stancebank server start --port 8090 --data-dir work/label-studio
  STANCEBANK_DATABASE_URL=postgresql://ls:PASSWORD@127.0.0.1:5432/labelstudio \\
      stancebank server start --data-dir work/ls-team          # PostgreSQL for teams
  stancebank server status --data-dir work/label-studio   # exit 0 running, 3 not
  stancebank server stop --data-dir work/label-studio"""

_LABEL_EXAMPLES = """examples:
  stancebank label push work/claims.jsonl --project seed
  stancebank label annotators add ann1@lab.org ann2@lab.org --project seed --overlap 2
  stancebank label status --project seed --annotations dataset/annotations
  stancebank label review --project seed      # then adjudicate in "seed review", and pull
  stancebank label push work/claims.jsonl --project seed --predictions work/preds.jsonl
  stancebank label push work/claims.jsonl --project seed --predictions work/preds.jsonl \\
      --order uncertainty                      # least certain claims first
  stancebank label pull --project seed --out dataset/annotations
  stancebank label pull --from-export project-1-at-2026.json --out dataset/annotations
  stancebank label connect-model --project seed --backend http://127.0.0.1:9090

The server is --url, else $LABEL_STUDIO_URL, else the running 'stancebank server';
the token is $LABEL_STUDIO_API_KEY, else the server's credentials file."""


def add_parsers(subparsers) -> None:
    """``server start|stop|status`` and ``label push|pull``."""
    _add_server(subparsers)
    _add_label(subparsers)


def _add_server(subparsers) -> None:
    parser = subcommand(
        subparsers,
        "server",
        "Start, stop or check the local Label Studio server.",
        description="Run the pinned Label Studio (own virtual environment, SQLite) on 127.0.0.1.",
        examples=_SERVER_EXAMPLES,
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, help_text in (
        ("start", "start the server and wait until it answers"),
        ("stop", "stop the server started from the data dir"),
        ("status", "print the URL; exit 0 running, 3 not"),
    ):
        action = actions.add_parser(
            name,
            allow_abbrev=False,
            help=help_text,
            description=help_text,
            epilog=_SERVER_EXAMPLES,
            formatter_class=HelpFormatter,
        )
        console_options(action)
        action.set_defaults(handler=_SERVER_HANDLERS[name])
        server_options(action, url=False)
        if name == "start":
            action.add_argument(
                "--port",
                type=int,
                default=int(active().label_studio.get("port") or DEFAULT_PORT),
                help="port on 127.0.0.1 (a taken port is refused)",
            )
            action.add_argument(
                "--allow-local-ml-backends",
                action="store_true",
                help="let it call ML backends and webhooks on this machine "
                "(LABEL_STUDIO_ML_BLOCK_LOCAL_IP=false, LABEL_STUDIO_SSRF_PROTECTION_ENABLED="
                "false; remembered in the data dir; 'label connect-model' sets it when needed)",
            )
            action.add_argument(
                "--database",
                metavar="POSTGRESQL_URL",
                help="run on PostgreSQL: postgresql://USER:PASSWORD@HOST:PORT/NAME (default: "
                "$STANCEBANK_DATABASE_URL, else SQLite in the data dir; the environment "
                "variable keeps the password out of the process list)",
            )


def _add_label(subparsers) -> None:
    parser = subcommand(
        subparsers,
        "label",
        "Push claims to Label Studio, pull annotation snapshots.",
        description="Push claims to a Label Studio project; pull its annotations.",
        examples=_LABEL_EXAMPLES,
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    push = actions.add_parser(
        "push",
        allow_abbrev=False,
        help="import claims not yet in the project",
        description="Create or reuse the project and import the claims it does not hold "
        "yet (non-argument units are skipped unless asked). Nothing on the server is "
        "altered or deleted.",
        epilog=_LABEL_EXAMPLES,
        formatter_class=HelpFormatter,
    )
    console_options(push)
    push.set_defaults(handler=label_push)
    push.add_argument(
        "claims", metavar="CLAIMS_JSONL", help="claims file written by 'stancebank segment'"
    )
    ls_project_option(push, "project title (created if missing)")
    push.add_argument(
        "--predictions", metavar="PREDICTIONS_JSONL", help="predictions to add as pre-annotations"
    )
    push.add_argument(
        "--include-non-arguments", action="store_true", help="push non_argument units too"
    )
    push.add_argument(
        "--order",
        default=DEFAULT_ORDER,
        choices=ORDERS,
        help="task order: as in the claims file, or lowest prediction score first (with "
        "Label Studio's uncertainty sampling; needs --predictions)",
    )
    server_options(push, url=True)

    pull = actions.add_parser(
        "pull",
        allow_abbrev=False,
        help="write a new annotation snapshot",
        description="Write a new, timestamped snapshot JSONL of every annotation in the "
        "project (or in a Label Studio JSON export). Earlier snapshots are never touched.",
        epilog=_LABEL_EXAMPLES,
        formatter_class=HelpFormatter,
    )
    console_options(pull)
    pull.set_defaults(handler=label_pull)
    title = active().label_studio.get("project")
    source = pull.add_mutually_exclusive_group(required=not title)
    source.add_argument("--project", default=title or None, help="project title on the server"
                        + (" (default: the project file's)" if title else ""))  # fmt: skip
    source.add_argument(
        "--from-export", metavar="EXPORT_JSON", help="a JSON export downloaded from Label Studio"
    )
    pull.add_argument(
        "--out", required=True, metavar="ANNOTATIONS_DIR", help="folder for the snapshots"
    )
    server_options(pull, url=True)
    _add_team(actions)


def _add_team(actions) -> None:
    annotators = actions.add_parser(
        "annotators",
        allow_abbrev=False,
        help="create annotator accounts, set the project's overlap, list accounts",
        description="Annotator accounts on the server and the project's overlap.",
        epilog=_LABEL_EXAMPLES,
        formatter_class=HelpFormatter,
    )
    team = annotators.add_subparsers(dest="team_action", required=True, metavar="ACTION")
    add = team.add_parser(
        "add",
        allow_abbrev=False,
        help="create the accounts that do not exist; set the overlap",
        description="Create an account for each e-mail address that has none (a generated "
        "password each, written to annotator-credentials.json (0600) in the server's data "
        "dir, never printed) and make every task of the project go to OVERLAP annotators, "
        "overlapping tasks first.",
        epilog=_LABEL_EXAMPLES,
        formatter_class=HelpFormatter,
    )
    console_options(add)
    add.set_defaults(handler=label_annotators_add)
    add.add_argument("emails", nargs="+", metavar="EMAIL", help="annotators' e-mail addresses")
    ls_project_option(add, "project title on the server")
    add.add_argument("--overlap", type=int, default=DEFAULT_OVERLAP, help="annotators per task")
    server_options(add, url=True)
    listing = team.add_parser(
        "list",
        allow_abbrev=False,
        help="list the server's accounts",
        description="List the e-mail addresses of the server's accounts (on your console "
        "only; they never reach a published file).",
        epilog=_LABEL_EXAMPLES,
        formatter_class=HelpFormatter,
    )
    console_options(listing)
    listing.set_defaults(handler=label_annotators_list)
    server_options(listing, url=True)

    review = actions.add_parser(
        "review",
        allow_abbrev=False,
        help="put the claims whose annotators disagree into a review project",
        description="Create or update 'PROJECT review': one task per claim whose annotators "
        "disagree, with every annotator's stance and rationale (pseudonyms), the answer and "
        "the guideline rules; the adjudicator picks the final stance and the deciding rule. "
        "Running it again adds only new disagreements (a claim relabelled after review "
        "comes back). 'label pull --project PROJECT' then writes adjudication.jsonl.",
        epilog=_LABEL_EXAMPLES,
        formatter_class=HelpFormatter,
    )
    console_options(review)
    review.set_defaults(handler=label_review)
    ls_project_option(review, "the labelling project's title")
    review.add_argument(
        "--annotations",
        metavar="ANNOTATIONS_DIR",
        help="folder whose annotators.json names the pseudonyms shown (read only)",
    )
    server_options(review, url=True)

    status = actions.add_parser(
        "status",
        allow_abbrev=False,
        help="how far the team is: done, per annotator, agreement so far",
        description="Read from the server: tasks done / total, per annotator (pseudonyms "
        "A1, A2, … as in snapshots), tasks with two or more annotations, Krippendorff's alpha "
        "and pairwise kappa so far, and disagreements waiting for adjudication.",
        epilog=_LABEL_EXAMPLES,
        formatter_class=HelpFormatter,
    )
    console_options(status)
    status.set_defaults(handler=label_status)
    ls_project_option(status, "project title on the server")
    status.add_argument(
        "--annotations",
        metavar="ANNOTATIONS_DIR",
        help="folder whose annotators.json names the pseudonyms and whose adjudication.jsonl "
        "settles disagreements (read only)",
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    server_options(status, url=True)

    connect = actions.add_parser(
        "connect-model",
        allow_abbrev=False,
        help="connect a running 'stancebank serve-model' to a project",
        description="Register the ML backend with the project: interactive pre-annotations "
        "on, a prediction fetched when a task without one is opened, labels sent to the "
        f"backend's /webhook (with the shared secret from ${SECRET_ENV}, if set). A backend "
        "on this machine needs LABEL_STUDIO_ML_BLOCK_LOCAL_IP=false and "
        "LABEL_STUDIO_SSRF_PROTECTION_ENABLED=false on the server: a local 'stancebank "
        "server' is restarted with them (and keeps them); another server must be started "
        "so. Running it again changes nothing.",
        epilog=_LABEL_EXAMPLES,
        formatter_class=HelpFormatter,
    )
    console_options(connect)
    connect.set_defaults(handler=label_connect_model)
    ls_project_option(connect, "project title on the server")
    connect.add_argument("--backend", required=True, metavar="BACKEND_URL",
                         help="the backend's URL, e.g. http://127.0.0.1:9090")  # fmt: skip
    server_options(connect, url=True)


def server_start(args: argparse.Namespace) -> int:
    info = api.start_server(data_dir=args.data_dir, port=args.port, database=args.database,
                            local_ml_backends=args.allow_local_ml_backends)  # fmt: skip
    print(info.url)
    say(f"Label Studio is running at {info.url} (127.0.0.1 only)")
    say(f"login and API token: {info.credentials} (readable by you only)")
    say(f"stop it with: stancebank server stop --data-dir {info.data_dir}")
    return 0


def server_stop(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    stopped = api.stop_server(data_dir=data_dir)
    say("Label Studio stopped" if stopped else f"no server was running from {data_dir}")
    return 0


def server_status(args: argparse.Namespace) -> int:
    url = api.server_url(data_dir=args.data_dir)
    if url:
        print(url)
        return 0
    say("not running")
    return 3


def label_push(args: argparse.Namespace) -> int:
    report = api.push(
        claims=args.claims, project=args.project, predictions=args.predictions,
        include_non_arguments=args.include_non_arguments, order=args.order, url=args.url,
        data_dir=args.data_dir, progress=console.progress(),
    )  # fmt: skip
    verb = "created" if report.project_created else "reused"
    say(
        f"project '{args.project}' (id {report.project_id}, {verb}): {report.imported} new "
        f"tasks, {report.already_there} already there, {report.skipped_non_arguments} "
        f"non-argument units skipped, {report.predictions_added} pre-annotations added"
    )
    return 0


def label_pull(args: argparse.Namespace) -> int:
    project = None if args.from_export else args.project  # the file's title yields to an export
    result = api.pull(
        out=args.out, project=project, from_export=args.from_export, url=args.url,
        data_dir=args.data_dir,
    )  # fmt: skip
    say(
        f"wrote {result.snapshot}: {result.annotations} annotations of {result.claims} claims "
        f"({result.cancelled} cancelled, {result.skipped_tasks} tasks without claim_id skipped)"
    )
    for annotator, count in result.per_annotator.items():
        say(f"  {annotator}: {count}")
    if result.adjudicated is not None:
        say(f"  {result.adjudicated} adjudications from the review project in adjudication.jsonl")
    print(result.snapshot)
    return 0


def label_annotators_add(args: argparse.Namespace) -> int:
    result = api.add_annotators(
        emails=args.emails, project=args.project, overlap=args.overlap, url=args.url,
        data_dir=args.data_dir,
    )  # fmt: skip
    say(
        f"created {len(result.created)} account(s), {len(result.existing)} already there; "
        f"project '{args.project}': {result.overlap} annotators per task, overlap first"
    )
    if result.created:
        say(f"passwords: {result.passwords} (readable by you only; hand each one over privately)")
    return 0


def label_annotators_list(args: argparse.Namespace) -> int:
    for email in api.list_annotators(url=args.url, data_dir=args.data_dir):
        print(email)
    return 0


def label_review(args: argparse.Namespace) -> int:
    result = api.review(
        project=args.project, annotations=args.annotations, url=args.url, data_dir=args.data_dir
    )
    verb = "created" if result.created else "updated"
    say(
        f"review project '{result.review_project}' ({verb}): {result.disagreements} claims "
        f"disagree, {result.added} new review tasks"
    )
    return 0


def label_status(args: argparse.Namespace) -> int:
    import json

    status = api.status(
        project=args.project, annotations=args.annotations, url=args.url, data_dir=args.data_dir
    )
    if args.json:
        print(json.dumps(status.to_dict(), indent=1))
        return 0
    alpha = "n/a" if status.alpha is None else f"{status.alpha:.3f}"
    print(f"project '{status.project}': {status.done} / {status.tasks} tasks labelled, "
          f"{status.overlapping} by two or more annotators")  # fmt: skip
    for name, count in status.per_annotator.items():
        print(f"  {name}: {count}")
    kappas = ", ".join(
        f"{pair} {'n/a' if k is None else f'{k:.3f}'}" for pair, k in status.pairwise_kappa.items()
    )
    print(
        f"  agreement so far: Krippendorff's alpha {alpha}"
        + (f"; kappa {kappas}" if kappas else "")
    )
    print(f"  disagreements waiting for adjudication: {status.disagreements}")
    return 0


def label_connect_model(args: argparse.Namespace) -> int:
    from stancebank.labeling.server import LOCAL_BACKEND_SETTINGS

    result = api.connect_model(project=args.project, backend=args.backend,
                               secret=backend_secret(), url=args.url,
                               data_dir=args.data_dir)  # fmt: skip
    if result.restarted_server:
        settings = " and ".join(f"{k}={v}" for k, v in LOCAL_BACKEND_SETTINGS.items())
        say(f"restarted the local Label Studio with {settings}, so it may call a backend on "
            "this machine (this server only; it listens on 127.0.0.1)")  # fmt: skip
    verb = "connected" if result.created else "already connected; settings refreshed"
    say(f"project '{args.project}': backend {args.backend} {verb} (model version "
        f"{result.model_version or 'unknown'}); a task opened without a prediction gets one, "
        "and labels are sent to the backend's /webhook")  # fmt: skip
    return 0


_SERVER_HANDLERS = {"start": server_start, "stop": server_stop, "status": server_status}
