"""The installed ``stancebank`` command: ingest → segment on the seed, and --help."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-m", "stancebank.cli"]
ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args], cwd=cwd, capture_output=True, text=True, check=False, env=None
    )


def test_ingest_then_segment_the_seed(tmp_path, seed_path):
    answers, claims = tmp_path / "answers.jsonl", tmp_path / "claims.jsonl"
    result = _run("ingest", str(seed_path), "--out", str(answers), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "16 answers" in result.stderr
    result = _run("segment", str(answers), "--out", str(claims), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in claims.read_text(encoding="utf-8").splitlines()]
    assert 50 <= len(records) <= 110
    texts = {
        json.loads(line)["answer_id"]: json.loads(line)["text"]
        for line in answers.read_text(encoding="utf-8").splitlines()
    }
    for record in records:
        assert texts[record["answer_id"]][record["start"] : record["end"]] == record["text"]
    assert {r["unit"] for r in records} == {"claim", "non_argument"}


def test_a_second_run_gives_identical_bytes(tmp_path, seed_path):
    outputs = []
    for run in ("a", "b"):
        answers, claims = tmp_path / f"{run}-answers.jsonl", tmp_path / f"{run}-claims.jsonl"
        assert _run("ingest", str(seed_path), "--out", str(answers), cwd=ROOT).returncode == 0
        assert _run("segment", str(answers), "--out", str(claims), cwd=ROOT).returncode == 0
        outputs.append((answers.read_bytes().replace(b"a-answers", b""), claims.read_bytes()))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("command", ["ingest", "segment"])
def test_help_shows_an_example(command):
    result = _run(command, "--help", cwd=ROOT)
    assert result.returncode == 0
    assert "example" in result.stdout and f"stancebank {command}" in result.stdout


def test_console_script_is_installed():
    assert shutil.which("stancebank") or (Path(sys.executable).parent / "stancebank").exists()
