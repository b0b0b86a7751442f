"""The privacy gate and publish --dry-run."""

from __future__ import annotations

import json

import pytest

from stancebank.cli import main
from stancebank.dataset.names import name_patterns
from stancebank.dataset.privacy import find_kinds, names_in, regions_for
from tests.conftest import FIXTURES
from tests.test_build import _build, release_inputs  # noqa: F401 (fixture)


def _corpus(*names):
    rows = []
    for name in names:
        lines = (FIXTURES / "privacy" / name).read_text(encoding="utf-8").splitlines()
        rows += [line.replace("\\n", "\n").split("\t") for line in lines
                 if line.strip() and not line.startswith("#")]  # fmt: skip
    return rows


DENY = name_patterns([name for (name,) in _corpus("deny.txt")])
REGIONS = regions_for(["en", "no", "zh"])  # English, Norwegian and Chinese data


@pytest.mark.parametrize(("kind", "text"), _corpus("positives.tsv", "heldout-positives.tsv"))
def test_each_planted_kind_is_found_in_english_norwegian_and_chinese(kind, text):
    assert kind in find_kinds(text, DENY, REGIONS)


@pytest.mark.parametrize(
    "text", [t for (t,) in _corpus("lookalikes.tsv", "heldout-lookalikes.tsv")]
)
def test_years_money_isbns_times_and_words_that_are_names_pass(text):
    assert find_kinds(text, DENY, REGIONS) == []


def test_a_given_name_that_is_a_word_counts_capitalised_mid_sentence_or_beside_its_name():
    deny = name_patterns(["Per Olav Berg"])
    assert find_kinds("Per cent of it. About 40 per cent.", deny) == []
    assert find_kinds("I asked Per about it.", deny) == ["name"]
    assert find_kinds("per berg signed it.", deny) == ["name"]  # beside another part


def test_a_local_number_is_found_in_any_language_and_declared_regions_add_their_own():
    english_only = regions_for(["en"])  # nothing declared: the default regions too
    assert find_kinds("Call 912 34 567 or 22 33 44 55.", regions=english_only) == ["phone"]
    swedish = "Ring 070-123 45 67 i kväll."
    assert find_kinds(swedish, regions=english_only) == []
    assert find_kinds(swedish, regions=regions_for(["en"], ["SE"])) == ["phone"]


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


def test_the_cards_own_text_is_not_scanned_but_what_a_user_wrote_is(
    release_inputs,  # noqa: F811
    tmp_path,
    capsys,
):
    """A denied surname that stancebank's template itself prints ("Cohen's kappa") passes;
    the same name in a card fact, or a line added to the card by hand, is found."""
    claims_file, annotations = release_inputs
    deny = tmp_path / "deny.txt"
    deny.write_text("Rachel Cohen\n")
    out = tmp_path / "dataset"
    assert _build(claims_file, annotations, out) == 0
    assert "Cohen's kappa" in (out / "README.md").read_text()
    argv = ["publish", str(out), "--repo-id", "me/x", "--dry-run", "--deny-list", str(deny)]
    assert main(argv) == 0
    (annotations / "card.json").write_text(json.dumps({"annotators": "Rachel Cohen (a PhD)."}))
    assert _build(claims_file, annotations, out) == 0
    capsys.readouterr()
    assert main(argv) == 2
    assert "README.md\tline" in capsys.readouterr().out
    (annotations / "card.json").unlink()
    assert _build(claims_file, annotations, out) == 0
    with (out / "README.md").open("a", encoding="utf-8") as card:
        card.write("\nQuestions? Call 912 34 567.\n")
    capsys.readouterr()
    assert main(argv) == 2
    assert "\tphone" in capsys.readouterr().out


def test_publish_region_adds_a_region_and_refuses_one_that_is_none(built, capsys):
    _plant(built, " Ring 070-123 45 67 i kväll.")
    base = ["publish", str(built), "--repo-id", "me/x", "--dry-run"]
    assert main(base) == 0  # a Swedish number: not among the default regions
    assert main([*base, "--region", "se"]) == 2
    assert "\ttext\tphone" in capsys.readouterr().out
    assert main([*base, "--region", "XX"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("stancebank: error: --region: 'XX' is not a region code") and (
        len(err.splitlines()) == 1
    )
