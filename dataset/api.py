"""The dataset stage's Python API: ``ingest``, ``segment``, ``build_release``, ``publish``.

Each function takes keyword arguments only, reads and writes the files a command would
(atomically), and returns a result object; the command line is a thin layer over them.
Bad input raises :class:`~stancebank.dataset.errors.InputError` naming the file (and line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from stancebank.dataset.errors import InputError
from stancebank.dataset.options import BuildOptions
from stancebank.dataset.outputs import check_output_dir, check_output_file
from stancebank.dataset.progress import progress_bar

if TYPE_CHECKING:  # the build module imports `datasets`; ingest and segment need not
    from stancebank.dataset.build import BuildReport

PathLike = str | Path


@dataclass(frozen=True)
class IngestResult:
    out: Path
    """The answers JSONL written."""
    answers: int
    documents: int
    provenance: Path
    """The local file that maps document ids to the files they came from (never published)."""


def provenance_path(answers_out: PathLike) -> Path:
    """Where ingest keeps which file each document came from: beside the answers file."""
    out = Path(answers_out)
    return out.with_name(f"{out.stem}.provenance.json")


def ingest(
    *,
    files: Sequence[PathLike],
    out: PathLike,
    format: str = "auto",
    document_ids: Sequence[str] = (),
    progress: bool = True,
) -> IngestResult:
    """Read interview files into one answers JSONL (one record per respondent per question).

    Args:
        files: interview files; each becomes its own document.
        out: the answers JSONL to write; ``NAME.provenance.json`` beside it records each
            document's file name and hash, for local use only.
        format: the layout of the files, or ``auto`` to detect each file's.
        document_ids: one id per file, in order (default: ``doc-`` + a hash of the file,
            so a file named after a person does not name the document).
        progress: show a progress bar on a terminal.
    """
    import hashlib
    import json

    from stancebank.dataset.answers_io import write_answers
    from stancebank.dataset.interview import document_ids as assign_ids
    from stancebank.dataset.interview import ingest_files
    from stancebank.dataset.jsonl import atomic_write_text

    files = list(files)
    check_output_file(out, inputs=files)
    check_output_file(provenance_path(out), inputs=files)
    ids = assign_ids(files, document_ids)
    answers = []
    pairs = list(zip(files, ids, strict=True))
    for path, document_id in progress_bar(pairs, desc="ingest", unit="file", enabled=progress):
        answers.extend(ingest_files([path], fmt=format, ids=[document_id]))
    documents = [
        {
            "document_id": i,
            "file": str(p),
            "sha256": hashlib.sha256(Path(p).read_bytes()).hexdigest(),
        }
        for p, i in pairs
    ]
    note = "Local only: which file each document came from. Never publish this file."
    provenance = {"note": note, "documents": documents}
    write_answers(out, answers)
    atomic_write_text(
        provenance_path(out), json.dumps(provenance, indent=1, ensure_ascii=False) + "\n"
    )
    return IngestResult(
        Path(out), len(answers), len({a["document_id"] for a in answers}), provenance_path(out)
    )


@dataclass(frozen=True)
class SegmentResult:
    out: Path
    """The claims JSONL written."""
    answers: int
    claims: int
    """Units that carry an argument."""
    non_arguments: int


def segment(*, answers: PathLike, out: PathLike, progress: bool = True) -> SegmentResult:
    """Split every answer of an answers JSONL into argumentative units (claims JSONL)."""
    from stancebank.dataset.answers_io import read_answers
    from stancebank.dataset.claims_io import write_claims
    from stancebank.dataset.segment import segment_answer

    check_output_file(out, inputs=[answers])
    records = read_answers(answers)
    claims = [
        claim
        for answer in progress_bar(records, desc="segment", unit="answer", enabled=progress)
        for claim in segment_answer(answer)
    ]
    write_claims(out, claims)
    kinds = Counter(claim["unit"] for claim in claims)
    return SegmentResult(Path(out), len(records), kinds["claim"], kinds["non_argument"])


@dataclass(frozen=True)
class BuildResult:
    out: Path
    """The dataset folder written."""
    report: BuildReport
    notes: list[str] = field(default_factory=list)
    """What a person should hear about the release: splits too small to judge a model on,
    no licence stated, a deprecated card.json."""


def build_release(
    *,
    claims: PathLike,
    annotations: PathLike,
    out: PathLike,
    answers: PathLike | None = None,
    options: BuildOptions | None = None,
) -> BuildResult:
    """Merge annotation snapshots into the stance DatasetDict and write the release folder.

    Args:
        claims: the claims JSONL the annotations refer to.
        annotations: folder of ``snapshot-*.jsonl``, with optional ``adjudication.jsonl``
            (and a ``card.json`` from before project files, still read).
        out: the dataset folder to write (replaced only when the whole build succeeds).
        answers: the answers JSONL, for the exact answer text as ``context``.
        options: grouping and seed of the splits.
    """
    import datasets

    from stancebank.dataset.annotations_io import read_adjudication, read_snapshots
    from stancebank.dataset.answers_io import read_answers
    from stancebank.dataset.build import dataset_from
    from stancebank.dataset.card import CardInfo, render_card, small_splits
    from stancebank.dataset.claims_io import answer_texts, read_claims
    from stancebank.dataset.project import active
    from stancebank.dataset.release import write_release
    from stancebank.dataset.schema import label_names

    check_output_dir(out, command="build", inputs=[claims, annotations, answers])
    datasets.disable_progress_bars()  # a build of a few seconds needs no bars per split
    labels = label_names()
    known = {a["answer_id"]: a["text"] for a in read_answers(answers)} if answers else {}
    claim_records = read_claims(claims, answers=known)
    annotation_records = read_snapshots(annotations, stances=labels.stances, aspects=labels.aspects)
    adjudications = read_adjudication(annotations, stances=labels.stances)
    contexts = {**answer_texts(claim_records), **known}
    splits, report = dataset_from(
        claim_records, annotation_records, labels, contexts=contexts,
        adjudications=adjudications, options=options or BuildOptions(),
        annotations_source=str(annotations),
    )  # fmt: skip
    if not sum(report.rows.values()):
        raise InputError(annotations, "no claim has a stance yet; nothing to build")
    project = active()
    info, notes = CardInfo.from_project(project.card, Path(annotations))
    card = render_card(splits, report, labels, info, project.target)
    written = write_release(out, splits, card, report.to_dict())
    notes += [f"{small}: too few to judge a model on" for small in small_splits(report)]
    if not info.licensed:
        notes.append("no licence stated: set [card] license in stancebank.toml (publish "
                     "refuses a release without one)")  # fmt: skip
    return BuildResult(written, report, notes)


class PrivacyGateError(InputError):
    """The privacy gate found personal data; nothing was uploaded."""

    def __init__(self, dataset_dir: PathLike, findings: list) -> None:
        super().__init__(dataset_dir, f"privacy gate: {len(findings)} finding(s); nothing uploaded")
        self.findings = findings
        """``Finding(row_id, field, kind)`` each; never the matched text."""


@dataclass(frozen=True)
class PublishResult:
    repo_id: str
    private: bool
    files: list = field(default_factory=list)
    """``UploadFile(path, size, sha256, data)`` of every file uploaded (or, on a dry run,
    to upload): the bytes the gate scanned."""
    uploaded: bool = False
    commit: str | None = None


def publish(
    *,
    dataset_dir: PathLike,
    repo_id: str,
    private: bool = False,
    dry_run: bool = False,
    deny_lists: Sequence[PathLike] = (),
    answers: PathLike | None = None,
    regions: Sequence[str] | None = None,
    allow_unlicensed: bool = False,
) -> PublishResult:
    """Run the privacy gate over a dataset folder, then upload its card and Parquet files.

    Args:
        deny_lists: files of names (one per line) that must not appear in the data.
        answers: the answers JSONL; names found in the documents' prefaces are denied too.
        regions: phone regions the release declares (``NO``, ``CN`` …), looked for beside
            those of the data's languages (default: the project's ``regions``); with none
            declared, the default set (US, GB, NO, CN) is looked for too.
        dry_run: check and list the files, upload nothing.
        allow_unlicensed: upload a release whose card states no licence.

    Raises:
        InputError: the card states no licence (and ``allow_unlicensed`` is not set).
        PrivacyGateError: the gate found something (its ``findings`` say where and what kind).
    """
    from stancebank.dataset.answers_io import read_answers
    from stancebank.dataset.privacy import check_region, names_in
    from stancebank.dataset.project import active
    from stancebank.dataset.publish import privacy_findings, read_names, read_upload, upload_files
    from stancebank.dataset.release import CARD_FILE, record_published, release_license

    if regions is None:
        regions = active().regions
    try:
        regions = [check_region(r) for r in regions]
    except ValueError as error:
        raise InputError("--region", str(error)) from None
    folder = Path(dataset_dir)
    names = read_names(deny_lists)
    if answers:
        names |= names_in(a.get("context", "") for a in read_answers(answers))
    files = read_upload(folder)
    findings = privacy_findings(folder, files, names, regions=regions)
    if findings:
        raise PrivacyGateError(folder, findings)
    if not allow_unlicensed and release_license(folder) is None:
        raise InputError(folder / CARD_FILE, "the card states no licence: set [card] license in "
                         "stancebank.toml and build again, or pass --allow-unlicensed")  # fmt: skip
    if dry_run:
        return PublishResult(repo_id, private, files)
    commit = upload_files(folder, files, repo_id, private=private)
    record_published(folder, repo_id, commit)
    return PublishResult(repo_id, private, files, uploaded=True, commit=commit)


def use_project(folder: PathLike | None) -> None:
    """Read ``FOLDER/stancebank.toml`` and make it the project every later call works in
    (its target, labels, card facts, server and model); None goes back to the defaults.

    Raises:
        InputError: no project file there, or one that does not parse or check.
    """
    from stancebank.dataset.project import activate, load

    activate(load(folder) if folder is not None else None)


__all__ = [
    "BuildResult",
    "IngestResult",
    "PrivacyGateError",
    "PublishResult",
    "SegmentResult",
    "build_release",
    "ingest",
    "publish",
    "segment",
    "use_project",
]
