"""``stancebank report``: the page's data, and the page rendered in real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from stancebank.cli import main
from stancebank.models.overview import overview_data

STANCES = ["benefit", "harm", "mixed", "neutral"]


def _row(i, q, respondent, stance, split="test"):
    return {"claim_id": f"c{i}", "question_id": f"d-q{q}", "question_index": q,
            "question": f"Question {q}?", "respondent": respondent, "text": f"Claim {i}.",
            "context": f"Before. Claim {i}. After.", "stance": stance, "split": split}  # fmt: skip


def test_overview_data_from_rows():
    rows = [_row(1, 1, "R1", "harm"), _row(2, 1, "R2", "benefit"), _row(3, 2, "R1", "harm"),
            _row(4, 2, "R1", "neutral", split="train")]  # fmt: skip
    predictions = {
        "c1": {"label": "harm", "scores": {"harm": 0.9, "benefit": 0.1}},
        "c2": {"label": "harm", "scores": {"harm": 0.6, "benefit": 0.4}},
        "c3": {"label": "harm", "scores": {"harm": 0.7, "benefit": 0.3}},
        "c4": {"label": "benefit", "scores": {"benefit": 0.8, "harm": 0.2}},
    }
    report = {"label_counts": {"test": {}}, "agreement": {}}
    data = overview_data(rows, predictions, report, STANCES, split="test")
    assert [r["index"] for r in data["argument_map"]] == [1, 2]
    assert [len(cell) for cell in data["argument_map"][0]["cells"]] == [1, 1]
    assert [r["claim_id"] for r in data["confident"]["harm"]] == ["c1", "c3", "c2"]
    assert [r["claim_id"] for r in data["confident"]["benefit"]] == ["c4"]
    assert {r["claim_id"] for r in data["disagreements"]} == {"c2", "c4"}
    assert data["confusion"]["n"] == 3  # test split only
    assert data["confusion"]["labels"] == ["benefit", "harm"]
    assert data["confusion"]["matrix"] == [[0, 1], [0, 2]]
    assert data["confident"]["harm"][0]["highlight"]["claim"] == "Claim 1."


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_report_renders_in_headless_chromium(tiny_dataset, tmp_path, seed_answers):
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed; apt-get install chromium")
    from stancebank.dataset.segment import segment_answers

    claims = list(segment_answers(seed_answers))
    preds = tmp_path / "preds.jsonl"

    # A stand-in model: every claim predicted "harm" except those containing "safe".
    def prediction(claim):
        safe = "safe" in claim["text"]
        scores = {"benefit": 0.9, "harm": 0.1} if safe else {"harm": 0.8, "benefit": 0.2}
        return {"claim_id": claim["claim_id"], "label": max(scores, key=scores.get),
                "scores": scores}  # fmt: skip

    preds.write_text("".join(json.dumps(prediction(c)) + "\n" for c in claims))
    page = tmp_path / "report.html"
    assert main(["report", str(tiny_dataset), "--predictions", str(preds), "--out", str(page)]) == 0
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom",
             page.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
    body = re.search(r"<body[^>]*>", dom).group()
    loaded = re.search(r'data-charts-loaded="(\d+)"', body)
    total = re.search(r'data-charts-total="(\d+)"', body)
    assert loaded and total and loaded.group(1) == total.group(1) == "3", body
    for table in ("argument-map", "distribution", "agreement", "annotators", "confident",
                  "disagreements"):  # fmt: skip
        assert f'<table class="{table}"' in dom, table
    assert dom.count('class="chip"') >= len([c for c in claims if c["unit"] == "claim"])
    assert "Most confident benefit claims" in dom and "Most confident harm claims" in dom
    assert "<mark>" in dom
