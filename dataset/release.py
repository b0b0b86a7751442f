"""Writing a built dataset: save_to_disk, Parquet per split (Hub layout), card, report.

Everything is written into a temporary sibling directory that replaces DATASET_DIR only
once complete, so a failed build leaves the earlier release as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

from datasets import DatasetDict

from dataset.jsonl import staged_directory
from dataset.splits import SPLITS

REPORT_FILE = "build_report.json"


def parquet_name(split: str) -> str:
    return f"data/{split}-00000-of-00001.parquet"


def write_release(out_dir: str | Path, splits: DatasetDict, card: str, report: dict) -> Path:
    with staged_directory(out_dir) as staging:
        splits.save_to_disk(str(staging))
        (staging / "data").mkdir()
        for name in SPLITS:
            if name in splits:
                splits[name].to_parquet(str(staging / parquet_name(name)))
        (staging / "README.md").write_text(card, encoding="utf-8")
        (staging / REPORT_FILE).write_text(
            json.dumps(report, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    return Path(out_dir).resolve()
