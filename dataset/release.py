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
