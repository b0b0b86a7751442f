"""The status's memory between runs: what it keeps of a task (no rationale, no e-mail),
how changed tasks replace remembered ones, and the watermark it asks from."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from stancebank.labeling import status_cache
from stancebank.labeling.status_cache import Remembered, trim


def _task(task_id: int, updated_at: str, *annotations: dict) -> dict:
    return {"id": task_id, "project": 1, "updated_at": updated_at,
            "data": {"claim_id": f"c{task_id}", "answer_html": "<p>the whole answer</p>"},
            "annotations": list(annotations), "predictions": [{"id": 9}]}  # fmt: skip


def _annotation(annotation_id: int, stance: str, *, cancelled: bool = False) -> dict:
    return {"id": annotation_id, "was_cancelled": cancelled,
            "completed_by": {"id": 3, "email": "someone@example.org"},
            "result": [{"from_name": "stance", "value": {"choices": [stance]}},
                       {"from_name": "rationale", "value": {"text": ["Kari did"]}}]}  # fmt: skip


def test_trim_keeps_the_stance_and_drops_rationale_e_mail_and_data():
    kept = trim(_task(1, "2026-11-29T10:00:00.000000Z", _annotation(5, "harm")), "stance")
    text = json.dumps(kept)
    assert "Kari" not in text and "example.org" not in text and "whole answer" not in text
    assert kept["annotations"][0]["completed_by"] == 3
    assert kept["data"] == {"claim_id": "c1"}


def test_merge_counts_and_watermark():
    remembered = Remembered({}).merge(
        [_task(1, "2026-11-29T10:00:00.000000Z", _annotation(5, "harm")),
         _task(2, "2026-11-29T10:05:00.500000Z", _annotation(6, "harm"),
               _annotation(7, "benefit", cancelled=True))], "stance",
    )  # fmt: skip
    assert remembered.counts() == (2, 1)
    assert remembered.since() is None  # never read: everything
    read = remembered.at(datetime(2026, 11, 29, 12, 0, 3, tzinfo=timezone.utc))
    assert read.since() == "2026-11-29T11:59:58.000000Z"  # when it was read, less 5 s
    changed = read.merge([_task(2, "2026-11-29T11:00:00.000000Z")], "stance")
    assert set(changed.tasks) == {1} and changed.counts() == (1, 0)  # emptied task dropped
    assert changed.read_at == read.read_at


def test_save_is_private_and_a_bad_file_is_forgotten(tmp_path):
    path = tmp_path / "status" / "x.json"
    remembered = Remembered({}).merge([_task(1, "2026-11-29T10:00:00.000000Z",
                                             _annotation(5, "harm"))], "stance")  # fmt: skip
    status_cache.save(path, remembered.at(datetime(2026, 11, 29, tzinfo=timezone.utc)))
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = status_cache.load(path)
    assert loaded.tasks == remembered.tasks and loaded.read_at == "2026-11-29T00:00:00.000000Z"
    path.write_text("{not json")
    assert status_cache.load(path) is None
    path.write_text(json.dumps({"version": 0, "tasks": {}}))
    assert status_cache.load(path) is None
