"""A user's project, not the seed's: another target, another label set, three respondents
and one Norwegian answer, from ``stancebank init`` or a hand-written ``stancebank.toml``,
through Label Studio's config, the dataset card, training, the model card and the report.
Every text a user reads must carry the project's words and counts and none of the seed's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit

from stancebank.cli import main
from tests.conftest import FIXTURES

PROJECT = FIXTURES / "projects" / "workplace-faces"
SEED_WORDS = ("social credit", "credit", "china", "chinese", "surveillance", "two respondents",
              "interview-social-credit", "cameras on every corner")  # fmt: skip
"""What the seed's project says and a project about facial recognition at work must not."""
_LETTERS = {"N": "neutral", "S": "support", "O": "oppose"}


def _labels(stances: dict[str, str]) -> list[str]:
    """The fixture's stance per unit, in the claims file's order, named for ``stances``."""
    line = [ln for ln in (PROJECT / "annotations.txt").read_text().splitlines()
            if ln and not ln.startswith("#")][0]  # fmt: skip
    return [stances[letter] for letter in line]


def _annotate(claims: Path, labels: list[str], aspect: str, folder: Path) -> None:
    """Two annotators who agree, as a snapshot 'label pull' would write."""
    rows = []
    units = [json.loads(line) for line in claims.read_text().splitlines()]
    assert len(units) == len(labels)
    for unit, stance in zip(units, labels, strict=True):
        aspects = [aspect] if "clock" in unit["text"] else []
        for annotator, at in (("A1", "2026-01-01T00:00:00Z"), ("A2", "2026-01-02T00:00:00Z")):
            rows.append({"claim_id": unit["claim_id"], "annotator": annotator, "stance": stance,
                         "aspects": aspects, "updated_at": at, "was_cancelled": False})  # fmt: skip
    folder.mkdir()
    (folder / "snapshot-20260102T000000Z.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows)
    )


def _reads_english_only(fake_encoder: Path, folder: Path) -> Path:
    """The random encoder with a model card: English only, MIT."""
    shutil.copytree(fake_encoder, folder)
    (folder / "README.md").write_text("---\nlanguage: en\nlicense: mit\n---\n\n# tiny\n")
    return folder


def _pipeline(project: Path, labels: list[str], aspect: str, encoder: Path, capsys) -> dict:
    """ingest → segment → (annotations) → build → publish --dry-run → train → predict →
    report, all in ``project``; the texts a user reads, and what the commands said."""
    run = ["--project-dir", str(project)]
    answers, claims = project / "answers.jsonl", project / "claims.jsonl"
    assert main([*run, "ingest", str(project / "interview.csv"), "--out", str(answers)]) == 0
    assert main([*run, "segment", str(answers), "--out", str(claims)]) == 0
    _annotate(claims, labels, aspect, project / "annotations")
    dataset, model = project / "dataset", project / "model"
    capsys.readouterr()
    assert main([*run, "build", "--claims", str(claims), "--annotations",
                 str(project / "annotations"), "--answers", str(answers),
                 "--out", str(dataset)]) == 0  # fmt: skip
    built = capsys.readouterr().err
    assert main([*run, "publish", str(dataset), "--repo-id", "me/faces", "--dry-run"]) == 0
    capsys.readouterr()
    assert main([*run, "train", str(dataset), "--out", str(model), "--base-model", str(encoder),
                 "--ood-data", str(PROJECT / "ood.csv")]) == 0  # fmt: skip
    trained = capsys.readouterr().err
    predictions = project / "predictions.jsonl"
    assert main([*run, "predict", str(model), str(claims), "--out", str(predictions)]) == 0
    assert main([*run, "report", str(dataset), "--predictions", str(predictions),
                 "--out", str(project / "report.html")]) == 0  # fmt: skip
    from stancebank.dataset.api import use_project
    from stancebank.dataset.schema import load_schema
    from stancebank.labeling.ls_contract import label_config

    use_project(project)
    try:
        config = label_config(load_schema())
    finally:
        use_project(None)
    return {
        "config": config, "card": (dataset / "README.md").read_text(),
        "model card": (model / "README.md").read_text(),
        "report": (project / "report.html").read_text(), "built": built, "trained": trained,
        "id2label": json.loads((model / "config.json").read_text())["id2label"],
        "dataset": dataset,
    }  # fmt: skip


def _loads_without_a_warning(dataset: Path) -> list[str]:
    """``load_dataset`` on the folder (its card's YAML and Parquet, as from the Hub), in a
    fresh process: its stderr, and the stance names it reads."""
    code = ("import sys; from datasets import load_dataset; d = load_dataset(sys.argv[1]); "
            "print(d['train'].features['stance'].names)")  # fmt: skip
    env = {**os.environ, "HF_DATASETS_DISABLE_PROGRESS_BARS": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", code, str(dataset)], capture_output=True,
                          text=True, env=env)  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return json.loads(done.stdout.replace("'", '"'))


def _no_seed_words(texts: dict) -> None:
    for name in ("config", "card", "model card", "report"):
        lowered = texts[name].lower()
        assert not [w for w in SEED_WORDS if w in lowered], name


def test_another_target_and_label_set_end_to_end(tmp_path, fake_encoder, capsys):
    project = tmp_path / "faces"
    shutil.copytree(PROJECT, project)
    encoder = _reads_english_only(fake_encoder, tmp_path / "encoder")
    labels = _labels(_LETTERS)
    texts = _pipeline(project, labels, "time_clock", encoder, capsys)

    # Label Studio: the project's stances, hints and aspect titles
    assert (
        '<Choice value="support" hotkey="s" hint="argues for facial recognition'
        in (texts["config"])
    )
    assert '<Choice value="who keeps the face data"/>' in texts["config"]
    # the dataset card: its title, target, labels, licence in YAML and text, languages, counts
    card = texts["card"]
    assert "pretty_name: 'Workplace face scanners: staff stances'" in card
    assert "license: cc-by-4.0" in card and "Creative Commons Attribution 4.0" in card
    assert "language:\n- en\n- 'no'" in card
    assert "stance toward facial recognition at work" in card
    assert "27 labelled argumentative units from 9 answers of 3 respondents in 1 document" in card
    assert "| all | 9 | 8 | 10 | 27 |" in card
    assert _loads_without_a_warning(texts["dataset"]) == ["support", "oppose", "neutral"]
    # small splits said out loud, by build and by train (in its words, sklearn's silenced)
    assert "note: the test split has 6 claims: too few to judge a model on" in texts["built"]
    assert "team-written examples are labelled benefit, harm, mixed" in texts["trained"]
    assert "the data has no claims, but" in texts["trained"]
    assert "Warning" not in texts["trained"]
    # the model: its labels, and a card with the release's counts, languages and licences
    assert texts["id2label"] == {"0": "support", "1": "oppose", "2": "neutral"}
    model_card = texts["model card"]
    assert "license: mit" in model_card and "language:\n- en\n- 'no'" in model_card
    assert "Classifies one claim about facial recognition at work as `support`" in model_card
    assert "27 labelled claims from 9 answers of 3 respondents in 1 document." in model_card
    for split in ("split: test", "split: cross-validation", "out of domain"):
        assert split in model_card, split
    assert "too few to judge" in model_card
    assert "<h1>Stance report: Workplace face scanners: staff stances</h1>" in texts["report"]
    _no_seed_words(texts)


def test_the_default_labels_worded_for_the_target(tmp_path, fake_encoder, capsys):
    project = tmp_path / "faces"
    argv = ["init", str(project), "--target", "facial recognition at work", "--language", "en",
            "--language", "no", "--region", "NO"]  # fmt: skip
    assert main(argv) == 0
    assert (project / "GUIDELINES.md").read_text().startswith("#")
    path = project / "stancebank.toml"
    doc = tomlkit.parse(path.read_text())
    assert [s["value"] for s in doc["stance"]] == ["benefit", "harm", "mixed", "neutral"]
    doc["card"]["license"] = "cc-by-4.0"
    path.write_text(tomlkit.dumps(doc))
    shutil.copy(PROJECT / "interview.csv", project)
    labels = _labels({"N": "neutral", "S": "benefit", "O": "harm"})
    texts = _pipeline(project, labels, "economy_cost", fake_encoder, capsys)

    assert 'hint="presents an advantage of facial recognition at work' in texts["config"]
    assert "Stance toward facial recognition at work (keys 1-4)" in texts["config"]
    assert '<Choice value="economy &amp; cost"/>' in texts["config"]
    card = texts["card"]
    assert "pretty_name: Stance toward facial recognition at work" in card
    assert "27 labelled argumentative units from 9 answers of 3 respondents in 1 document" in card
    assert _loads_without_a_warning(texts["dataset"]) == ["benefit", "harm", "mixed", "neutral"]
    assert texts["id2label"] == {"0": "benefit", "1": "harm", "2": "mixed", "3": "neutral"}
    assert (
        "Classifies one claim about facial recognition at work as `benefit`"
        in (texts["model card"])
    )
    assert "<h1>Stance report: Stance toward facial recognition at work</h1>" in texts["report"]
    _no_seed_words(texts)


def test_init_refuses_a_folder_that_has_a_project(tmp_path, capsys):
    assert main(["init", str(tmp_path), "--target", "door cameras"]) == 0
    before = (tmp_path / "stancebank.toml").read_bytes()
    assert main(["init", str(tmp_path), "--target", "something else"]) == 2
    assert "stancebank.toml: exists already" in capsys.readouterr().err
    assert (tmp_path / "stancebank.toml").read_bytes() == before


def test_commands_run_in_a_project_folder_read_it(tmp_path):
    """No --project-dir: the nearest stancebank.toml above the working folder."""
    shutil.copytree(PROJECT, tmp_path / "faces")
    below = tmp_path / "faces" / "work"
    below.mkdir()
    code = "from stancebank.cli import main; raise SystemExit(main(['train', '--help']))"
    done = subprocess.run([sys.executable, "-c", code], cwd=below, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0
    from stancebank.dataset.project import discover, load

    assert discover(below) == tmp_path / "faces"
    assert load(discover(below)).target == "facial recognition at work"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[card]\nlicence = "mit"\n', "unknown key 'licence' in [card] (valid: pretty_name, "),
        ("[projekt]\n", "unknown section [projekt] (valid: project, stance, aspect, card, "),
        ('[project]\ntarget = "x"\n[[stance]]\nvalue = "a"\n', "stance"),
        ("[project\n", "not valid TOML"),
    ],
)
def test_a_bad_project_file_is_one_line_naming_it(tmp_path, capsys, text, says):
    (tmp_path / "stancebank.toml").write_text(text)
    assert main(["--project-dir", str(tmp_path), "segment", "x", "--out", "y"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(tmp_path / "stancebank.toml") in error
    assert says in error


def test_publish_refuses_a_release_without_a_licence_unless_allowed(tmp_path, capsys):
    project = tmp_path / "p"
    project.mkdir()
    claims = [{"claim_id": f"d-q{i}-r1-0001", "answer_id": f"d-q{i}-r1", "question_id": f"q{i}",
               "document_id": "d", "respondent": "R1", "question": "Q?", "unit": "claim",
               "text": f"Claim {i:02d}.", "start": 0, "end": 9} for i in range(12)]  # fmt: skip
    (project / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
    _annotate(project / "claims.jsonl", ["harm", "benefit", "neutral"] * 4, "privacy",
              project / "annotations")  # fmt: skip
    dataset = project / "dataset"
    assert main(["build", "--claims", str(project / "claims.jsonl"), "--annotations",
                 str(project / "annotations"), "--out", str(dataset)]) == 0  # fmt: skip
    capsys.readouterr()
    assert "License\n\nNot stated." in (dataset / "README.md").read_text()
    publish = ["publish", str(dataset), "--repo-id", "me/x", "--dry-run"]
    assert main(publish) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "[card] license" in error and "README.md" in error
    assert main([*publish, "--allow-unlicensed"]) == 0
