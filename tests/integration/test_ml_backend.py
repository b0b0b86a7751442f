"""The model in the loop against the real server: ``serve-model`` as Label Studio's ML
backend, connected by ``label connect-model``; Label Studio itself asks it for
predictions, its webhooks carry the labels annotators record, a retraining round swaps in
a better model, and later predictions carry the new version."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from stancebank.dataset.jsonl import read_jsonl, write_jsonl
from stancebank.dataset.schema import load_schema
from stancebank.labeling.ls_contract import annotation_result
from stancebank.labeling.net import free_port

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SCHEMA = load_schema()
SHIPPED = ROOT / "dataset" / "annotations" / "snapshot-20261127T153451Z.jsonl"
SECRET = "s3cret-for-the-test-only"
KNOW_NOTHING = "know-nothing-v0"


def _shipped_labels() -> dict[str, str]:
    return {r["claim_id"]: r["stance"] for _, r in read_jsonl(SHIPPED)}


@pytest.fixture(scope="module")
def know_nothing_model(tiny_model, tmp_path_factory) -> Path:
    """A real model folder whose output layer is zeroed: every claim gets the same
    uniform scores, so any retrained candidate that learned something is not worse."""
    from transformers import AutoModelForSequenceClassification

    from stancebank.models.head import output_layer

    source, _ = tiny_model
    folder = tmp_path_factory.mktemp("know-nothing") / "model"
    shutil.copytree(source, folder)
    model = AutoModelForSequenceClassification.from_pretrained(folder)
    layer = output_layer(model)
    layer.weight.data.zero_()
    layer.bias.data.zero_()
    model.save_pretrained(folder)
    (folder / "stancebank.json").write_text(json.dumps({"model_version": KNOW_NOTHING}))
    return folder


@pytest.fixture(scope="module")
def loop_files(tmp_path_factory, seed_answers, seed_claims_file) -> dict[str, Path]:
    """The answers file, the first 40 claims (pushed first), and a labelled file of the
    seed's benefit/harm claims (the candidates' second figure)."""
    root = tmp_path_factory.mktemp("loop")
    write_jsonl(root / "answers.jsonl", seed_answers)
    claims = [r for _, r in read_jsonl(seed_claims_file) if r["unit"] == "claim"]
    write_jsonl(root / "first.jsonl", claims[:40])
    labels = _shipped_labels()
    with open(root / "labelled.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for claim in claims:
            if labels.get(claim["claim_id"]) in ("benefit", "harm"):
                writer.writerow([claim["text"], labels[claim["claim_id"]]])
    return {"answers": root / "answers.jsonl", "first": root / "first.jsonl",
            "labelled": root / "labelled.csv", "root": root}  # fmt: skip


def _serve(label_studio, model: Path, files: dict[str, Path], claims: Path, port: int):
    env = {**os.environ, "LABEL_STUDIO_URL": label_studio.url,
           "LABEL_STUDIO_API_KEY": label_studio.token,
           "STANCEBANK_BACKEND_SECRET": SECRET}  # fmt: skip
    log = open(files["root"] / f"serve-{port}.log", "w")  # noqa: SIM115 (kept for the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "stancebank.cli", "serve-model", str(model), "--port", str(port),
         "--claims", str(claims), "--answers", str(files["answers"]), "--retrain-every", "20",
         "--work-dir", str(files["root"] / f"work-{port}"), "--ood-data", str(files["labelled"]),
         "--base-model", "all-MiniLM-L6-v2", "--no-team-examples",
         "--no-label-descriptions"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip
    address = process.stdout.readline().strip()
    assert address == f"http://127.0.0.1:{port}", (files["root"] / f"serve-{port}.log").read_text()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{address}/health", timeout=2).status_code == 200:
                return process, address, files["root"] / f"serve-{port}.log"
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise AssertionError("serve-model did not answer /health")


def _versions(task) -> list[str]:
    return [(p if isinstance(p, dict) else p.dict())["model_version"] for p in task.predictions]


def _stances(task) -> list[str]:
    found = []
    for p in task.predictions:
        p = p if isinstance(p, dict) else p.dict()
        found += [r["value"]["choices"][0] for r in p["result"] if r["from_name"] == "stance"]
    return found


def test_the_model_in_the_loop(
    label_studio, project_title, seed_claims_file, know_nothing_model, loop_files
):
    pushed = label_studio.cli("label", "push", str(loop_files["first"]), "--project", project_title)
    assert pushed.returncode == 0, pushed.stderr
    port = free_port()
    process, address, log = _serve(label_studio, know_nothing_model, loop_files,
                                   seed_claims_file, port)  # fmt: skip
    sdk = label_studio.sdk()
    project = next(p for p in sdk.projects.list(title=project_title) if p.title == project_title)
    tasks = sorted(sdk.tasks.list(project=project.id, page_size=500), key=lambda t: t.id)
    assert len(tasks) == 40 and all(not t.predictions for t in tasks)
    try:
        # the secret is required, and a malformed request is one line with HTTP 400
        assert httpx.post(f"{address}/predict", json={"tasks": []}).status_code == 401
        bad = httpx.post(f"{address}/predict", json={"tasks": [{"id": 1}]}, auth=("x", SECRET))
        assert bad.status_code == 400 and bad.json() == {"error": "tasks[0] has no 'data' object"}

        connected = label_studio.cli("label", "connect-model", "--project", project_title,
                                     "--backend", address,
                                     env={"STANCEBANK_BACKEND_SECRET": SECRET})  # fmt: skip
        assert connected.returncode == 0, connected.stderr
        assert SECRET not in connected.stdout + connected.stderr
        again = label_studio.cli("label", "connect-model", "--project", project_title,
                                 "--backend", address,
                                 env={"STANCEBANK_BACKEND_SECRET": SECRET})  # fmt: skip
        assert again.returncode == 0 and "already connected" in again.stderr
        assert len(sdk.ml.list(project=project.id)) == 1

        # Label Studio asks the backend when a task without predictions is opened ...
        opened = sdk.tasks.get(id=tasks[0].id)
        assert _versions(opened) == [KNOW_NOTHING]
        assert _stances(opened)[0] in SCHEMA.stance_values
        # ... and for the rest of a data-manager page, in one batch
        tasks = sorted(sdk.tasks.list(project=project.id, page_size=500), key=lambda t: t.id)
        assert all(_versions(t) == [KNOW_NOTHING] for t in tasks)

        # an annotator labels 10 claims; "Start training" then trains nothing: a round needs
        # 20 labelled claims (--min-labels) with both polar stances
        user = sdk.users.create(email=f"loop{port}@example.org", username=f"loop{port}")
        labels = _shipped_labels()
        labelled = [t for t in tasks if t.data["claim_id"] in labels][:30]
        assert len(labelled) == 30

        def annotate(some):
            for task in some:
                stance = labels[task.data["claim_id"]]
                sdk.annotations.create(id=task.id, completed_by=user.id,
                                       result=annotation_result(SCHEMA, stance))  # fmt: skip

        annotate(labelled[:10])
        backend = sdk.ml.list(project=project.id)[0]
        sdk.ml.train(id=backend.id)
        deadline = time.monotonic() + 120
        while "retrain 1: skipped" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(1)
        assert "retrain 1: skipped (10 labelled claims" in log.read_text(), log.read_text()
        assert httpx.get(f"{address}/health", timeout=5).json()["model_version"] == KNOW_NOTHING

        # 20 more labels (30 in all), each a webhook: a round starts, trains and swaps
        annotate(labelled[10:])
        deadline = time.monotonic() + 600
        version = KNOW_NOTHING
        while version == KNOW_NOTHING and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(2)
            version = httpx.get(f"{address}/health", timeout=5).json()["model_version"]
        text = log.read_text()
        assert version != KNOW_NOTHING, text
        assert "retrain 2: started after 20 new labels" in text
        assert "retrain 2: 30 labelled claims" in text
        assert "swapped in" in text and f"served {KNOW_NOTHING}" in text

        # tasks imported later get the retrained model's predictions through Label Studio
        pushed = label_studio.cli("label", "push", str(seed_claims_file), "--project",
                                  project_title)  # fmt: skip
        assert pushed.returncode == 0, pushed.stderr
        later = max(sdk.tasks.list(project=project.id, page_size=500), key=lambda t: t.id)
        assert _versions(sdk.tasks.get(id=later.id)) == [version]
        assert version.startswith("stancebank-all-MiniLM-L6-v2-")

        # Label Studio's "Start training" button starts a round at once
        sdk.ml.train(id=backend.id)
        deadline = time.monotonic() + 60
        while "retrain 3: started" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "retrain 3: started after 0 new labels" in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)
