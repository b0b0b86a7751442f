"""One small function per subcommand: read inputs, call the packages, write outputs."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from dataset.answers_io import read_answers
from dataset.errors import InputError
from dataset.interview import ingest_files
from dataset.jsonl import write_jsonl
from dataset.segment import segment_answer
from scripts.console import say


def ingest(args: argparse.Namespace) -> int:
    answers = ingest_files(
        tqdm(args.files, desc="ingest", unit="file", disable=None), fmt=args.format
    )
    write_jsonl(args.out, answers)
    documents = len({a["document_id"] for a in answers})
    say(f"wrote {len(answers)} answers from {documents} document(s) to {args.out}")
    return 0


def segment(args: argparse.Namespace) -> int:
    answers = read_answers(args.answers)
    claims = [
        claim
        for answer in tqdm(answers, desc="segment", unit="answer", disable=None)
        for claim in segment_answer(answer)
    ]
    write_jsonl(args.out, claims)
    kinds = Counter(claim["unit"] for claim in claims)
    say(
        f"wrote {len(claims)} units ({kinds['claim']} claims, {kinds['non_argument']} "
        f"non-argument) from {len(answers)} answers to {args.out}"
    )
    return 0


def build(args: argparse.Namespace) -> int:
    import datasets

    from dataset.annotations_io import read_adjudication, read_snapshots
    from dataset.build import BuildOptions, dataset_from
    from dataset.card import CardInfo, render_card
    from dataset.claims_io import answer_texts, read_claims
    from dataset.labels import label_names
    from dataset.release import write_release

    datasets.disable_progress_bars()  # our own summary says what was written
    labels = label_names()
    claims = read_claims(args.claims)
    annotations = read_snapshots(args.annotations, stances=labels.stances, aspects=labels.aspects)
    adjudications = read_adjudication(args.annotations, stances=labels.stances)
    contexts = answer_texts(claims)
    if args.answers:
        contexts.update({a["answer_id"]: a["text"] for a in read_answers(args.answers)})
    options = BuildOptions(group_by=args.group_by, seed=args.seed)
    splits, report = dataset_from(
        claims, annotations, labels, contexts=contexts, adjudications=adjudications,
        options=options, annotations_source=args.annotations,
    )  # fmt: skip
    if not sum(report.rows.values()):
        raise InputError(args.annotations, "no claim has a stance yet; nothing to build")
    card = render_card(splits, report, labels, CardInfo.load(Path(args.annotations) / "card.json"))
    out = write_release(args.out, splits, card, report.to_dict())
    _print_build_summary(out, report, labels.stances)
    return 0


def _print_build_summary(out, report, stances) -> None:
    rows = " ".join(f"{name} {n}" for name, n in report.rows.items())
    say(f"wrote {out}: {rows}")
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


def publish(args: argparse.Namespace) -> int:
    import datasets

    from dataset.privacy import names_in
    from dataset.publish import files_to_upload, privacy_findings, read_names, upload

    datasets.disable_progress_bars()
    dataset_dir = Path(args.dataset_dir)
    files = files_to_upload(dataset_dir)
    names = read_names(args.deny_list)
    if args.answers:
        names |= names_in(a.get("context", "") for a in read_answers(args.answers))
    findings = privacy_findings(dataset_dir, names)
    if findings:
        for f in findings:
            print(f"{f.row_id}\t{f.field}\t{f.kind}")
        raise InputError(
            dataset_dir, f"privacy gate: {len(findings)} finding(s) listed above; nothing uploaded"
        )
    visibility = "private" if args.private else "public"
    if args.dry_run:
        say(f"dry run: privacy gate passed; would upload to {args.repo_id} ({visibility}):")
        for item in files:
            print(f"{item.path}\t{item.size}")
        return 0
    commit = upload(dataset_dir, args.repo_id, private=args.private)
    say(f"uploaded {len(files)} files to {args.repo_id} ({visibility}): {commit}")
    return 0
