"""The privacy gate and publish --dry-run."""

from __future__ import annotations

import json

import pytest

from stancebank.cli import main
from stancebank.dataset.names import name_patterns
from stancebank.dataset.privacy import find_kinds, names_in
from tests.conftest import FIXTURES
from tests.test_build import _build, release_inputs  # noqa: F401 (fixture)


def _corpus(name):
    lines = (FIXTURES / "privacy" / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


DENY = name_patterns(["Kari Nordmann"])


@pytest.mark.parametrize(("kind", "text"), _corpus("positives.tsv"))
def test_each_planted_kind_is_found(kind, text):
    assert kind in find_kinds(text, DENY)


@pytest.mark.parametrize("text", [t for (t,) in _corpus("lookalikes.tsv")])
def test_years_ranges_money_dates_and_decimals_pass(text):
    assert find_kinds(text, DENY) == []


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


def _plant(dataset_dir, text, *, column="text"):
    """Rewrite the train Parquet (only: the Arrow copy stays clean) with ``text`` appended to
    the first row's ``column``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = dataset_dir / "data" / "train-00000-of-00001.parquet"
    table = pq.read_table(path)
    values = table.column(column).to_pylist()
    values[0] += text
    table = table.set_column(table.schema.get_field_index(column), column, pa.array(values))
    pq.write_table(table, path)
    return table.column("claim_id")[0].as_py()


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


def test_the_gate_scans_the_parquet_that_is_uploaded_ids_included(built, capsys):
    """Personal data only in the Parquet (the Arrow copy is clean) is found, in any column."""
    _plant(built, " Reach me at +47 912 34 567.", column="question")
    _plant(built, "-kari-nordmann", column="answer_id")
    deny = built.parent / "deny.txt"
    deny.write_text("Kari Nordmann\n")
    argv = ["publish", str(built), "--repo-id", "me/x", "--dry-run", "--deny-list", str(deny)]
    assert main(argv) == 2
    out = capsys.readouterr().out
    assert "\tquestion\tphone" in out and "\tanswer_id\tname" in out
    assert "kari" not in out.lower() and "912" not in out


def test_a_file_changed_after_the_scan_is_not_uploaded(built):
    from stancebank.dataset.errors import InputError
    from stancebank.dataset.publish import privacy_findings, read_upload, upload_files

    files = read_upload(built)
    assert privacy_findings(built, files, []) == []
    _plant(built, " Mail kari@example.no.")  # rewritten between the scan and the upload
    with pytest.raises(InputError, match="changed after the privacy gate scanned it"):
        upload_files(built, files, "me/x", private=True)


@pytest.mark.parametrize(
    ("content", "expect"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"), ("Kari Nordmann\n".encode("utf-16"), None)],
)
def test_deny_lists_in_utf16_are_read_and_binary_ones_refused(built, tmp_path, capsys, content,
                                                              expect):  # fmt: skip
    _plant(built, " Ask Kari Nordmann.")
    deny = tmp_path / "deny.txt"
    deny.write_bytes(content)
    argv = ["publish", str(built), "--repo-id", "me/x", "--dry-run", "--deny-list", str(deny)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    if expect:
        assert expect in captured.err and len(captured.err.strip().splitlines()) == 1
    else:
        assert "\ttext\tname" in captured.out


def test_a_folder_as_deny_list_is_one_line(built, tmp_path, capsys):
    argv = ["publish", str(built), "--repo-id", "me/x", "--dry-run", "--deny-list", str(tmp_path)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "is a directory" in err and len(err.splitlines()) == 1
