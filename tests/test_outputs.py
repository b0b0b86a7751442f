"""Outputs never touch inputs: every command refuses an output path that is, holds or lies in
one of its inputs, or a non-empty folder it did not write; folder swaps survive a kill."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stancebank.cli import main
from tests.conftest import SEED


def run(argv, capsys):
    status = main([str(a) for a in argv])
    err = capsys.readouterr().err.strip()
    return status, err


def tree_digest(folder: Path) -> str:
    """A digest of every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture()
def workspace(tmp_path, tiny_dataset):
    """A user's work folder: answers, claims and an annotations folder with snapshots,
    adjudication, card and annotators files (copied from the tiny dataset's inputs)."""
    import shutil

    inputs = Path(tiny_dataset).parent
    work = tmp_path / "work"
    work.mkdir()
    assert main(["ingest", str(SEED), "--document-id", "interview-social-credit",
                 "--out", str(work / "answers.jsonl")]) == 0  # fmt: skip
    shutil.copy(inputs / "claims.jsonl", work / "claims.jsonl")
    shutil.copytree(inputs / "annotations", work / "annotations")
    (work / "annotations" / "adjudication.jsonl").write_text("")
    (work / "annotations" / "card.json").write_text("{}\n")
    (work / "annotations" / "annotators.json").write_text('{"a@b.c": "A1"}\n')
    return work


def _build_args(work: Path, out) -> list:
    return ["build", "--claims", work / "claims.jsonl", "--annotations", work / "annotations",
            "--answers", work / "answers.jsonl", "--out", out]  # fmt: skip


def _refused(status, err, before, after, *, expect):
    assert status == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert expect in err, err
    assert before == after, "an input changed"


@pytest.mark.parametrize(
    ("out", "expect"),
    [("annotations", "is also an input"), (".", "contains the input"),
     ("annotations/dataset", "lies inside the input"), ("claims.jsonl", "is also an input")],
)  # fmt: skip
def test_build_never_writes_over_its_inputs(workspace, capsys, out, expect):
    before = tree_digest(workspace)
    status, err = run(_build_args(workspace, workspace / out), capsys)
    _refused(status, err, before, tree_digest(workspace), expect=expect)
    assert not [p for p in workspace.rglob(".*") if "staging" in p.name or p.name.endswith(".old")]


def test_build_refuses_a_folder_it_did_not_write(workspace, tmp_path, capsys):
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.tex").write_text("my work")
    status, err = run(_build_args(workspace, mine), capsys)
    _refused(status, err, "x", "x", expect="not written by 'stancebank build'")
    assert (mine / "chapter1.tex").read_text() == "my work"


def test_build_replaces_its_own_output_and_an_empty_folder(workspace, tmp_path, capsys):
    out = tmp_path / "dataset"
    out.mkdir()  # empty: nothing to lose
    assert run(_build_args(workspace, out), capsys)[0] == 0
    assert json.loads((out / ".stancebank-output.json").read_text())["command"] == "build"
    assert run(_build_args(workspace, out), capsys)[0] == 0  # our own marker: replaced


def test_train_refuses_its_dataset_as_output(tiny_dataset, capsys):
    before = tree_digest(Path(tiny_dataset))
    status, err = run(["train", tiny_dataset, "--out", tiny_dataset], capsys)
    _refused(status, err, before, tree_digest(Path(tiny_dataset)), expect="is also an input")


def test_train_refuses_a_build_folder(tiny_dataset, tmp_path, capsys):
    status, err = run(["train", tiny_dataset, "--out", Path(tiny_dataset)], capsys)
    assert status == 2
    other = tmp_path / "ds"
    other.mkdir()
    (other / ".stancebank-output.json").write_text('{"command": "build"}')
    (other / "x").write_text("")
    status, err = run(["train", tiny_dataset, "--out", other], capsys)
    _refused(status, err, 0, 0, expect="not written by 'stancebank train'")


def test_ingest_segment_predict_refuse_their_input(workspace, fake_model, capsys):
    model, _ = fake_model
    cases = [
        (["ingest", workspace / "answers.jsonl", "--out", workspace / "answers.jsonl"], "answers"),
        (["segment", workspace / "answers.jsonl", "--out", workspace / "answers.jsonl"], "answers"),
        (["predict", model, workspace / "claims.jsonl", "--out", workspace / "claims.jsonl"], ""),
        (["predict", model, workspace / "claims.jsonl", "--out", model / "config.json"], ""),
        (["report", workspace, "--predictions", workspace / "claims.jsonl", "--out",
          workspace / "claims.jsonl"], ""),
    ]  # fmt: skip
    for argv, _ in cases:
        before = tree_digest(workspace), tree_digest(model)
        status, err = run(argv, capsys)
        _refused(status, err, before, (tree_digest(workspace), tree_digest(model)),
                 expect="input")  # fmt: skip


def test_outputs_that_cannot_be_written_get_one_line(workspace, tmp_path, capsys):
    folder_out = tmp_path / "a-folder"
    folder_out.mkdir()
    status, err = run(["segment", workspace / "answers.jsonl", "--out", folder_out], capsys)
    _refused(status, err, 0, 0, expect="is a folder")
    for argv in (
        ["segment", workspace / "answers.jsonl", "--out", "/proc/claims.jsonl"],
        _build_args(workspace, "/proc/stancebank-dataset"),
    ):  # a read-only file system refuses even root
        status, err = run(argv, capsys)
        _refused(status, err, 0, 0, expect="/proc")


def test_an_unwritable_folder_as_output_parent(workspace, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: folder permissions do not bind (see the /proc test)")
        status, err = run(["segment", workspace / "answers.jsonl", "--out", locked / "c.jsonl"],
                          capsys)  # fmt: skip
        _refused(status, err, 0, 0, expect="not writable")
        status, err = run(_build_args(workspace, locked / "ds"), capsys)
        _refused(status, err, 0, 0, expect="not writable")
    finally:
        locked.chmod(0o700)


# --- crash safety: kill the process at every step of the folder swap -----------------

_KILLER = """
import os, shutil, sys
from stancebank.dataset import outputs
from stancebank.cli import main

steps = {"n": 0}
stop_at = int(os.environ["STOP_AT"])

def deadly(real):
    def wrapper(*args, **kwargs):
        steps["n"] += 1
        if steps["n"] == stop_at:
            os._exit(137)  # as if killed: no cleanup, no finally blocks
        return real(*args, **kwargs)
    return wrapper

outputs._exchange = deadly(outputs._exchange)
outputs.shutil.rmtree = deadly(shutil.rmtree)
os.rename = deadly(os.rename)
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "fallback-renames"])
def test_a_kill_at_any_step_of_the_swap_leaves_a_complete_output(
    workspace, tmp_path, capsys, exchange
):
    from stancebank.dataset.outputs import clean_stale
    from stancebank.dataset.release import read_release

    out, reference = tmp_path / "dataset", tmp_path / "reference"
    assert run(_build_args(workspace, out), capsys)[0] == 0
    assert run([*_build_args(workspace, reference), "--seed", "7"], capsys)[0] == 0
    old, new = tree_digest(out), tree_digest(reference)
    assert old != new
    args = [str(a) for a in _build_args(workspace, out)] + ["--seed", "7"]
    script = (
        _KILLER
        if exchange
        else _KILLER.replace(
            "outputs._exchange = deadly(outputs._exchange)",
            "outputs._exchange = lambda a, b: False",
        )
    )
    for stop_at in range(1, 40):
        proc = subprocess.run([sys.executable, "-c", script, *args], env={**os.environ,
                              "STOP_AT": str(stop_at)}, capture_output=True, text=True)  # fmt: skip
        if not exchange:  # two renames cannot be one step; the next run puts the old back
            clean_stale(out)
        assert out.is_dir(), f"killed at step {stop_at}: {out} is missing"
        assert tree_digest(out) in {old, new}, f"killed at step {stop_at}: incomplete"
        read_release(out)
        if proc.returncode == 0:
            assert tree_digest(out) == new
            break
        assert proc.returncode == 137, proc.stderr
        # the next run removes what the killed one left and still refuses nothing
        assert run(_build_args(workspace, out), capsys)[0] == 0
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".dataset")]
        assert leftovers == [], leftovers
        assert tree_digest(out) == old
    else:
        pytest.fail("the build never got through the swap")


def test_a_killed_run_leaves_staging_that_the_next_run_removes(workspace, tmp_path, capsys):
    out = tmp_path / "dataset"
    script = (
        "import os, sys\n"
        "from stancebank.dataset.outputs import staged_directory\n"
        "with staged_directory(sys.argv[1], command='build') as s:\n"
        "    (s / 'weights.bin').write_bytes(b'0' * 1000)\n"
        "    os._exit(137)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True)
    assert proc.returncode == 137
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".dataset.staging-")]
    assert run(_build_args(workspace, out), capsys)[0] == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dataset")]
