"""Against the real Label Studio server: its files are private, its credentials stay out of
the process list, two pushes at once make one project, and a server that dies mid-push
gives one line and loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from stancebank.dataset.jsonl import write_jsonl
from stancebank.labeling import server

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _server_processes(data_dir: Path) -> list[psutil.Process]:
    state = json.loads((data_dir / server.STATE_FILE).read_text())
    root = psutil.Process(state["pid"])
    return [root, *root.children(recursive=True)]


def test_data_dir_files_are_private_and_secrets_stay_out_of_the_process_list(label_studio):
    data_dir = label_studio.data_dir
    assert data_dir.stat().st_mode & 0o777 == 0o700
    loose = [
        f"{p.relative_to(data_dir)} {oct(p.stat().st_mode & 0o777)}"
        for p in [data_dir, *data_dir.rglob("*")]
        if not p.is_symlink() and p.stat().st_mode & 0o077
    ]
    assert loose == [], loose
    sqlite = [p for p in data_dir.rglob("*.sqlite3")]
    if label_studio.database == "sqlite":
        assert sqlite  # the token is in there, 0600
    else:  # on PostgreSQL: no SQLite file, and the database URL (with its password) is 0600
        assert sqlite == [] and (data_dir / server.DATABASE_FILE).exists()
    credentials = server.load_credentials(data_dir)
    processes = _server_processes(data_dir)
    assert processes
    for process in processes:
        cmdline = " ".join(process.cmdline())
        assert credentials.token not in cmdline and credentials.password not in cmdline


def _cli(label_studio, *args: str) -> subprocess.Popen:
    env = {**os.environ, "LABEL_STUDIO_URL": label_studio.url,
           "LABEL_STUDIO_API_KEY": label_studio.token}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "stancebank.cli", *args], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


_READY_THEN_PUSH = """
import sys, time
from pathlib import Path
import stancebank.labeling.push, stancebank.labeling.client  # import everything first
from stancebank.cli import main
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
sys.exit(main(sys.argv[2:]))
"""


def test_pushes_at_once_make_one_project_and_no_duplicate_tasks(
    label_studio, seed_claims_file, project_title, tmp_path
):
    """Four pushes released at the same instant (each waits, imports done, for a file)."""
    go = tmp_path / "go"
    env = {**os.environ, "LABEL_STUDIO_URL": label_studio.url,
           "LABEL_STUDIO_API_KEY": label_studio.token}  # fmt: skip
    argv = ["label", "push", str(seed_claims_file), "--project", project_title]
    pushes = [
        subprocess.Popen([sys.executable, "-c", _READY_THEN_PUSH, str(go), *argv], cwd=ROOT,
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]  # fmt: skip
    time.sleep(8)  # every process has imported and waits
    go.touch()
    for push in pushes:
        _, err = push.communicate(timeout=600)
        assert push.returncode == 0, err
    sdk = label_studio.sdk()
    projects = [p for p in sdk.projects.list(title=project_title) if p.title == project_title]
    assert len(projects) == 1
    tasks = list(sdk.tasks.list(project=projects[0].id, fields="all", page_size=500))
    claim_ids = [t.data["claim_id"] for t in tasks]
    expected = [
        c
        for c in map(json.loads, seed_claims_file.read_text().splitlines())
        if c["unit"] == "claim"
    ]
    assert len(claim_ids) == len(set(claim_ids)) == len(expected)


def _many_claims(path: Path, n: int) -> Path:
    claims = []
    for i in range(n):
        text = f"Claim {i}: cameras on street {i % 97} make some people feel safer."
        claims.append({
            "claim_id": f"big-{i}", "answer_id": f"big-a{i}", "question_id": "big-q",
            "document_id": "big", "respondent": "R1", "question": "Cameras?", "text": text,
            "start": 0, "end": len(text), "index": 0, "unit": "claim", "language": "en",
        })  # fmt: skip
    write_jsonl(path, claims)
    return path


def test_a_server_that_dies_mid_push_gives_one_line(label_studio, tmp_path, project_title):
    claims = _many_claims(tmp_path / "big.jsonl", 20_000)
    push = _cli(label_studio, "label", "push", str(claims), "--project", project_title)
    sdk = label_studio.sdk()
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and push.poll() is None:
            found = [p for p in sdk.projects.list(title=project_title) if p.title == project_title]
            if found and (found[0].task_number or 0) > 0:
                break  # tasks are going in: kill the server now
            time.sleep(0.2)
        assert push.poll() is None, "the push finished before the server could be stopped"
        assert server.stop(label_studio.data_dir)
        _, err = push.communicate(timeout=600)
    finally:
        url, _ = server.start(label_studio.data_dir, port=label_studio.port)
        assert url == label_studio.url
    assert push.returncode == 1, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert label_studio.url in err and label_studio.token not in err
    # nothing lost: pushing again completes the project, each claim once
    again = label_studio.cli("label", "push", str(claims), "--project", project_title)
    assert again.returncode == 0, again.stderr
    project = next(p for p in sdk.projects.list(title=project_title) if p.title == project_title)
    assert sdk.projects.get(id=project.id).task_number == 20_000
