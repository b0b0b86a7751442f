"""serve-model without Label Studio and without a trained model: the protocol's requests
and answers (the app runs with a fake predict function), HTTP 400/401 for what it cannot
read or must refuse, and the retrainer's decisions (counting labels, one round at a time, a
worse or crashed candidate never served). That a model folder becomes the same predictor is
one test at the end (on a random tiny encoder); the whole loop with the real server and a
real model is in tests/integration/test_ml_backend.py."""

from __future__ import annotations

import base64
import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient

from stancebank.dataset.schema import load_schema
from stancebank.labeling.ls_contract import prediction_for
from stancebank.labeling.ml_protocol import (
    ProtocolError,
    predict_inputs,
    webhook_event,
)
from stancebank.labeling.retrain import (
    Figures,
    LabelCount,
    Retrainer,
    RetrainSettings,
    Served,
    better,
)

SCHEMA = load_schema()
SECRET = "unit-secret"
FAKE_VERSION = "fake-v1"


def fake_predict(claims: list[str], questions: list[str]):
    """A stand-in model: the first stance for claims that mention safety, else the second,
    with a probability that depends on the claim's length (so scores differ per task)."""
    labels = list(SCHEMA.stance_values)
    probs = np.full((len(claims), len(labels)), 0.05, dtype=np.float32)
    for row, claim in enumerate(claims):
        best = 0 if "saf" in claim.lower() else 1
        probs[row, best] = 0.5 + min(len(claim), 40) / 100
        probs[row] /= probs[row].sum()
    return probs, labels


def _auth(password: str = SECRET) -> dict[str, str]:
    token = base64.b64encode(f"stancebank:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ([], "the request must be a JSON object"),
        ({}, "'tasks' must be a non-empty list"),
        ({"tasks": []}, "'tasks' must be a non-empty list"),
        ({"tasks": [{"id": 1}]}, "tasks[0] has no 'data' object"),
        ({"tasks": [{"data": {"claim": "  "}}]}, "tasks[0].data has no 'claim' (or 'text') string"),
        ({"tasks": [{"data": {"claim": "x", "question": 3}}]},
         "tasks[0].data.question is not a string"),
    ],
)  # fmt: skip
def test_malformed_predict_requests_name_what_is_wrong(body, reason):
    with pytest.raises(ProtocolError) as error:
        predict_inputs(body)
    assert str(error.value) == reason


def test_predict_inputs_read_claim_or_text_and_the_question():
    inputs = predict_inputs({"tasks": [
        {"id": 7, "data": {"claim": "Cameras deter theft.", "question": "Q?"}},
        {"id": 8, "data": {"text": "Wiretaps chill speech."}},
    ]})  # fmt: skip
    assert [(t.task_id, t.claim, t.question) for t in inputs] == [
        (7, "Cameras deter theft.", "Q?"), (8, "Wiretaps chill speech.", ""),
    ]  # fmt: skip


def test_webhook_events():
    created = webhook_event({"action": "ANNOTATION_CREATED", "annotation": {"id": 5},
                             "project": {"id": 2, "title": "seed"}})  # fmt: skip
    assert (created.action, created.annotation_ids, created.project_title) == (
        "ANNOTATION_CREATED",
        (5,),
        "seed",
    )
    bulk = webhook_event({"action": "ANNOTATIONS_CREATED", "annotations": [{"id": 1}, {"id": 2}]})
    assert bulk.annotation_ids == (1, 2)
    assert webhook_event({"action": "START_TRAINING"}).annotation_ids == ()
    for bad in ({}, {"action": ""}, {"action": "ANNOTATION_UPDATED"}, "x"):
        with pytest.raises(ProtocolError):
            webhook_event(bad)


@pytest.fixture(scope="module")
def client():
    from stancebank.labeling.ml_backend import ModelSlot, create_app

    slot = ModelSlot(fake_predict, FAKE_VERSION)
    with TestClient(create_app(slot, secret=SECRET)) as test_client:
        yield test_client


def test_predict_answers_what_push_sends(client):
    claims = ["Cameras on every corner make the streets safer.", "They read our messages."]
    tasks = [{"id": i, "data": {"claim": c, "question": ""}} for i, c in enumerate(claims)]
    answer = client.post("/predict", json={"tasks": tasks}, headers=_auth())
    assert answer.status_code == 200
    body = answer.json()
    probs, labels = fake_predict(claims, ["", ""])
    expected = [
        prediction_for(SCHEMA, labels[int(row.argmax())], score=float(row.max()),
                       model_version=FAKE_VERSION)
        for row in probs
    ]  # fmt: skip
    assert body["model_version"] == FAKE_VERSION
    for got, want in zip(body["results"], expected, strict=True):
        assert got["result"] == want["result"] and got["model_version"] == want["model_version"]
        assert got["score"] == pytest.approx(want["score"], abs=1e-5)
    assert [r["result"][0]["value"]["choices"] for r in body["results"]] == [
        [labels[0]],
        [labels[1]],
    ]
    from stancebank.labeling.ls_contract import label_config

    setup = client.post("/setup", json={"project": "1.1", "schema": label_config(SCHEMA)},
                        headers=_auth())  # fmt: skip
    assert setup.json() == {"model_version": FAKE_VERSION}
    other = client.post("/setup", json={"project": "1.1", "schema": "<View/>"},
                        headers=_auth())  # fmt: skip
    assert other.status_code == 400 and "made by 'stancebank label push'" in other.json()["error"]
    assert client.get("/health").json()["status"] == "UP"


def test_bad_requests_get_400_and_wrong_secrets_401(client):
    test_client = client
    not_json = test_client.post("/predict", content=b"{nope", headers=_auth())
    assert not_json.status_code == 400 and not_json.json()["error"].startswith(
        "the body is not JSON"
    )
    assert "\n" not in not_json.json()["error"]
    empty = test_client.post("/predict", json={"tasks": []}, headers=_auth())
    assert (empty.status_code, empty.json()) == (400, {"error": "'tasks' must be a non-empty list"})
    for headers in ({}, _auth("wrong"), {"Authorization": "Basic !!!"},
                    {"Authorization": f"Bearer {SECRET}"}):  # fmt: skip
        assert test_client.post("/predict", json={"tasks": []}, headers=headers).status_code == 401
    hook = test_client.post("/webhook", json={"action": "ANNOTATION_CREATED",
                            "annotation": {"id": 1}}, headers=_auth())  # fmt: skip
    assert hook.status_code == 200 and hook.json()["status"].startswith(
        "ignored: retraining is off"
    )


def test_label_count_and_the_swap_rule():
    count = LabelCount(3)
    count.add([1, 2])
    count.add([2])  # an update of a label already counted
    assert not count.due()
    count.add([3])
    assert count.due() and count.take() == 3 and not count.due()
    with pytest.raises(ValueError):
        LabelCount(0)
    assert better(Figures(0.5, 0.7), Figures(0.5, 0.71))
    assert not better(Figures(0.5, 0.7), Figures(0.6, 0.69))  # worse out of domain
    assert better(Figures(None, 0.7), Figures(0.1, 0.72))  # only figures both have
    assert not better(Figures(None, 0.7), Figures(0.1, 0.7))  # a tie is not better
    assert not better(Figures(0.0, 0.0), Figures(0.0, 0.0))  # nor a tie at zero
    assert not better(Figures(None, None), Figures(0.9, None))  # nothing to compare


def _fake_job(tmp_path: Path, body: str) -> list[str]:
    """A round's command: a small script in place of pull + build + train."""
    script = tmp_path / "job.py"
    script.write_text(
        "import json, sys, time, pathlib\n"
        "spec = json.loads(pathlib.Path(sys.argv[1]).read_text())\n"
        "pathlib.Path(spec['candidate']).mkdir(parents=True)\n" + body
    )
    return [sys.executable, str(script)]


def _retrainer(tmp_path, job, every=2):
    swaps = []
    model = tmp_path / "served"
    model.mkdir(parents=True)
    settings = RetrainSettings(claims=tmp_path / "claims.jsonl", work_dir=tmp_path / "work",
                               every=every, options={"base_model": "all-MiniLM-L6-v2"})  # fmt: skip
    retrainer = Retrainer(settings, Served(model, "v0"), load=lambda folder: f"loaded {folder}",
                          swap=lambda loaded, version: swaps.append(version), job=job)  # fmt: skip
    return retrainer, swaps


def _label(retrainer, *ids, project="seed"):
    from stancebank.labeling.ml_protocol import Event

    return retrainer.on_event(Event("ANNOTATION_CREATED", ids, 1, project))


def _result(test: float, ood: float, version: str = "v1") -> str:
    return (
        "pathlib.Path(spec['result']).write_text(json.dumps({'claims': 4, 'version_before': "
        f"'v0', 'version': '{version}', 'before': {{'test': 0.5, 'ood': 0.5}}, "
        f"'after': {{'test': {test}, 'ood': {ood}}}}}))\n"
    )


def test_a_worse_candidate_is_dropped_and_a_better_one_swapped_in(tmp_path):
    retrainer, swaps = _retrainer(tmp_path, _fake_job(tmp_path, _result(0.6, 0.4)))
    assert _label(retrainer, 1).startswith("counted: 1 of 2")
    assert _label(retrainer, 2) == "retraining (round 1)"
    retrainer.wait(60)
    assert swaps == [] and retrainer.history[-1]["accepted"] is False
    assert not (tmp_path / "work" / "models" / "round-1").exists()  # the candidate is gone
    assert retrainer.served.version == "v0"

    improved, swaps = _retrainer(tmp_path / "b", _fake_job(tmp_path, _result(0.6, 0.6, "v2")))
    _label(improved, 1, 2)
    improved.wait(60)
    assert swaps == ["v2"] and improved.served.version == "v2"
    assert improved.served.model_dir == tmp_path / "b" / "work" / "models" / "round-1"


def test_a_tie_at_zero_keeps_the_served_model(tmp_path):
    """A candidate trained on too few claims that scores 0.000 like the served model (the
    probe saw it replace a model) is not swapped in."""
    retrainer, swaps = _retrainer(tmp_path, _fake_job(tmp_path, (
        "pathlib.Path(spec['result']).write_text(json.dumps({'claims': 9, 'version_before': "
        "'v0', 'version': 'v1', 'before': {'test': 0.0, 'ood': 0.0}, "
        "'after': {'test': 0.0, 'ood': 0.0}}))\n"
    )))  # fmt: skip
    _label(retrainer, 1, 2)
    retrainer.wait(60)
    assert swaps == [] and retrainer.history[-1]["accepted"] is False
    assert retrainer.served.version == "v0"


def test_a_round_below_the_minimum_trains_nothing(tmp_path):
    retrainer, swaps = _retrainer(tmp_path, _fake_job(tmp_path, (
        "pathlib.Path(spec['result']).write_text(json.dumps({'claims': 9, 'skipped': "
        "'9 labelled claims'}))\n"
    )))  # fmt: skip
    _label(retrainer, 1, 2)
    retrainer.wait(60)
    assert swaps == [] and retrainer.history[-1]["skipped"] == "9 labelled claims"


def test_the_project_is_pinned_by_the_first_labelling_event_only(tmp_path):
    from stancebank.labeling.ml_protocol import Event

    retrainer, _ = _retrainer(tmp_path, _fake_job(tmp_path, _result(0.6, 0.6)), every=5)
    other = Event("PROJECT_UPDATED", (), 9, "other")
    assert retrainer.on_event(other).startswith("ignored: no labelling event")
    nameless = Event("ANNOTATION_CREATED", (1,), None, None)
    assert retrainer.on_event(nameless) == "ignored: the event names no project"
    assert _label(retrainer, 2).startswith("counted: 1 of 5")  # "seed" is now the project
    assert _label(retrainer, 3, project="other").startswith("ignored: events of project 'seed'")


def test_one_round_at_a_time_and_labels_during_a_round_start_the_next(tmp_path):
    job = _fake_job(tmp_path, "time.sleep(2)\n" + _result(0.6, 0.6))
    retrainer, swaps = _retrainer(tmp_path, job)
    assert _label(retrainer, 1, 2) == "retraining (round 1)"
    assert _label(retrainer, 3, 4).startswith("counted: a round is running")
    assert _label(retrainer, 5, project="other").startswith("ignored")
    deadline = time.monotonic() + 60
    while len(retrainer.history) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    retrainer.wait(60)
    assert [r["round"] for r in retrainer.history] == [1, 2]
    assert len(swaps) == 2


def test_a_crashed_round_leaves_serving_untouched(tmp_path):
    """The real round, with Label Studio unreachable: the pull fails, the process exits
    non-zero, nothing is swapped."""
    from stancebank.labeling.net import free_port
    from stancebank.service import ROUND

    retrainer, swaps = _retrainer(tmp_path, ROUND)
    retrainer.settings.environment = {"LABEL_STUDIO_URL": f"http://127.0.0.1:{free_port()}",
                                      "LABEL_STUDIO_API_KEY": "x"}  # fmt: skip
    _label(retrainer, 1, 2)
    retrainer.wait(120)
    record = retrainer.history[-1]
    assert record["status"] != 0 and record["accepted"] is False and swaps == []
    log = (tmp_path / "work" / "round-1.log").read_text()
    assert "x" not in json.loads((tmp_path / "work" / "round-1.spec.json").read_text()).values()
    assert "Label Studio" in log


def test_start_training_starts_a_round_and_predict_answers_during_it(tmp_path):
    """The "Start training" event needs no label count (with the project given, it needs
    no labelling event either); while the round runs, /predict keeps answering with the
    served model, and the next request after the swap has the new version."""
    from stancebank.labeling.ml_backend import ModelSlot, create_app

    predict, version = fake_predict, FAKE_VERSION
    served = tmp_path / "served"
    served.mkdir()
    slot = ModelSlot(predict, version)
    job = _fake_job(tmp_path, "time.sleep(3)\n" + _result(0.6, 0.6, "v-new"))
    settings = RetrainSettings(claims=tmp_path / "claims.jsonl", work_dir=tmp_path / "work",
                               every=20, project="seed")  # serve-model --project seed  # fmt: skip
    retrainer = Retrainer(settings, Served(served, version), load=lambda folder: predict,
                          swap=slot.swap, job=job)  # fmt: skip
    tasks = {"tasks": [{"data": {"claim": "Cameras deter theft."}}]}
    with TestClient(create_app(slot, retrainer=retrainer)) as test_client:
        started = test_client.post("/webhook", json={"action": "START_TRAINING",
                                   "project": {"id": 1, "title": "seed"}})  # fmt: skip
        assert started.json() == {"status": "retraining (round 1)"}
        assert retrainer.training
        during = test_client.post("/predict", json=tasks)
        assert during.status_code == 200 and during.json()["model_version"] == version
        retrainer.wait(60)
        after = test_client.post("/predict", json=tasks)
        assert after.json()["model_version"] == "v-new"


@pytest.mark.parametrize(
    ("args", "env", "status", "says"),
    [
        (["serve-model", "no-such-model"], {}, 2, "no-such-model: is not a model folder"),
        (["serve-model", "MODEL", "--retrain-every", "0"], {}, 2, "--retrain-every: 0"),
        (["serve-model", "MODEL", "--host", "0.0.0.0"], {}, 2, "needs a shared secret"),
        (["serve-model", "MODEL", "--port", "70000"], {}, 2, "70000 is not a port"),
        (["serve-model", "MODEL", "--answers", "a.jsonl"], {}, 2, "--claims: retraining needs"),
        (["label", "connect-model", "--project", "p", "--backend", "ftp://x"], {}, 2,
         "ftp://x: the backend is an http:// or https:// URL"),
        (["label", "connect-model", "--project", "p", "--backend", "http://127.0.0.1:PORT"], {},
         1, "no ML backend answers at http://127.0.0.1:PORT/health"),
    ],
)  # fmt: skip
def test_serve_and_connect_refuse_bad_input_with_one_line(
    args, env, status, says, tmp_path, capsys, monkeypatch
):
    """Every check comes before the model is loaded: a folder is enough."""
    from stancebank.cli import main
    from stancebank.labeling.net import free_port

    port = str(free_port())
    folder = tmp_path / "model"
    folder.mkdir()
    args = [str(folder) if a == "MODEL" else a.replace("PORT", port) for a in args]
    monkeypatch.delenv("STANCEBANK_BACKEND_SECRET", raising=False)
    assert main(args) == status
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and says.replace("PORT", port) in err, err


def test_a_model_folder_becomes_the_predictor_the_service_serves(fake_model):
    """What ``serve-model`` serves is the model folder's own probabilities and version."""
    from stancebank.models.predict import load_classifier, predict_proba
    from stancebank.service import predictor

    predict, version = predictor(fake_model[0])
    classifier = load_classifier(str(fake_model[0]), precision="auto")
    claims = ["Cameras on every corner make the streets safer.", "They read our messages."]
    probs, labels = predict(claims, ["", ""])
    assert version == classifier.version and labels == classifier.labels
    assert probs == pytest.approx(predict_proba(classifier, claims), abs=1e-6)


@pytest.fixture
def serving(fake_model, tmp_path):
    """A real ``stancebank serve-model`` process on a free port, and its log."""
    import os
    import subprocess

    import httpx

    from stancebank.labeling.net import free_port

    port = free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k != "STANCEBANK_BACKEND_SECRET"}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "stancebank.cli", "serve-model", str(fake_model[0]),
             "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    try:
        yield url, process, log
    finally:
        process.terminate()
        process.wait(30)


def _raw(url: str, head: bytes, body: bytes = b"", timeout: float = 20) -> bytes:
    """Send a request as written, return the start of the answer."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head + body)
        return sock.recv(4096)


def test_serve_model_stays_bounded_and_answers_bad_input_with_400(serving):
    """A declared body over the limit is refused before it is read (413), a streamed one
    once it passes the limit; a 30 MB claim is answered; a lone surrogate and deep nesting
    get 400 — and the service keeps answering, without a traceback. (Time and memory under
    that load: scripts/bench/ml_backend_limits.py, BENCHMARKS.md.)"""
    import httpx

    url, process, log = serving
    # 1 GiB declared and none sent: an answer at all means it was not waited for
    answer = _raw(
        url,
        b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
        b"\r\nContent-Length: 1073741824\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413")

    def flood():  # 80 MiB streamed without a length
        for _ in range(80):
            yield b" " * (1 << 20)

    try:
        streamed = httpx.post(f"{url}/predict", content=flood(), timeout=60)
        assert streamed.status_code == 413
    except httpx.HTTPError:
        pass  # the service may close the connection once it has refused
    big = {"tasks": [{"data": {"claim": "Cameras keep us safe. " * 1_400_000}}]}  # 30 MB
    assert httpx.post(f"{url}/predict", json=big, timeout=300).status_code == 200
    for body, says in ((b'{"tasks": [{"data": {"claim": "\\ud800"}}]}', "not valid Unicode"),
                       (b"[" * 200_000 + b"]" * 200_000, "nests too deeply")):  # fmt: skip
        bad = httpx.post(f"{url}/predict", content=body, timeout=60)
        assert bad.status_code == 400 and says in bad.json()["error"], bad.text
    small = httpx.post(f"{url}/predict", json={"tasks": [{"data": {"claim": "Hi."}}]})
    assert small.status_code == 200 and process.poll() is None
    assert "Traceback" not in log.read_text(errors="replace")


def test_a_claim_is_cut_before_it_is_tokenised():
    from stancebank.labeling.ml_protocol import MAX_CLAIM_CHARS

    (task,) = predict_inputs({"tasks": [{"data": {"claim": "x" * 10**7, "question": "q" * 10**6}}]})
    assert len(task.claim) == len(task.question) == MAX_CLAIM_CHARS
