"""Subcommands for the Label Studio stage: ``server start|stop|status``, ``label push|pull``."""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from dataset.claims_io import read_claims
from dataset.errors import InputError
from labeling import client as ls
from labeling import server
from labeling.predictions_io import read_predictions
from labeling.push import push
from labeling.schema import load_schema
from labeling.snapshot import Pseudonyms, TaskProblem, records_from_tasks, write_snapshot
from scripts.console import say


def data_dir_of(args: argparse.Namespace) -> Path:
    if args.data_dir:
        return Path(args.data_dir)
    env = os.environ.get("STANCEBANK_LS_DATA_DIR")
    return Path(env) if env else server.default_data_dir()


def server_start(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    url, credentials = server.start(data_dir, port=args.port)
    print(url)
    say(f"Label Studio is running at {url} (127.0.0.1 only)")
    say(f"login and API token: {credentials} (readable by you only)")
    say(f"stop it with: stancebank server stop --data-dir {data_dir}")
    return 0


def server_stop(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    stopped = server.stop(data_dir)
    say("Label Studio stopped" if stopped else f"no server was running from {data_dir}")
    return 0


def server_status(args: argparse.Namespace) -> int:
    url = server.running_url(data_dir_of(args))
    if url:
        print(url)
        return 0
    say("not running")
    return 3


def label_push(args: argparse.Namespace) -> int:
    schema = load_schema()
    claims = read_claims(args.claims)
    predictions = read_predictions(args.predictions, schema) if args.predictions else None
    client = ls.connect(ls.resolve_connection(args.url, data_dir_of(args)))
    bar = tqdm(desc="push", unit="task", disable=None)
    report = push(
        client,
        claims,
        title=args.project,
        schema=schema,
        predictions=predictions,
        include_non_arguments=args.include_non_arguments,
        progress=bar.update,
        on_total=lambda n: setattr(bar, "total", n),
    )
    bar.close()
    verb = "created" if report.project_created else "reused"
    say(
        f"project '{args.project}' (id {report.project_id}, {verb}): {report.imported} new "
        f"tasks, {report.already_there} already there, {report.skipped_non_arguments} "
        f"non-argument units skipped, {report.predictions_added} pre-annotations added"
    )
    return 0


def label_pull(args: argparse.Namespace) -> int:
    schema = load_schema()
    out = Path(args.out)
    emails: dict[int, str] = {}
    if args.from_export:
        tasks, source = _read_export(Path(args.from_export)), args.from_export
    else:
        if not args.project:
            raise InputError("label pull", "give --project NAME or --from-export FILE")
        client = ls.connect(ls.resolve_connection(args.url, data_dir_of(args)))
        project = ls.find_project(client, args.project)
        if project is None:
            raise InputError(args.project, "no such project on the server")
        tasks, source = ls.export_annotated(client, project.id), f"project '{args.project}'"
        emails = ls.user_emails(client)
    pseudonyms = Pseudonyms.load(out)
    try:
        records, skipped = records_from_tasks(tasks, schema, pseudonyms, emails)
    except TaskProblem as problem:
        raise InputError(source, str(problem)) from None
    path = write_snapshot(out, records)
    pseudonyms.save(out)
    per_annotator = Counter(r["annotator"] for r in records if not r["was_cancelled"])
    cancelled = sum(r["was_cancelled"] for r in records)
    claims = len({r["claim_id"] for r in records})
    say(
        f"wrote {path}: {len(records)} annotations of {claims} claims "
        f"({cancelled} cancelled, {skipped} tasks without claim_id skipped)"
    )
    for annotator, count in sorted(per_annotator.items()):
        say(f"  {annotator}: {count}")
    print(path)
    return 0


def _read_export(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(path, f"not a Label Studio JSON export ({error})") from None
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise InputError(path, "not a Label Studio JSON export (expected a list of tasks)")
    return data
