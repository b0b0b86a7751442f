"""The privacy gate and publish --dry-run."""

from __future__ import annotations

import json

import pytest
from datasets import load_from_disk

from stancebank.cli import main
from stancebank.dataset.privacy import find_kinds, names_in
from tests.test_build import _build, release_inputs  # noqa: F401 (fixture)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to anna.berg@example.org today", "email"),
        ("call +47 912 34 567 after six", "phone"),
        ("or (555) 123-4567", "phone"),
        ("see https://example.org/x", "url"),
        ("my ID is 12345678901", "id_number"),
    ],
)
def test_each_kind_is_found(text, kind):
    assert kind in find_kinds(text)


@pytest.mark.parametrize(
    "text",
    ["the Cultural Revolution (1966-76) ended", "Article 35 of the Constitution",
     "within seven minutes", "China from 2020"],
)  # fmt: skip
def test_ordinary_text_passes(text):
    assert find_kinds(text) == []


def test_names_from_a_preface():
    preface = "Gjester er Helene Jørum og Martin Maurtvedt. Hele episoden kan du høre her."
    assert {"Helene Jørum", "Martin Maurtvedt"} <= names_in([preface])


@pytest.fixture
def built(release_inputs, tmp_path):  # noqa: F811
    claims_file, annotations = release_inputs
    out = tmp_path / "dataset"
    assert _build(claims_file, annotations, out) == 0
    return out


def test_dry_run_lists_what_would_be_uploaded(built, capsys):
    assert main(["publish", str(built), "--repo-id", "me/stance", "--dry-run"]) == 0
    out = capsys.readouterr()
    assert "README.md" in out.out and "data/train-00000-of-00001.parquet" in out.out
    assert "build_report.json" not in out.out and "privacy gate passed" in out.err


def _plant(dataset_dir, text):
    """Rewrite the saved dataset with ``text`` appended to the first training claim."""
    splits = load_from_disk(str(dataset_dir))
    train = splits["train"].map(
        lambda row, i: {"text": row["text"] + (text if i == 0 else "")}, with_indices=True
    )
    splits["train"] = train
    tmp = dataset_dir.with_name("planted")
    splits.save_to_disk(str(tmp))
    for item in tmp.iterdir():
        target = dataset_dir / item.name
        if target.is_dir():
            import shutil

            shutil.rmtree(target)
        item.rename(target)
    return train[0]["claim_id"]


def test_planted_email_and_phone_are_refused(built, capsys):
    claim_id = _plant(built, " Mail me at ola.nordmann@example.no or call +47 912 34 567.")
    assert main(["publish", str(built), "--repo-id", "me/stance", "--dry-run"]) == 2
    out = capsys.readouterr()
    assert f"{claim_id}\ttext\temail" in out.out and f"{claim_id}\ttext\tphone" in out.out
    assert "ola.nordmann" not in out.out + out.err  # the report does not repeat the finding
    assert "nothing uploaded" in out.err


def test_names_from_the_deny_list_and_prefaces(built, tmp_path, capsys):
    _plant(built, " As Kari Holm said.")
    deny = tmp_path / "deny.txt"
    deny.write_text("# people never to publish\nKari Holm\n")
    assert (
        main(["publish", str(built), "--repo-id", "me/x", "--dry-run", "--deny-list", str(deny)])
        == 2
    )
    assert "\tname" in capsys.readouterr().out
    answers = tmp_path / "answers.jsonl"
    answers.write_text(json.dumps({
        "answer_id": "a", "question_id": "q", "document_id": "d", "respondent": "R1",
        "question": "Q?", "text": "T.", "context": "Intervjuet av Kari Holm i Oslo.",
    }) + "\n")  # fmt: skip
    assert (
        main(["publish", str(built), "--repo-id", "me/x", "--dry-run", "--answers", str(answers)])
        == 2
    )
