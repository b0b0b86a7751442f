"""Against a real Label Studio server: push, re-push, pre-annotations, two annotators,
pulls, export round trip, restart, wrong token, server down, server control."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stancebank.dataset.jsonl import write_jsonl
from stancebank.dataset.schema import load_schema
from stancebank.labeling import server
from stancebank.labeling.ls_contract import annotation_result, label_config
from stancebank.labeling.net import free_port

pytestmark = pytest.mark.integration
SCHEMA = load_schema()


def _claims(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _project(sdk, title: str):
    return next(p for p in sdk.projects.list(title=title) if p.title == title)


def _tasks(sdk, project_id: int) -> list:
    return list(sdk.tasks.list(project=project_id, fields="all", page_size=500))


def _push(label_studio, claims_file, title, *extra) -> str:
    result = label_studio.cli("label", "push", str(claims_file), "--project", title, *extra)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_generated_config_is_valid_on_the_server(label_studio, project_title):
    sdk = label_studio.sdk()
    project = sdk.projects.create(title=project_title, label_config=label_config(SCHEMA))
    sdk.projects.validate_label_config(id=project.id, label_config=label_config(SCHEMA))
    config = sdk.projects.get(id=project.id).label_config
    for stance in SCHEMA.stances:
        assert f'value="{stance.value}" hotkey="{stance.hotkey}"' in config


def test_push_then_push_again_adds_nothing(label_studio, seed_claims_file, project_title):
    claims = _claims(seed_claims_file)
    arguments = [c for c in claims if c["unit"] == "claim"]
    out = _push(label_studio, seed_claims_file, project_title)
    assert f"{len(arguments)} new tasks" in out
    sdk = label_studio.sdk()
    project = _project(sdk, project_title)
    tasks = _tasks(sdk, project.id)
    assert sorted(t.data["claim_id"] for t in tasks) == sorted(c["claim_id"] for c in arguments)
    # The annotator sees the claim highlighted inside its whole answer.
    by_id = {c["claim_id"]: c for c in claims}
    for task in tasks:
        claim = by_id[task.data["claim_id"]]
        assert task.data["claim"] == claim["text"]
        assert task.data["question"] == claim["question"]
        assert task.data["answer_html"].count("<mark>") == 1
        assert task.data["respondent"] in task.data["heading"]

    out = _push(label_studio, seed_claims_file, project_title)
    assert "0 new tasks" in out and f"{len(arguments)} already there" in out
    assert len(_tasks(sdk, project.id)) == len(arguments)
    assert len([p for p in sdk.projects.list(title=project_title) if p.title == project_title]) == 1


def test_include_non_arguments(label_studio, seed_claims_file, project_title):
    _push(label_studio, seed_claims_file, project_title, "--include-non-arguments")
    sdk = label_studio.sdk()
    assert len(_tasks(sdk, _project(sdk, project_title).id)) == len(_claims(seed_claims_file))


def test_predictions_become_pre_annotations(
    label_studio, seed_claims_file, project_title, tmp_path
):
    claims = [c for c in _claims(seed_claims_file) if c["unit"] == "claim"]
    predictions = tmp_path / "preds.jsonl"
    write_jsonl(
        predictions,
        [
            {"claim_id": c["claim_id"], "label": "harm",
             "scores": {"benefit": 0.1, "harm": 0.7, "mixed": 0.1, "neutral": 0.1},
             "model_version": "baseline-v1"}
            for c in claims[:10]
        ],
    )  # fmt: skip
    _push(label_studio, seed_claims_file, project_title, "--predictions", str(predictions))
    sdk = label_studio.sdk()
    project = _project(sdk, project_title)
    predicted = [t for t in _tasks(sdk, project.id) if t.predictions]
    assert len(predicted) == 10
    prediction = predicted[0].predictions[0]
    prediction = prediction if isinstance(prediction, dict) else prediction.dict()
    assert prediction["model_version"] == "baseline-v1"
    assert prediction["score"] == pytest.approx(0.7)
    assert prediction["result"][0]["value"]["choices"] == ["harm"]

    # A new model version reaches tasks that already exist, once.
    write_jsonl(
        predictions,
        [{"claim_id": c["claim_id"], "label": "benefit", "scores": {"benefit": 0.6},
          "model_version": "baseline-v2"} for c in claims[:3]],
    )  # fmt: skip
    _push(label_studio, seed_claims_file, project_title, "--predictions", str(predictions))
    _push(label_studio, seed_claims_file, project_title, "--predictions", str(predictions))
    versions = [p.model_version for p in sdk.predictions.list(project=project.id)]
    assert versions.count("baseline-v1") == 10 and versions.count("baseline-v2") == 3


def _annotate_as_two_users(label_studio, project_title) -> dict:
    sdk = label_studio.sdk()
    project = _project(sdk, project_title)
    tasks = sorted(_tasks(sdk, project.id), key=lambda t: t.id)[:4]
    suffix = re.sub(r"\W", "", project_title)[-20:]
    alice = sdk.users.create(email=f"alice.{suffix}@example.org", username=f"alice{suffix}")
    bob = sdk.users.create(email=f"bob.{suffix}@example.org", username=f"bob{suffix}")
    for task in tasks:
        sdk.annotations.create(
            id=task.id,
            result=annotation_result(SCHEMA, "harm", aspects=["privacy"], rationale="fear"),
            completed_by=alice.id,
        )
    for task in tasks[:3]:
        sdk.annotations.create(
            id=task.id, result=annotation_result(SCHEMA, "benefit"), completed_by=bob.id
        )
    sdk.annotations.create(id=tasks[3].id, result=[], completed_by=bob.id, was_cancelled=True)
    return {"project": project, "tasks": tasks, "emails": [alice.email, bob.email]}


def _pull(label_studio, out: Path, *source) -> Path:
    result = label_studio.cli("label", "pull", *source, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_annotation_deleted_on_the_server_no_longer_votes(
    label_studio, seed_claims_file, project_title, tmp_path
):
    """create, pull, delete, pull, build: the release is what the server holds now, not the
    union of every pull (each pull records its server and project beside the snapshot)."""
    _push(label_studio, seed_claims_file, project_title)
    sdk = label_studio.sdk()
    project = _project(sdk, project_title)
    tasks = sorted(_tasks(sdk, project.id), key=lambda t: t.id)[:8]
    suffix = re.sub(r"\W", "", project_title)[-20:]
    alice = sdk.users.create(email=f"alice.del.{suffix}@example.org", username=f"ad{suffix}")
    bob = sdk.users.create(email=f"bob.del.{suffix}@example.org", username=f"bd{suffix}")
    for task in tasks:
        sdk.annotations.create(id=task.id, result=annotation_result(SCHEMA, "harm"),
                               completed_by=alice.id)  # fmt: skip
    vote = sdk.annotations.create(id=tasks[0].id, result=annotation_result(SCHEMA, "benefit"),
                                  completed_by=bob.id)  # fmt: skip
    out, dataset = tmp_path / "annotations", tmp_path / "dataset"
    first = _pull(label_studio, out, "--project", project_title)
    assert json.loads(first.with_name(first.stem + ".source.json").read_text()) == {
        "server": label_studio.url, "project_id": project.id,
    }  # fmt: skip
    build = ["build", "--claims", str(seed_claims_file), "--annotations", str(out), "--out",
             str(dataset)]  # fmt: skip
    assert label_studio.cli(*build).returncode == 0
    report = json.loads((dataset / "build_report.json").read_text())
    disputed = tasks[0].data["claim_id"]
    assert report["ties_left_out"] == [disputed] and sum(report["rows"].values()) == 7

    sdk.annotations.delete(id=vote.id)
    second = _pull(label_studio, out, "--project", project_title)
    assert first.exists() and len(_records(second)) == 8  # the earlier pull is kept
    assert label_studio.cli(*build).returncode == 0
    report = json.loads((dataset / "build_report.json").read_text())
    assert report["ties_left_out"] == [] and sum(report["rows"].values()) == 8
    assert report["annotations_read"] == 8


def test_two_annotators_pull_round_trip(label_studio, seed_claims_file, project_title, tmp_path):
    _push(label_studio, seed_claims_file, project_title)
    made = _annotate_as_two_users(label_studio, project_title)
    out = tmp_path / "annotations"
    first = _pull(label_studio, out, "--project", project_title)
    records = _records(first)
    assert len(records) == 8
    by_annotator: dict[str, list[dict]] = {}
    for record in records:
        by_annotator.setdefault(record["annotator"], []).append(record)
    assert set(by_annotator) == {"A1", "A2"}
    harm = next(rs for rs in by_annotator.values() if all(r["stance"] == "harm" for r in rs))
    assert len(harm) == 4 and harm[0]["aspects"] == ["privacy"] and harm[0]["rationale"] == "fear"
    cancelled = [r for r in records if r["was_cancelled"]]
    assert len(cancelled) == 1 and cancelled[0]["stance"] is None
    task_claims = {t.id: t.data["claim_id"] for t in made["tasks"]}
    assert all(task_claims[r["ls_task_id"]] == r["claim_id"] for r in records)
    assert all(r["ls_project_id"] == made["project"].id for r in records)
    text = first.read_text(encoding="utf-8") + (out / "annotators.json").read_text()
    assert not any(email in text for email in made["emails"])

    # A second pull is a new file; the first is untouched; pseudonyms are stable.
    before = first.read_bytes()
    second = _pull(label_studio, out, "--project", project_title)
    assert second != first and first.read_bytes() == before
    assert sorted((r["annotator"], r["ls_annotation_id"]) for r in _records(second)) == sorted(
        (r["annotator"], r["ls_annotation_id"]) for r in records
    )

    # The same annotations through a JSON export file give the same records; an export
    # carries user ids, not e-mails, so its annotators get pseudonyms of their own.
    export = tmp_path / "export.json"
    sdk = label_studio.sdk()
    export.write_bytes(
        b"".join(sdk.projects.exports.download_sync(made["project"].id, export_type="JSON"))
    )
    from_file = _records(
        _pull(label_studio, tmp_path / "from-export", "--from-export", str(export))
    )
    assert [{**r, "annotator": None} for r in from_file] == [
        {**r, "annotator": None} for r in records
    ]
    rename = {f["annotator"]: r["annotator"] for f, r in zip(from_file, records, strict=True)}
    assert len(set(rename)) == len(set(rename.values())) == 2


def test_restart_between_push_and_pull_loses_nothing(
    label_studio, seed_claims_file, project_title, tmp_path
):
    _push(label_studio, seed_claims_file, project_title)
    _annotate_as_two_users(label_studio, project_title)
    before = _records(_pull(label_studio, tmp_path / "a", "--project", project_title))
    label_studio.restart()
    assert "0 new tasks" in _push(label_studio, seed_claims_file, project_title)
    after = _records(_pull(label_studio, tmp_path / "a", "--project", project_title))
    assert after == before


def test_wrong_token_is_refused_and_not_echoed(label_studio, seed_claims_file, tmp_path):
    bad = "not-the-token-0123456789"
    result = label_studio.cli(
        "label", "push", str(seed_claims_file), "--project", "never-created",
        env={"LABEL_STUDIO_API_KEY": bad},
    )  # fmt: skip
    assert result.returncode == 2
    assert "refused the API token" in result.stderr
    assert bad not in result.stderr + result.stdout
    assert label_studio.token not in result.stderr + result.stdout


def test_server_down_gives_a_clear_error(label_studio, seed_claims_file):
    url = f"http://127.0.0.1:{free_port()}"
    result = label_studio.cli(
        "label",
        "push",
        str(seed_claims_file),
        "--project",
        "unreached",
        env={"LABEL_STUDIO_URL": url},
    )
    assert result.returncode == 1
    assert f"cannot reach Label Studio at {url}" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_label_in_predictions_names_the_line(label_studio, seed_claims_file, tmp_path):
    predictions = tmp_path / "preds.jsonl"
    predictions.write_text(
        '{"claim_id": "a", "label": "harm"}\n{"claim_id": "b", "label": "meh"}\n'
    )
    result = label_studio.cli(
        "label",
        "push",
        str(seed_claims_file),
        "--project",
        "proj",
        "--predictions",
        str(predictions),
    )
    assert result.returncode == 2
    assert f"{predictions}:2: unknown label 'meh'" in result.stderr


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (from /proc/net/tcp)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_server_control(label_studio, tmp_path):
    assert _listening_addresses(label_studio.port) == {"0100007F"}  # 127.0.0.1 only
    status = label_studio.cli("server", "status", "--data-dir", str(label_studio.data_dir))
    assert status.returncode == 0 and status.stdout.strip() == label_studio.url
    empty = label_studio.cli("server", "status", "--data-dir", str(tmp_path / "none"))
    assert empty.returncode == 3
    taken = label_studio.cli(
        "server", "start", "--port", str(label_studio.port), "--data-dir", str(tmp_path / "new")
    )
    assert taken.returncode == 2 and f"port {label_studio.port}" in taken.stderr
    credentials = label_studio.data_dir / server.CREDENTIALS_FILE
    assert credentials.stat().st_mode & 0o777 == 0o600
    log = (label_studio.data_dir / server.LOG_FILE).read_text(errors="replace")
    for output in (status.stdout, status.stderr, taken.stderr, log):
        assert label_studio.token not in output


@pytest.mark.slow
def test_model_predictions_pushed_as_pre_annotations(
    label_studio, seed_claims_file, project_title, tmp_path, tiny_model
):
    model_dir, _ = tiny_model
    preds = tmp_path / "preds.jsonl"
    result = label_studio.cli("predict", str(model_dir), str(seed_claims_file), "--out", str(preds))
    assert result.returncode == 0, result.stderr
    _push(label_studio, seed_claims_file, project_title, "--predictions", str(preds))
    sdk = label_studio.sdk()
    tasks = _tasks(sdk, _project(sdk, project_title).id)
    by_claim = {
        json.loads(line)["claim_id"]: json.loads(line) for line in preds.read_text().splitlines()
    }
    assert tasks and all(t.predictions for t in tasks)
    for task in tasks:
        prediction = task.predictions[0]
        prediction = prediction if isinstance(prediction, dict) else prediction.dict()
        expected = by_claim[task.data["claim_id"]]
        assert prediction["result"][0]["value"]["choices"] == [expected["label"]]
        assert prediction["score"] == pytest.approx(expected["scores"][expected["label"]])
        assert prediction["model_version"] == expected["model_version"]
    version = json.loads((model_dir / "stancebank.json").read_text())["model_version"]
    assert version.startswith("stancebank-") and all(
        json.loads(line)["model_version"] == version for line in preds.read_text().splitlines()
    )
    assert sdk.projects.get(id=_project(sdk, project_title).id).model_version == version


def test_python_api_push_and_pull(label_studio, seed_claims_file, project_title, tmp_path):
    """``stancebank.push`` / ``stancebank.pull`` called directly, as from a notebook."""
    import stancebank

    where = {"url": label_studio.url, "data_dir": label_studio.data_dir}
    claims = [c for c in _claims(seed_claims_file) if c["unit"] == "claim"]
    preds = tmp_path / "preds.jsonl"
    harm = SCHEMA.stance_values[1]
    write_jsonl(preds, [{"claim_id": c["claim_id"], "label": harm, "scores": {harm: 0.7}}
                        for c in claims[:3]])  # fmt: skip
    report = stancebank.push(claims=seed_claims_file, project=project_title, predictions=preds,
                             progress=False, **where)  # fmt: skip
    assert (report.project_created, report.imported, report.predictions_added) == (
        True, len(claims), 3,
    )  # fmt: skip
    again = stancebank.push(claims=seed_claims_file, project=project_title, progress=False,
                            **where)  # fmt: skip
    assert (again.imported, again.already_there) == (0, len(claims))

    sdk = label_studio.sdk()
    task = _tasks(sdk, report.project_id)[0]
    sdk.annotations.create(id=task.id, result=annotation_result(SCHEMA, "harm"))
    pulled = stancebank.pull(out=tmp_path / "ann", project=project_title, **where)
    assert (pulled.annotations, pulled.claims, pulled.cancelled) == (1, 1, 0)
    assert list(pulled.per_annotator.values()) == [1]
    record = json.loads(pulled.snapshot.read_text())
    assert record["stance"] == "harm" and record["annotator"] == "A1"
    with pytest.raises(stancebank.InputError, match="no such project"):
        stancebank.pull(out=tmp_path / "ann", project=f"{project_title}-missing", **where)


@pytest.mark.slow
def test_a_model_retrained_into_the_same_folder_gets_its_own_version(
    label_studio, seed_claims_file, project_title, tmp_path, tiny_dataset
):
    """Two trainings into one folder: each has a version from its weights, the second
    one's predictions go in too (in bulk), and the project shows the latest version."""
    model = tmp_path / "model"
    versions = []
    for seed in ("1", "2"):
        trained = label_studio.cli(
            "train", str(tiny_dataset), "--out", str(model), "--base-model", "all-MiniLM-L6-v2",
            "--no-team-examples", "--no-label-descriptions", "--no-cv",
            "--recipe", "fine-tune", "--epochs", "0", "--seed", seed,
        )  # fmt: skip
        assert trained.returncode == 0, trained.stderr
        preds = tmp_path / f"preds-{seed}.jsonl"
        predicted = label_studio.cli(
            "predict", str(model), str(seed_claims_file), "--out", str(preds)
        )
        assert predicted.returncode == 0, predicted.stderr
        versions.append(json.loads(preds.read_text().splitlines()[0])["model_version"])
        _push(label_studio, seed_claims_file, project_title, "--predictions", str(preds))
    assert versions[0] != versions[1]
    assert versions[0].startswith("stancebank-all-MiniLM-L6-v2-")
    sdk = label_studio.sdk()
    project = _project(sdk, project_title)
    assert sdk.projects.get(id=project.id).model_version == versions[1]
    tasks = _tasks(sdk, project.id)
    for task in tasks:
        seen = sorted(
            (p if isinstance(p, dict) else p.dict())["model_version"] for p in task.predictions
        )
        assert seen == sorted(versions), seen


def test_a_project_records_its_server_and_its_labels_reach_label_studio(
    label_studio, tmp_path, project_title
):
    """``server start`` in a project writes its data dir to stancebank.toml; a later
    ``label push`` there, with nothing in the environment, finds the server by it, and the
    project's own stances (support / oppose / neutral) and target reach Label Studio."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import FIXTURES

    project = tmp_path / "faces"
    shutil.copytree(FIXTURES / "projects" / "workplace-faces", project)
    bare = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY", "STANCEBANK_LS_DATA_DIR")
    }

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "stancebank.cli", *args], cwd=project,
                              env=bare, capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done

    started = run("server", "start", "--data-dir", str(label_studio.data_dir),
                  "--port", str(label_studio.port))  # fmt: skip
    assert started.stdout.strip() == label_studio.url
    recorded = (project / "stancebank.toml").read_text()
    assert f'data_dir = "{label_studio.data_dir.resolve()}"' in recorded
    assert f'url = "{label_studio.url}"' in recorded
    run("ingest", "interview.csv", "--out", "answers.jsonl")
    run("segment", "answers.jsonl", "--out", "claims.jsonl")
    pushed = run("label", "push", "claims.jsonl", "--project", project_title)
    assert "27 new tasks" in pushed.stderr
    found = _project(label_studio.sdk(), project_title)
    assert "facial recognition at work" in found.description
    assert 'value="support" hotkey="s"' in found.label_config
    assert "Stance toward facial recognition at work (keys s, o, n)" in found.label_config
    assert "surveillance" not in found.label_config.lower()
