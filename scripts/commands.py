"""The dataset stage's commands (``ingest``, ``segment``, ``build``, ``publish``): their
arguments, and handlers that call :mod:`stancebank.dataset.api` and print the result."""

from __future__ import annotations

import argparse

from stancebank import console
from stancebank.arguments import subcommand
from stancebank.console import say
from stancebank.dataset import api
from stancebank.dataset.errors import InputError
from stancebank.dataset.interview.model import FORMATS
from stancebank.dataset.options import GROUP_BY, BuildOptions

_INGEST_EXAMPLES = """examples:
  stancebank ingest dataset/sources/interview-social-credit.txt \\
      --document-id interview-social-credit --out work/answers.jsonl
  stancebank ingest a.md b.csv --format auto --out answers.jsonl

Document ids (the start of every answer and claim id) are doc- plus a hash of the file,
or the --document-id labels you give, never the file name. Which file each document came
from is kept in ANSWERS.provenance.json beside the answers file, for local use only."""

_SEGMENT_EXAMPLES = """examples:
  stancebank segment work/answers.jsonl --out work/claims.jsonl"""

_BUILD_EXAMPLES = """examples:
  stancebank build --claims work/claims.jsonl --annotations dataset/annotations --out work/dataset
  stancebank build --claims c.jsonl --annotations ann/ --out ds/ --group-by respondent --seed 7

Reads every snapshot-*.jsonl in --annotations, plus adjudication.jsonl and card.json there
if present."""

_PUBLISH_EXAMPLES = """examples:
  stancebank publish work/dataset --repo-id me/surveillance-stance --dry-run
  stancebank publish work/dataset --repo-id me/surveillance-stance --private \\
      --answers work/answers.jsonl --deny-list names.txt --region NO --region CN

The privacy gate runs first; any finding prints claim_id, field and kind and exits 2."""


_INIT_EXAMPLES = """examples:
  stancebank init cameras --target "facial recognition at work"
  stancebank init fjord --target "CCTV in Oslo" --language no --language en --region NO
  cd cameras && stancebank server start     # recorded in cameras/stancebank.toml

Writes DIR/stancebank.toml (target, the benefit / harm / mixed / neutral labels worded for
the target, aspects, card facts, server and model settings) and DIR/GUIDELINES.md to edit.
Every command run in DIR, or given --project-dir DIR, reads it; options override it."""


def add_parsers(subparsers) -> None:
    """``init``, ``ingest``, ``segment``, ``build``, ``publish``."""
    init_args = subcommand(
        subparsers,
        "init",
        "Start a project: stancebank.toml and guidelines for a stance target.",
        init,
        examples=_INIT_EXAMPLES,
    )
    init_args.add_argument("folder", metavar="DIR", help="project folder (made if missing)")
    init_args.add_argument(
        "--target",
        required=True,
        metavar="TEXT",
        help='what the stance is toward, e.g. "facial recognition at work"',
    )
    init_args.add_argument("--name", help="the project's name (default: the folder's)")
    init_args.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="CODE",
        help="a language of the interviews, e.g. en or no (repeatable)",
    )
    init_args.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="CODE",
        help="a phone region for the privacy gate, e.g. NO (repeatable)",
    )

    ingest_args = subcommand(
        subparsers,
        "ingest",
        "Read interview files into answers.jsonl.",
        ingest,
        examples=_INGEST_EXAMPLES,
    )
    ingest_args.add_argument("files", nargs="+", metavar="FILE", help="interview files to read")
    ingest_args.add_argument(
        "--out", required=True, metavar="ANSWERS_JSONL", help="answers file to write"
    )
    ingest_args.add_argument(
        "--format",
        default="auto",
        choices=FORMATS,
        help="layout of the files; auto detects each file's",
    )
    ingest_args.add_argument(
        "--document-id",
        action="append",
        default=[],
        metavar="ID",
        help="id of each file's document, in file order (repeat per file; default: doc-HASH)",
    )

    segment_args = subcommand(
        subparsers,
        "segment",
        "Split answers into argumentative units.",
        segment,
        examples=_SEGMENT_EXAMPLES,
    )
    segment_args.add_argument(
        "answers", metavar="ANSWERS_JSONL", help="answers file written by 'stancebank ingest'"
    )
    segment_args.add_argument(
        "--out", required=True, metavar="CLAIMS_JSONL", help="claims file to write"
    )

    build_args = subcommand(
        subparsers,
        "build",
        "Build the stance dataset from claims and annotations.",
        build,
        examples=_BUILD_EXAMPLES,
    )
    build_args.add_argument(
        "--claims",
        required=True,
        metavar="CLAIMS_JSONL",
        help="claims file the annotations refer to",
    )
    build_args.add_argument(
        "--annotations",
        required=True,
        metavar="ANNOTATIONS_DIR",
        help="folder of annotation snapshots written by 'stancebank label pull'",
    )
    build_args.add_argument(
        "--out", required=True, metavar="DATASET_DIR", help="dataset folder to write"
    )
    build_args.add_argument(
        "--answers",
        metavar="ANSWERS_JSONL",
        help="answers file, for the exact answer text as context",
    )
    build_args.add_argument(
        "--group-by",
        default=BuildOptions.group_by,
        choices=GROUP_BY,
        help="what no split may divide",
    )
    build_args.add_argument("--seed", type=int, default=BuildOptions.seed, help="split seed")

    publish_args = subcommand(
        subparsers,
        "publish",
        "Check privacy, then upload the dataset to the Hub.",
        publish,
        examples=_PUBLISH_EXAMPLES,
    )
    publish_args.add_argument(
        "dataset_dir", metavar="DATASET_DIR", help="dataset folder written by 'stancebank build'"
    )
    publish_args.add_argument(
        "--repo-id", required=True, metavar="OWNER/NAME", help="Hugging Face dataset repository"
    )
    publish_args.add_argument("--private", action="store_true", help="create a private repository")
    publish_args.add_argument(
        "--dry-run", action="store_true", help="check and list, upload nothing"
    )
    publish_args.add_argument(
        "--deny-list",
        action="append",
        default=[],
        metavar="FILE",
        help="names that must not appear, one per line (repeatable)",
    )
    publish_args.add_argument(
        "--answers",
        metavar="ANSWERS_JSONL",
        help="answers file: names in the documents' prefaces are denied too",
    )
    publish_args.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="CODE",
        help="phone region of the release, e.g. NO or CN (repeatable; looked for beside the "
        "data's languages'; default: the project's regions, else US, GB, NO and CN too)",
    )
    publish_args.add_argument(
        "--allow-unlicensed",
        action="store_true",
        help="upload even though the card states no licence ([card] license)",
    )


def init(args: argparse.Namespace) -> int:
    from stancebank.labeling.api import init_project

    path = init_project(args.folder, target=args.target, name=args.name,
                        languages=args.language, regions=args.region)  # fmt: skip
    say(f"wrote {path} and {path.parent / 'GUIDELINES.md'}: edit the labels and [card], then "
        f"run commands in {path.parent} (or pass --project-dir {path.parent})")  # fmt: skip
    return 0


def ingest(args: argparse.Namespace) -> int:
    result = api.ingest(
        files=args.files, out=args.out, format=args.format, document_ids=args.document_id,
        progress=console.progress(),
    )  # fmt: skip
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
    for note in result.notes:
        say(f"note: {note}")
    return 0


def publish(args: argparse.Namespace) -> int:
    try:
        result = api.publish(
            dataset_dir=args.dataset_dir, repo_id=args.repo_id, private=args.private,
            dry_run=args.dry_run, deny_lists=args.deny_list, answers=args.answers,
            regions=args.region or None, allow_unlicensed=args.allow_unlicensed,
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
            print(f"{item.path}\t{item.size}\tsha256:{item.sha256}")
        return 0
    say(f"uploaded {len(result.files)} files to {result.repo_id} ({visibility}): {result.commit}")
    return 0
