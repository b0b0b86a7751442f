"""``publish``: the privacy gate on the exact bytes to upload, then the upload of those bytes.

Only ``README.md`` and ``data/*.parquet`` leave the machine; the build report and the
Arrow copy stay local. Each file is read once: the gate scans those bytes (every Parquet
row and column, ids included, and every line of the card), and the upload sends the same
bytes, after checking that the files on disk still have the hashes that were scanned. The
token is huggingface_hub's (``HF_TOKEN`` or ``hf auth login``) and is never printed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stancebank.dataset.errors import InputError
from stancebank.dataset.names import name_patterns
from stancebank.dataset.privacy import Finding, find_kinds, regions_for, scan_rows
from stancebank.dataset.release import CARD_FILE
from stancebank.dataset.textio import read_text


@dataclass(frozen=True)
class UploadFile:
    path: str
    """Path inside the dataset folder and the repository."""
    size: int
    sha256: str
    data: bytes = field(repr=False)


def read_upload(dataset_dir: Path) -> list[UploadFile]:
    """The card and Parquet files an upload sends, read once."""
    if not dataset_dir.is_dir():
        raise InputError(dataset_dir, "not a dataset folder (no such directory)")
    files = [dataset_dir / CARD_FILE, *sorted((dataset_dir / "data").glob("*.parquet"))]
    if not files[0].is_file() or len(files) == 1:
        raise InputError(
            dataset_dir, "not a stancebank dataset (README.md or data/*.parquet missing)"
        )
    upload = []
    for path in files:
        data = path.read_bytes()
        relative = path.relative_to(dataset_dir).as_posix()
        upload.append(UploadFile(relative, len(data), hashlib.sha256(data).hexdigest(), data))
    return upload


def _parquet_rows(item: UploadFile, dataset_dir: Path) -> list[dict]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_table(pa.BufferReader(item.data)).to_pylist()
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(
            dataset_dir / item.path, f"not a readable Parquet file ({error})"
        ) from None


def privacy_findings(
    dataset_dir: Path,
    upload: list[UploadFile],
    names: Iterable[str],
    *,
    regions: Iterable[str] = (),
) -> list[Finding]:
    """Findings in the bytes of every file to upload. The card's lines that stancebank's
    own template wrote for this release (:func:`stancebank.dataset.card.template_lines`) are
    not data and are not scanned; every other line is."""
    from stancebank.dataset.card import template_lines

    patterns = name_patterns(set(names))
    tables = {
        item.path: _parquet_rows(item, dataset_dir) for item in upload if item.path != CARD_FILE
    }
    languages = {r.get("language") for rows in tables.values() for r in rows}
    regions = regions_for((lang for lang in languages if isinstance(lang, str)), regions)
    findings: list[Finding] = []
    for rows in tables.values():
        findings.extend(scan_rows(rows, names=patterns, regions=regions))
    card = next(item for item in upload if item.path == CARD_FILE).data.decode("utf-8", "replace")
    ours = template_lines(dataset_dir)
    findings.extend(
        Finding(CARD_FILE, f"line {n}", kind)
        for n, line in enumerate(card.splitlines(), start=1)
        if line not in ours
        for kind in find_kinds(line, patterns, regions)
    )
    return findings


def read_names(paths: Iterable[str | Path]) -> set[str]:
    """Names from deny-list files: one per line, ``#`` starts a comment line."""
    names: set[str] = set()
    for path in paths:
        text = read_text(path)  # refuses folders, binary files; reads UTF-16 with a BOM
        names.update(
            line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        )  # fmt: skip
    return names


def check_unchanged(dataset_dir: Path, upload: list[UploadFile]) -> None:
    """Refuse to upload when a file on disk no longer has the hash that was scanned
    (it was rewritten while the gate ran), so nobody can believe an unscanned file passed."""
    for item in upload:
        path = dataset_dir / item.path
        try:
            current = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            current = None
        if current != item.sha256:
            raise InputError(path, "changed after the privacy gate scanned it; run publish again")


def upload_files(
    dataset_dir: Path, upload: list[UploadFile], repo_id: str, *, private: bool
) -> str:
    """Send exactly the scanned bytes in one commit."""
    check_unchanged(dataset_dir, upload)
    from huggingface_hub import CommitOperationAdd, HfApi, get_token

    if not get_token():
        raise InputError(repo_id, "no Hugging Face token: set HF_TOKEN or run 'hf auth login'")
    api = HfApi()
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    operations = [CommitOperationAdd(path_in_repo=i.path, path_or_fileobj=i.data) for i in upload]
    commit = api.create_commit(
        repo_id=repo_id, repo_type="dataset", operations=operations,
        commit_message="Publish with stancebank",
    )  # fmt: skip
    return str(commit)
