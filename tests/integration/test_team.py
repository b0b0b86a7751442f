"""A team against the real server: annotator accounts that can log in, the project's
overlap, and a status read from the server that matches what the annotators did."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from stancebank.dataset.jsonl import write_jsonl
from stancebank.dataset.schema import load_schema
from stancebank.labeling.ls_contract import annotation_result
from stancebank.labeling.team import ANNOTATOR_CREDENTIALS_FILE

pytestmark = pytest.mark.integration
SCHEMA = load_schema()


@pytest.fixture(scope="module")
def seed_claims_file(tmp_path_factory, seed_answers) -> Path:
    from stancebank.dataset.segment import segment_answers

    path = tmp_path_factory.mktemp("claims") / "claims.jsonl"
    write_jsonl(path, list(segment_answers(seed_answers)))
    return path


def _project(sdk, title: str):
    return next(p for p in sdk.projects.list(title=title) if p.title == title)


def _logs_in(url: str, email: str, password: str) -> bool:
    """Label Studio's own login form accepts the address and password."""
    with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as web:
        page = web.get("/user/login/")
        token = web.cookies.get("csrftoken") or re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
        ).group(1)
        answer = web.post(
            "/user/login/",
            data={"email": email, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{url}/user/login/"},
        )
        return answer.status_code == 302 and "/user/login" not in answer.headers["location"]


def test_annotators_add_creates_accounts_that_log_in_and_sets_the_overlap(
    label_studio, seed_claims_file, project_title
):
    push = label_studio.cli("label", "push", str(seed_claims_file), "--project", project_title)
    assert push.returncode == 0, push.stderr
    suffix = re.sub(r"\W", "", project_title)[-12:].lower()
    emails = [f"ann1.{suffix}@lab.example.org", f"ann2.{suffix}@lab.example.org"]
    added = label_studio.cli(
        "label", "annotators", "add", *emails, "--project", project_title, "--overlap", "2",
        "--data-dir", str(label_studio.data_dir),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "created 2 account(s), 0 already there" in added.stderr
    secrets_file = label_studio.data_dir / ANNOTATOR_CREDENTIALS_FILE
    assert secrets_file.stat().st_mode & 0o777 == 0o600
    passwords = json.loads(secrets_file.read_text())
    for email in emails:
        assert passwords[email] not in added.stdout + added.stderr
        assert _logs_in(label_studio.url, email, passwords[email])
    assert not _logs_in(label_studio.url, emails[0], "not-the-password")
    project = label_studio.sdk().projects.get(id=_project(label_studio.sdk(), project_title).id)
    assert project.maximum_annotations == 2 and project.show_overlap_first

    again = label_studio.cli("label", "annotators", "add", *emails, "--project", project_title,
                             "--data-dir", str(label_studio.data_dir))  # fmt: skip
    assert again.returncode == 0 and "created 0 account(s), 2 already there" in again.stderr
    assert json.loads(secrets_file.read_text()) == passwords  # nobody's password changed
    listed = label_studio.cli("label", "annotators", "list")
    assert set(emails) <= set(listed.stdout.split())


def test_status_counts_what_the_annotators_did(
    label_studio, seed_claims_file, project_title, tmp_path
):
    assert label_studio.cli("label", "push", str(seed_claims_file), "--project",
                            project_title).returncode == 0  # fmt: skip
    sdk = label_studio.sdk()
    project = _project(sdk, project_title)
    tasks = sorted(sdk.tasks.list(project=project.id, page_size=500), key=lambda t: t.id)
    suffix = re.sub(r"\W", "", project_title)[-12:].lower()
    users = [sdk.users.create(email=f"{n}.{suffix}@example.org", username=f"{n}{suffix}")
             for n in ("carol", "dave")]  # fmt: skip
    # carol labels 6 tasks; dave the first 4 of them: agrees on 3, disagrees on 1
    for task in tasks[:6]:
        sdk.annotations.create(id=task.id, result=annotation_result(SCHEMA, "harm"),
                               completed_by=users[0].id)  # fmt: skip
    for i, task in enumerate(tasks[:4]):
        stance = "benefit" if i == 0 else "harm"
        sdk.annotations.create(id=task.id, result=annotation_result(SCHEMA, stance),
                               completed_by=users[1].id)  # fmt: skip
    result = label_studio.cli("label", "status", "--project", project_title, "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["tasks"] == len(tasks) and status["done"] == 6
    assert sorted(status["per_annotator"].values()) == [4, 6]
    assert set(status["per_annotator"]) == {"A1", "A2"}
    assert status["overlapping"] == 4 and status["disagreements"] == 1
    assert status["alpha"] is not None and status["alpha"] < 1
    assert all(email not in result.stdout for email in (u.email for u in users))

    # an adjudication in the annotations folder settles the disagreement
    claim = tasks[0].data["claim_id"]
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    (annotations / "adjudication.jsonl").write_text(
        json.dumps({"claim_id": claim, "stance": "harm", "note": "rule 2"}) + "\n"
    )
    settled = label_studio.cli("label", "status", "--project", project_title, "--annotations",
                               str(annotations), "--json")  # fmt: skip
    assert json.loads(settled.stdout)["disagreements"] == 0
    text = label_studio.cli("label", "status", "--project", project_title)
    assert text.returncode == 0 and "6 / " in text.stdout and "disagreements waiting" in text.stdout


def _review_tasks(sdk, title):
    project = _project(sdk, title)
    return sorted(sdk.tasks.list(project=project.id, fields="all", page_size=500),
                  key=lambda t: t.id)  # fmt: skip


def test_review_in_the_browser_then_pull_writes_adjudication(
    label_studio, seed_claims_file, project_title, tmp_path
):
    from stancebank.dataset.annotations_io import read_adjudication
    from stancebank.labeling.review import RULE_NAME, STANCE_TAG, review_title

    assert label_studio.cli("label", "push", str(seed_claims_file), "--project",
                            project_title).returncode == 0  # fmt: skip
    sdk = label_studio.sdk()
    tasks = sorted(sdk.tasks.list(project=_project(sdk, project_title).id, page_size=500),
                   key=lambda t: t.id)[:4]  # fmt: skip
    suffix = re.sub(r"\W", "", project_title)[-12:].lower()
    erin, frank = (sdk.users.create(email=f"{n}.{suffix}@example.org", username=f"{n}{suffix}")
                   for n in ("erin", "frank"))  # fmt: skip
    frank_annotations = {}
    for i, task in enumerate(tasks):
        fear = annotation_result(SCHEMA, "harm", rationale="fear of being watched")
        sdk.annotations.create(id=task.id, result=fear, completed_by=erin.id)
        stance = "benefit" if i < 2 else "harm"  # disagree on the first two
        made = sdk.annotations.create(id=task.id, result=annotation_result(SCHEMA, stance),
                                      completed_by=frank.id)  # fmt: skip
        frank_annotations[task.data["claim_id"]] = made.id

    reviewed = label_studio.cli("label", "review", "--project", project_title)
    assert reviewed.returncode == 0, reviewed.stderr
    assert "2 claims disagree, 2 new review tasks" in reviewed.stderr
    title = review_title(project_title)
    review = _review_tasks(sdk, title)
    assert sorted(t.data["claim_id"] for t in review) == sorted(
        t.data["claim_id"] for t in tasks[:2]
    )
    shown = review[0].data["votes_html"]
    assert "A1" in shown and "A2" in shown and "fear of being watched" in shown
    assert erin.email not in shown and frank.email not in shown
    config = _project(sdk, title).label_config
    assert "Rule 1: Description vs. evaluation" in config
    again = label_studio.cli("label", "review", "--project", project_title)
    assert "0 new review tasks" in again.stderr and len(_review_tasks(sdk, title)) == 2

    # the adjudicator decides one claim in the browser
    decided = review[0]
    sdk.annotations.create(id=decided.id, result=[
        {"from_name": STANCE_TAG, "to_name": f"{STANCE_TAG}_claim", "type": "choices",
         "value": {"choices": ["harm"]}},
        {"from_name": RULE_NAME, "to_name": f"{STANCE_TAG}_claim", "type": "choices",
         "value": {"choices": ["Rule 2: Rewards and punishments"]}},
    ])  # fmt: skip
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    hand = {"claim_id": tasks[3].data["claim_id"], "stance": "neutral", "note": "by hand"}
    (annotations / "adjudication.jsonl").write_text(json.dumps(hand) + "\n")
    pulled = label_studio.cli("label", "pull", "--project", project_title, "--out",
                              str(annotations))  # fmt: skip
    assert pulled.returncode == 0, pulled.stderr
    assert "1 adjudications from the review project" in pulled.stderr
    lines = [json.loads(x) for x in (annotations / "adjudication.jsonl").read_text().splitlines()]
    assert lines[0] == hand  # the hand-written decision is kept
    written = lines[1]
    assert written["claim_id"] == decided.data["claim_id"] and written["stance"] == "harm"
    assert written["rule"] == "Rule 2: Rewards and punishments"
    assert re.fullmatch(r"A\d+", written["adjudicator"]) and written["adjudicated_at"]
    stances = tuple(SCHEMA.stance_values)
    assert {a.claim_id for a in read_adjudication(annotations, stances=stances)} == {
        hand["claim_id"],
        decided.data["claim_id"],
    }

    # the claim is labelled again: the decision no longer stands, the claim is back in review
    sdk.annotations.update(id=frank_annotations[decided.data["claim_id"]],
                           result=annotation_result(SCHEMA, "mixed"))  # fmt: skip
    label_studio.cli("label", "pull", "--project", project_title, "--out", str(annotations))
    left = [json.loads(x) for x in (annotations / "adjudication.jsonl").read_text().splitlines()]
    assert left == [hand]
    back = label_studio.cli("label", "review", "--project", project_title)
    assert "1 new review tasks" in back.stderr, back.stderr


def test_uncertainty_order_serves_the_least_certain_claim_first(
    label_studio, seed_claims_file, project_title, tmp_path
):
    claims = [json.loads(x) for x in seed_claims_file.read_text().splitlines()]
    claims = [c for c in claims if c["unit"] == "claim"]
    predictions = tmp_path / "preds.jsonl"
    rows = []
    for i, claim in enumerate(claims):  # the last claim in the file is the least certain
        top = 0.99 - 0.6 * i / len(claims)
        rest = (1 - top) / 3
        rows.append(
            {
                "claim_id": claim["claim_id"],
                "label": "harm",
                "model_version": "m-1",
                "scores": {"harm": top, "benefit": rest, "mixed": rest, "neutral": rest},
            }
        )
    predictions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    pushed = label_studio.cli(
        "label",
        "push",
        str(seed_claims_file),
        "--project",
        project_title,
        "--predictions",
        str(predictions),
        "--order",
        "uncertainty",
    )
    assert pushed.returncode == 0, pushed.stderr
    sdk = label_studio.sdk()
    project = sdk.projects.get(id=_project(sdk, project_title).id)
    assert project.sampling == "Uncertainty sampling" and project.model_version == "m-1"
    served = []
    for _ in range(3):
        answer = httpx.get(
            f"{label_studio.url}/api/projects/{project.id}/next/",
            timeout=60,
            headers={"Authorization": f"Token {label_studio.token}"},
        )
        assert answer.status_code == 200, answer.text
        task = answer.json()
        served.append(task["data"]["claim_id"])
        sdk.annotations.create(id=task["id"], result=annotation_result(SCHEMA, "harm"))
    assert served == [c["claim_id"] for c in reversed(claims)][:3]
    missing = label_studio.cli(
        "label", "push", str(seed_claims_file), "--project", project_title, "--order", "uncertainty"
    )
    assert missing.returncode == 2 and "needs --predictions" in missing.stderr
