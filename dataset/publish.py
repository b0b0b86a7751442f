"""``publish``: the privacy gate, then an upload of the card and Parquet files to the Hub.

Only ``README.md`` and ``data/*.parquet`` leave the machine; the build report and the
Arrow copy stay local. The token is huggingface_hub's (``HF_TOKEN`` or ``hf auth login``)
and is never printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stancebank.dataset.errors import InputError
from stancebank.dataset.privacy import Finding, find_kinds, name_patterns, scan_rows
from stancebank.dataset.release import CARD_FILE, read_release
from stancebank.dataset.splits import SPLITS


@dataclass(frozen=True)
class UploadFile:
    path: str
    size: int


def files_to_upload(dataset_dir: Path) -> list[UploadFile]:
    files = [dataset_dir / CARD_FILE, *sorted((dataset_dir / "data").glob("*.parquet"))]
    if not files[0].exists() or len(files) == 1:
        raise InputError(
            dataset_dir, "not a stancebank dataset (README.md or data/*.parquet missing)"
        )
    return [UploadFile(str(f.relative_to(dataset_dir)), f.stat().st_size) for f in files]


def privacy_findings(dataset_dir: Path, names: Iterable[str]) -> list[Finding]:
    splits = read_release(dataset_dir)
    names = sorted(set(names))
    findings: list[Finding] = []
    for split in SPLITS:
        if split in splits:
            findings.extend(scan_rows(splits[split], names=names))
    card = (dataset_dir / CARD_FILE).read_text(encoding="utf-8")
    patterns = name_patterns(names)
    findings.extend(
        Finding("README.md", f"line {n}", kind)
        for n, line in enumerate(card.splitlines(), start=1)
        for kind in find_kinds(line, patterns)
    )
    return findings


def read_names(paths: Iterable[str | Path]) -> set[str]:
    names: set[str] = set()
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError(path, "no such deny-list file")
        names.update(
            line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        )  # fmt: skip
    return names


def upload(dataset_dir: Path, repo_id: str, *, private: bool) -> str:
    from huggingface_hub import HfApi, get_token

    if not get_token():
        raise InputError(repo_id, "no Hugging Face token: set HF_TOKEN or run 'hf auth login'")
    api = HfApi()
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    commit = api.upload_folder(
        repo_id=repo_id, repo_type="dataset", folder_path=dataset_dir,
        allow_patterns=[item.path for item in files_to_upload(dataset_dir)],
        commit_message="Publish with stancebank",
    )  # fmt: skip
    return str(commit)
