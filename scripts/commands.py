"""Handlers of the dataset stage's commands: call :mod:`stancebank.dataset.api`, print the
result."""

from __future__ import annotations

import argparse

from stancebank import console
from stancebank.console import say
from stancebank.dataset import api
from stancebank.dataset.errors import InputError
from stancebank.dataset.options import BuildOptions


def ingest(args: argparse.Namespace) -> int:
    result = api.ingest(
        files=args.files, out=args.out, format=args.format, progress=console.progress()
    )
    say(f"wrote {result.answers} answers from {result.documents} document(s) to {args.out}")
    return 0


def segment(args: argparse.Namespace) -> int:
    result = api.segment(answers=args.answers, out=args.out, progress=console.progress())
    say(
        f"wrote {result.claims + result.non_arguments} units ({result.claims} claims, "
        f"{result.non_arguments} non-argument) from {result.answers} answers to {args.out}"
    )
    return 0


def build(args: argparse.Namespace) -> int:
    from stancebank.dataset.schema import label_names

    result = api.build_release(
        claims=args.claims, annotations=args.annotations, out=args.out, answers=args.answers,
        options=BuildOptions(group_by=args.group_by, seed=args.seed),
    )  # fmt: skip
    report, stances = result.report, label_names().stances
    rows = " ".join(f"{name} {n}" for name, n in report.rows.items())
    say(f"wrote {result.out}: {rows}")
    for name, counts in report.label_counts.items():
        say(f"  {name:10s} " + "  ".join(f"{s} {counts[s]}" for s in stances))
    ag = report.agreement
    alpha = "n/a" if ag.alpha is None else f"{ag.alpha:.3f}"
    say(
        f"  agreement: Krippendorff's alpha {alpha} on {ag.units} claims; kappa {ag.pairwise_kappa}"
    )
    for name in ag.annotators:
        say(f"  {name}: " + "  ".join(f"{s} {ag.per_annotator[name].get(s, 0)}" for s in stances))
    if report.ties_left_out:
        ties = report.ties_left_out
        shown = ", ".join(ties[:5]) + (", …" if len(ties) > 5 else "")
        say(f"  {len(ties)} ties left out (no adjudication; all in the report): {shown}")
    if report.unknown_claim_ids:
        say(f"  {report.unknown_claim_ids} annotated claim ids are not in the claims file")
    return 0


def publish(args: argparse.Namespace) -> int:
    try:
        result = api.publish(
            dataset_dir=args.dataset_dir, repo_id=args.repo_id, private=args.private,
            dry_run=args.dry_run, deny_lists=args.deny_list, answers=args.answers,
        )  # fmt: skip
    except api.PrivacyGateError as gate:
        for f in gate.findings:
            print(f"{f.row_id}\t{f.field}\t{f.kind}")
        message = f"privacy gate: {len(gate.findings)} finding(s) listed above; nothing uploaded"
        raise InputError(gate.path, message) from None
    visibility = "private" if result.private else "public"
    if not result.uploaded:
        say(f"dry run: privacy gate passed; would upload to {result.repo_id} ({visibility}):")
        for item in result.files:
            print(f"{item.path}\t{item.size}")
        return 0
    say(f"uploaded {len(result.files)} files to {result.repo_id} ({visibility}): {result.commit}")
    return 0
