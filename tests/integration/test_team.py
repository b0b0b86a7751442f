"""A team against the real server: annotator accounts that can log in, the project's
overlap, and a status read from the server that matches what the annotators did."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from stancebank.dataset.schema import load_schema
from stancebank.labeling.ls_contract import annotation_result
from stancebank.labeling.net import free_port
from stancebank.labeling.team import ANNOTATOR_CREDENTIALS_FILE

pytestmark = pytest.mark.integration
SCHEMA = load_schema()


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


def test_an_account_the_server_refuses_leaves_no_password(
    label_studio, seed_claims_file, project_title, monkeypatch
):
    """The server refusing one sign-up (simulated for that one call; everything else is the
    real server) takes its password out of the file again and stops with one line."""
    from stancebank.labeling import api
    from stancebank.labeling import client as ls
    from stancebank.labeling.net import ServerError

    push = label_studio.cli("label", "push", str(seed_claims_file), "--project", project_title)
    assert push.returncode == 0, push.stderr
    suffix = re.sub(r"\W", "", project_title)[-12:].lower()
    good, refused = f"fine.{suffix}@lab.example.org", f"refused.{suffix}@lab.example.org"
    real_sign_up = ls.sign_up

    def sign_up(connection, invite, address, password):
        if address == refused:
            raise ServerError(f"Label Studio did not create the account for {address}")
        real_sign_up(connection, invite, address, password)

    monkeypatch.setattr(ls, "sign_up", sign_up)
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    with pytest.raises(ServerError):
        api.add_annotators(emails=[good, refused], project=project_title,
                           data_dir=label_studio.data_dir)  # fmt: skip
    passwords = json.loads((label_studio.data_dir / ANNOTATOR_CREDENTIALS_FILE).read_text())
    assert good in passwords and refused not in passwords
    assert _logs_in(label_studio.url, good, passwords[good])


def _pushed_with_annotators(label_studio, claims_file, title: str, names: tuple[str, ...]):
    """The seed claims pushed to a new project, its tasks in order, and one new account
    per name (addresses unique to the project)."""
    assert label_studio.cli("label", "push", str(claims_file), "--project",
                            title).returncode == 0  # fmt: skip
    sdk = label_studio.sdk()
    project = _project(sdk, title)
    tasks = sorted(sdk.tasks.list(project=project.id, page_size=500), key=lambda t: t.id)
    suffix = re.sub(r"\W", "", title)[-12:].lower()
    users = [sdk.users.create(email=f"{n}.{suffix}@example.org", username=f"{n}{suffix}")
             for n in names]  # fmt: skip
    return sdk, project, tasks, users


def test_status_counts_what_the_annotators_did(
    label_studio, seed_claims_file, project_title, tmp_path
):
    sdk, project, tasks, users = _pushed_with_annotators(
        label_studio, seed_claims_file, project_title, ("carol", "dave")
    )
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


def _decision(stance: str, rule: str) -> list[dict]:
    """An adjudicator's result in the review project: the final stance and the rule."""
    from stancebank.labeling.review import RULE_NAME, STANCE_TAG

    return [
        {"from_name": name, "to_name": f"{STANCE_TAG}_claim", "type": "choices",
         "value": {"choices": [choice]}}
        for name, choice in ((STANCE_TAG, stance), (RULE_NAME, rule))
    ]  # fmt: skip


def _review_tasks(sdk, title):
    project = _project(sdk, title)
    return sorted(sdk.tasks.list(project=project.id, fields="all", page_size=500),
                  key=lambda t: t.id)  # fmt: skip


def test_review_in_the_browser_then_pull_writes_adjudication(
    label_studio, seed_claims_file, project_title, tmp_path
):
    from stancebank.dataset.annotations_io import read_adjudication
    from stancebank.labeling.review import review_title

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
    sdk.annotations.create(
        id=decided.id, result=_decision("harm", "Rule 2: Rewards and punishments")
    )
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


def test_the_whole_team_loop(label_studio, seed_claims_file, project_title, tmp_path):
    """Three accounts, overlap 2, each records annotations; status, review, adjudication in
    the browser, pull, build; re-running changes nothing; faults get one line."""
    import krippendorff
    import numpy as np
    from datasets import load_from_disk

    from stancebank.labeling.review import review_title

    cli = label_studio.cli
    assert cli("label", "push", str(seed_claims_file), "--project", project_title).returncode == 0
    suffix = re.sub(r"\W", "", project_title)[-10:].lower()
    emails = [f"{n}.{suffix}@team.example.org" for n in ("a", "b", "c")]
    added = cli("label", "annotators", "add", *emails, "--project", project_title,
                "--overlap", "2", "--data-dir", str(label_studio.data_dir))  # fmt: skip
    assert added.returncode == 0, added.stderr
    sdk = label_studio.sdk()
    ids = {u.email: u.id for u in sdk.users.list() if u.email in emails}
    project = _project(sdk, project_title)
    tasks = sorted(sdk.tasks.list(project=project.id, page_size=500), key=lambda t: t.id)[:9]
    # tasks 0-2: a+b agree; 3-5: b+c, task 3 disagrees; 6-8: a+c, tasks 6 and 7 disagree
    plan = {0: ("a", "harm", "b", "harm"), 1: ("a", "benefit", "b", "benefit"),
            2: ("a", "neutral", "b", "neutral"), 3: ("b", "harm", "c", "benefit"),
            4: ("b", "mixed", "c", "mixed"), 5: ("b", "harm", "c", "harm"),
            6: ("a", "harm", "c", "neutral"), 7: ("a", "benefit", "c", "mixed"),
            8: ("a", "neutral", "c", "neutral")}  # fmt: skip
    for i, (u1, s1, u2, s2) in plan.items():
        for user, stance in ((u1, s1), (u2, s2)):
            who = ids[f"{user}.{suffix}@team.example.org"]
            result = annotation_result(SCHEMA, stance)
            sdk.annotations.create(id=tasks[i].id, result=result, completed_by=who)
    disagreeing = {tasks[i].data["claim_id"] for i in (3, 6, 7)}

    status = json.loads(cli("label", "status", "--project", project_title, "--json").stdout)
    code = {s: k for k, s in enumerate(SCHEMA.stance_values)}
    matrix = np.full((3, 9), np.nan)
    for j, (u1, s1, u2, s2) in plan.items():
        matrix["abc".index(u1), j], matrix["abc".index(u2), j] = code[s1], code[s2]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert status["done"] == 9 and status["overlapping"] == 9 and status["disagreements"] == 3
    assert sorted(status["per_annotator"].values()) == [6, 6, 6]
    assert status["alpha"] == pytest.approx(expected, abs=1e-3)

    assert cli("label", "review", "--project", project_title).returncode == 0
    title = review_title(project_title)
    review = sorted(sdk.tasks.list(project=_project(sdk, title).id, page_size=100),
                    key=lambda t: t.id)  # fmt: skip
    assert {t.data["claim_id"] for t in review} == disagreeing
    decided = next(t for t in review if t.data["claim_id"] == tasks[3].data["claim_id"])
    sdk.annotations.create(id=decided.id, result=_decision("benefit", "Rule 3: Conditionals"))

    # re-running add, review and push changes nothing
    before = (len(list(sdk.users.list())), _project(sdk, project_title).task_number,
              _project(sdk, title).task_number)  # fmt: skip
    for argv in (
        ("label", "annotators", "add", *emails, "--project", project_title, "--overlap", "2"),
        ("label", "review", "--project", project_title),
        ("label", "push", str(seed_claims_file), "--project", project_title),
    ):
        assert cli(*argv).returncode == 0
    after = (len(list(sdk.users.list())), _project(sdk, project_title).task_number,
             _project(sdk, title).task_number)  # fmt: skip
    assert after == before

    annotations = tmp_path / "annotations"
    pulled = cli("label", "pull", "--project", project_title, "--out", str(annotations))
    assert pulled.returncode == 0 and "1 adjudications" in pulled.stderr, pulled.stderr
    out = tmp_path / "dataset"
    built = cli("build", "--claims", str(seed_claims_file), "--annotations", str(annotations),
                "--out", str(out))  # fmt: skip
    assert built.returncode == 0, built.stderr
    rows = {r["claim_id"]: r for split in load_from_disk(str(out)).values() for r in split}
    stance_names = list(SCHEMA.stance_values)
    adjudicated = rows[tasks[3].data["claim_id"]]
    assert adjudicated["adjudicated"] and stance_names[adjudicated["stance"]] == "benefit"
    assert tasks[6].data["claim_id"] not in rows  # a tie nobody adjudicated is left out
    assert len(rows) == 7

    # faults: one line each
    bad_email = cli("label", "annotators", "add", "not-an-address", "--project", project_title)
    unknown = cli("label", "status", "--project", "no-such-project-here")
    down = cli("label", "review", "--project", project_title,
               env={"LABEL_STUDIO_URL": f"http://127.0.0.1:{free_port()}"})  # fmt: skip
    for result, status_code in ((bad_email, 2), (unknown, 2), (down, 1)):
        assert result.returncode == status_code, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_status_reads_only_what_changed_and_agrees_with_a_full_read(
    label_studio, seed_claims_file, project_title, tmp_path
):
    """A second status reads the tasks changed since the first (no new export on the
    server) and reports exactly what a status with nothing remembered reports, after
    annotations were created, updated and deleted."""
    sdk, project, tasks, users = _pushed_with_annotators(
        label_studio, seed_claims_file, project_title, ("erin", "frank")
    )
    made = [sdk.annotations.create(id=t.id, result=annotation_result(SCHEMA, "harm"),
                                   completed_by=users[0].id) for t in tasks[:8]]  # fmt: skip
    for task in tasks[:4]:
        sdk.annotations.create(id=task.id, result=annotation_result(SCHEMA, "harm"),
                               completed_by=users[1].id)  # fmt: skip

    def status(cache: str) -> tuple[dict, int]:
        result = label_studio.cli("label", "status", "--project", project_title, "--json",
                                  env={"XDG_CACHE_HOME": str(tmp_path / cache)})  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout), len(sdk.projects.exports.list(project.id))

    first, exports = status("remembering")
    assert first["done"] == 8 and first["disagreements"] == 0
    sdk.annotations.update(id=made[0].id, result=annotation_result(SCHEMA, "benefit"))
    sdk.annotations.delete(id=made[7].id)
    for task in tasks[4:6]:
        sdk.annotations.create(id=task.id, result=annotation_result(SCHEMA, "benefit"),
                               completed_by=users[1].id)  # fmt: skip
    second, exports_after = status("remembering")
    assert exports_after == exports  # only the changed tasks were read
    fresh, exports_fresh = status("fresh")
    assert exports_fresh == exports + 1  # nothing remembered: a full export
    assert second == fresh
    assert second["done"] == 7 and second["overlapping"] == 6 and second["disagreements"] == 3

    # a pull remembers what it read: the status after it reads only the changes
    pulled = label_studio.cli("label", "pull", "--project", project_title, "--out",
                              str(tmp_path / "annotations"),
                              env={"XDG_CACHE_HOME": str(tmp_path / "pulled")})  # fmt: skip
    assert pulled.returncode == 0, pulled.stderr
    sdk.annotations.create(id=tasks[6].id, result=annotation_result(SCHEMA, "benefit"),
                           completed_by=users[1].id)  # fmt: skip
    exports_pulled = len(sdk.projects.exports.list(project.id))
    after_pull, exports_now = status("pulled")
    assert exports_now == exports_pulled and after_pull["disagreements"] == 4
    assert after_pull == status("fresh again")[0]
