"""A dataset folder: the one writer (save_to_disk, Parquet per split in the Hub layout, card,
build report) and reader.

Everything is written into a temporary sibling directory that replaces DATASET_DIR only
once complete, so a failed build leaves the earlier release as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

from datasets import DatasetDict

from stancebank.dataset.errors import InputError
from stancebank.dataset.outputs import staged_directory
from stancebank.dataset.splits import SPLITS

REPORT_FILE = "build_report.json"
CARD_FILE = "README.md"
_NOT_A_DATASET = "not a dataset written by 'stancebank build'"


def parquet_name(split: str) -> str:
    return f"data/{split}-00000-of-00001.parquet"


def write_release(out_dir: str | Path, splits: DatasetDict, card: str, report: dict) -> Path:
    with staged_directory(out_dir, command="build") as staging:
        splits.save_to_disk(str(staging))
        (staging / "data").mkdir()
        for name in SPLITS:
            if name in splits:
                splits[name].to_parquet(str(staging / parquet_name(name)))
        (staging / CARD_FILE).write_text(card, encoding="utf-8")
        (staging / REPORT_FILE).write_text(
            json.dumps(report, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    return Path(out_dir).resolve()


def read_release(dataset_dir: str | Path) -> DatasetDict:
    """The DatasetDict of a folder written by :func:`write_release`."""
    from datasets import load_from_disk

    if not Path(dataset_dir).is_dir():
        raise InputError(dataset_dir, f"{_NOT_A_DATASET} (no such directory)")
    try:
        return load_from_disk(str(dataset_dir))
    except FileNotFoundError:
        raise InputError(dataset_dir, _NOT_A_DATASET) from None


def read_build_report(dataset_dir: str | Path) -> dict:
    """The build report (``build_report.json``) of a dataset folder."""
    path = Path(dataset_dir) / REPORT_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(dataset_dir, f"{_NOT_A_DATASET} (no {REPORT_FILE})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(path, f"not valid JSON ({error})") from None


PUBLISHED_FILE = "published.json"
"""Where ``publish`` records the Hub repository it uploaded the release to (local only)."""


def record_published(dataset_dir: str | Path, repo_id: str, commit: str | None) -> None:
    from stancebank.dataset.jsonl import atomic_write_text

    atomic_write_text(Path(dataset_dir) / PUBLISHED_FILE,
                      json.dumps({"repo_id": repo_id, "commit": commit}) + "\n")  # fmt: skip


def read_published(dataset_dir: str | Path) -> str | None:
    """The Hub id the release was published under, or None."""
    path = Path(dataset_dir) / PUBLISHED_FILE
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["repo_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def release_license(dataset_dir: str | Path) -> str | None:
    """The licence the card's YAML states (an SPDX id, or the name of terms of their own),
    or None when it states none ("unknown", or "other" without a name)."""
    data = _card_data(dataset_dir)
    license = str(data.get("license") or "")
    if license == "other":
        return str(data.get("license_name") or "") or None
    return license if license and license != "unknown" else None


def _card_data(dataset_dir: str | Path) -> dict:
    from huggingface_hub import DatasetCard

    try:
        return DatasetCard.load(Path(dataset_dir) / CARD_FILE).data.to_dict()
    except Exception:  # no card, or one that does not parse: it states nothing
        return {}


def release_title(dataset_dir: str | Path) -> str:
    """The card's pretty name (its YAML), else the folder's name."""
    name = _card_data(dataset_dir).get("pretty_name")
    return str(name) if name else Path(dataset_dir).resolve().name
