"""Handlers of the Label Studio commands (``server start|stop|status``, ``label push|pull``):
call :mod:`stancebank.labeling.api`, print the result."""

from __future__ import annotations

import argparse

from stancebank import console
from stancebank.console import say
from stancebank.labeling import api
from stancebank.labeling.server import resolve_data_dir


def server_start(args: argparse.Namespace) -> int:
    info = api.start_server(data_dir=args.data_dir, port=args.port)
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
        include_non_arguments=args.include_non_arguments, url=args.url,
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
    result = api.pull(
        out=args.out, project=args.project, from_export=args.from_export, url=args.url,
        data_dir=args.data_dir,
    )  # fmt: skip
    say(
        f"wrote {result.snapshot}: {result.annotations} annotations of {result.claims} claims "
        f"({result.cancelled} cancelled, {result.skipped_tasks} tasks without claim_id skipped)"
    )
    for annotator, count in result.per_annotator.items():
        say(f"  {annotator}: {count}")
    print(result.snapshot)
    return 0
