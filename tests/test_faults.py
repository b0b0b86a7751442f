"""Every fault a careful user can cause gets one line, no traceback, and exit 2 (bad input)
or 1 (a server or network): folders where files belong, unreadable lists, broken state
files, impossible ports, model names that are nothing, processes that are not ours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from stancebank.cli import main


def run(argv, capsys):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.err.strip()


def _write_one_claim(path) -> None:
    path.write_text(json.dumps({
        "claim_id": "c", "answer_id": "a", "question_id": "q", "document_id": "d",
        "respondent": "R1", "question": "Q?", "text": "Cameras help.", "start": 0, "end": 13,
    }) + "\n")  # fmt: skip


def one_line(err: str) -> bool:
    return len(err.splitlines()) == 1 and "Traceback" not in err


def test_label_pull_into_a_file_or_from_a_folder(tmp_path, capsys):
    a_file = tmp_path / "annotations.jsonl"
    a_file.write_text("")
    export = tmp_path / "export.json"
    export.write_text("[]")
    status, err = run(["label", "pull", "--from-export", export, "--out", a_file], capsys)
    assert status == 2 and one_line(err) and "is a file" in err, err
    folder = tmp_path / "exports"
    folder.mkdir()
    status, err = run(["label", "pull", "--from-export", folder, "--out", tmp_path / "a"], capsys)
    assert status == 2 and one_line(err) and "is a directory" in err, err


@pytest.mark.parametrize(
    "content", ['{"a@b.c": 1}', "not json", '["A1"]', '{"a@b.c": "A1", "d@e.f": "A1"}']
)
def test_a_malformed_annotators_file_is_named(tmp_path, capsys, content):
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    (annotations / "annotators.json").write_text(content)
    export = tmp_path / "export.json"
    export.write_text("[]")
    status, err = run(["label", "pull", "--from-export", export, "--out", annotations], capsys)
    assert status == 2 and one_line(err) and "annotators.json" in err, err


def test_non_numeric_scores_in_predictions(tiny_dataset, tmp_path, capsys):
    from datasets import load_from_disk

    test = load_from_disk(str(tiny_dataset))["test"]
    predictions = tmp_path / "preds.jsonl"
    rows = [{"claim_id": r["claim_id"], "label": "harm", "scores": {"harm": "high"}} for r in test]
    predictions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    for argv in (
        ["evaluate", predictions, "--data", tiny_dataset],
        ["report", tiny_dataset, "--predictions", predictions, "--out", tmp_path / "r.html"],
        ["compare", predictions, "--data", tiny_dataset],
    ):
        status, err = run(argv, capsys)
        assert status == 2 and one_line(err) and f"{predictions}:1:" in err, (argv, err)


@pytest.mark.parametrize("port", ["99999", "0", "-5"])
def test_server_start_on_an_impossible_port(tmp_path, capsys, port):
    status, err = run(["server", "start", "--port", port, "--data-dir", tmp_path / "ls"], capsys)
    assert status == 2 and one_line(err) and "1 to 65535" in err, err


def test_a_folder_that_is_not_a_model(tiny_dataset, tmp_path, capsys):
    claims = tmp_path / "claims.jsonl"
    _write_one_claim(claims)
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "notes.txt").write_text("")
    argvs = [
        ["predict", folder, claims, "--out", tmp_path / "p.jsonl"],
        ["evaluate", folder, "--data", tiny_dataset],
        ["train", tiny_dataset, "--out", tmp_path / "m", "--base-model", folder],
    ]
    for argv in argvs:
        status, err = run(argv, capsys)
        assert status == 2 and one_line(err) and "not a model folder" in err, (argv, err)


def test_a_model_name_that_is_nothing_fails_at_once_offline(tiny_dataset, capsys):
    """HF_HUB_OFFLINE=1 (set for every test): no lookup at all."""
    start = time.monotonic()
    status, err = run(["evaluate", "no-such-model-xyz", "--data", tiny_dataset], capsys)
    assert status == 2 and one_line(err) and "HF_HUB_OFFLINE" in err, err
    assert time.monotonic() - start < 30  # not a benchmark: five retries would take minutes


def test_a_model_name_that_is_nothing_is_looked_up_once_online(tiny_dataset, monkeypatch, capsys):
    """Online (here: no route to the Hub) the one lookup fails with one line, exit 1 — or,
    where the Hub answers, exit 2 saying there is no such model."""
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE")
    status, err = run(
        ["evaluate", "no-such-user-xyz/no-such-model", "--data", tiny_dataset], capsys
    )
    assert status in (1, 2) and one_line(err), err
    assert "no-such-user-xyz/no-such-model" in err


# --- server control acts only on our own server --------------------------------------


@pytest.fixture
def stranger():
    """An unrelated process of the same user (what a reused PID would be)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    yield process
    process.kill()
    process.wait()


def test_server_stop_and_status_leave_a_stranger_alone(tmp_path, capsys, stranger):
    from stancebank.labeling import server

    data_dir = tmp_path / "ls"
    data_dir.mkdir()
    (data_dir / server.STATE_FILE).write_text(
        json.dumps({"pid": stranger.pid, "port": 8080, "url": "http://127.0.0.1:8080"})
    )
    for action in ("stop", "status"):
        status, err = run(["server", action, "--data-dir", data_dir], capsys)
        assert status == 1 and one_line(err) and f"PID {stranger.pid}" in err, err
        assert "not the Label Studio" in err
    assert stranger.poll() is None, "the unrelated process was signalled"
    os.kill(stranger.pid, 0)


def test_a_stale_state_file_of_a_dead_process_is_cleared(tmp_path, capsys):
    from stancebank.labeling import server

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    data_dir = tmp_path / "ls"
    data_dir.mkdir()
    (data_dir / server.STATE_FILE).write_text(json.dumps({"pid": dead.pid, "url": "http://x"}))
    status, err = run(["server", "stop", "--data-dir", data_dir], capsys)
    assert status == 0 and "no server was running" in err
    assert not (data_dir / server.STATE_FILE).exists()


def test_a_broken_state_file_is_named(tmp_path, capsys):
    data_dir = tmp_path / "ls"
    data_dir.mkdir()
    (data_dir / "server.json").write_text("{")
    status, err = run(["server", "status", "--data-dir", data_dir], capsys)
    assert status == 2 and one_line(err) and "server.json" in err, err


@pytest.mark.parametrize("title", ["ab", "x" * 51])
def test_a_project_title_label_studio_would_refuse(tmp_path, capsys, title):
    claims = tmp_path / "claims.jsonl"
    _write_one_claim(claims)
    argv = ["label", "push", claims, "--project", title, "--url", "http://127.0.0.1:9"]
    status, err = run(argv, capsys)
    assert status == 2 and one_line(err) and "3 to 50 characters" in err, err


def test_a_database_that_is_not_postgresql_or_a_switch_of_database(tmp_path, capsys):
    argv = ["server", "start", "--data-dir", tmp_path / "ls", "--port", "18999"]
    status, err = run([*argv, "--database", "mysql://u:p@127.0.0.1/x"], capsys)
    assert status == 2 and one_line(err) and "postgresql://" in err, err
    (tmp_path / "ls" / "label_studio.sqlite3").write_bytes(b"")
    status, err = run([*argv, "--database", "postgresql://u:secret@127.0.0.1:5/x"], capsys)
    assert status == 2 and one_line(err) and "SQLite" in err and "secret" not in err, err


@pytest.mark.parametrize("address", ["a@.", "a@b@c.org", "kari@", "kari nordmann@uio.no"])
def test_an_invalid_e_mail_is_refused_before_any_server_call(address, capsys, monkeypatch):
    """One line and exit 2 even with no server to reach: nothing was asked of it."""
    from stancebank.labeling.net import free_port

    monkeypatch.setenv("LABEL_STUDIO_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "unused-token")
    assert main(["label", "annotators", "add", address, "--project", "p"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"stancebank: error: {address}: not an e-mail address (")
    assert len(err.splitlines()) == 1


def _on_a_full_disk(folder, argv, size="1m"):
    """Run ``stancebank ARGV`` with ``folder`` a tmpfs of ``size`` (a private mount in a
    user namespace, so nothing outside the test sees it); None where mounts are refused."""
    import shutil
    import subprocess
    import sys

    if not shutil.which("unshare"):
        return None
    folder.mkdir()
    # after the command, what the full disk holds is listed (inside the private mount)
    script = (
        'mount -t tmpfs -o size="$1" tmpfs "$2" || exit 99; disk="$2"; shift 2; "$@"; '
        'status=$?; echo "left: $(ls -A "$disk" | tr "\\n" " ")"; exit $status'
    )
    result = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", size,
         str(folder), sys.executable, "-m", "stancebank.cli", *map(str, argv)],
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode == 99 or "unshare:" in result.stderr:
        return None
    return result


@pytest.mark.parametrize("command", ["train", "build", "ingest"])
def test_a_full_disk_is_one_line_exit_2_and_nothing_written(command, tmp_path, tiny_dataset,
                                                            fake_encoder, seed_path):  # fmt: skip
    disk = tmp_path / "disk"
    argv = {
        "train": ["train", tiny_dataset, "--out", disk / "model", "--base-model", fake_encoder,
                  "--no-team-examples", "--no-cv", "-q"],
        "build": ["build", "--claims", tiny_dataset.parent / "claims.jsonl", "--annotations",
                  tiny_dataset.parent / "annotations", "--out", disk / "dataset", "-q"],
        "ingest": ["ingest", seed_path, "--out", disk / "answers.jsonl", "-q"],
    }[command]  # fmt: skip
    result = _on_a_full_disk(disk, argv, size={"train": "1m", "build": "64k"}.get(command, "8k"))
    if result is None:
        pytest.skip("this machine refuses a private tmpfs mount (unshare --user --mount)")
    err = result.stderr.strip()
    assert result.returncode == 2, err
    assert len(err.splitlines()) == 1 and "no space left on the device" in err, err
    assert result.stdout.strip() == "left:", result.stdout  # no output, no staging, no temp


@pytest.mark.parametrize("case", ["utf16-binary", "half-a-model", "not-a-url", "bad-batch",
                                  "negative-epochs"])  # fmt: skip
def test_tracebacks_the_probe_found_are_one_line(case, tmp_path, capsys, monkeypatch,
                                                 tiny_dataset):  # fmt: skip
    """Inputs that once ended in a traceback: a file that starts like UTF-16 but is not, a
    folder with a config.json and nothing else, a server URL that is not http(s), options
    out of range."""
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps({
        "claim_id": "c", "answer_id": "a", "question_id": "q", "document_id": "d",
        "respondent": "R1", "question": "Q?", "text": "Hi there.", "start": 0, "end": 9,
    }) + "\n")  # fmt: skip
    half = tmp_path / "half-a-model"
    half.mkdir()
    (half / "config.json").write_text("{}")
    binary = tmp_path / "talk.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "x")
    argv, says = {
        "utf16-binary": (["ingest", binary, "--out", tmp_path / "a.jsonl"], "is not"),
        "half-a-model": (["predict", half, claims, "--out", tmp_path / "p.jsonl"],
                         "cannot load the model"),
        "not-a-url": (["label", "push", claims, "--project", "abc", "--url", "localhost:8080"],
                      "is not an http:// or https:// URL"),
        "bad-batch": (["predict", half, claims, "--out", tmp_path / "p.jsonl", "--batch-size",
                       "0"], "--batch-size: 0"),
        "negative-epochs": (["train", tiny_dataset, "--out", tmp_path / "m", "--recipe",
                             "fine-tune", "--epochs", "-3"], "--epochs: -3: cannot be below 0"),
    }[case]  # fmt: skip
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and says in err and "Traceback" not in err, err
