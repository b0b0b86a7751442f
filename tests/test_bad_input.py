"""Bad input: exit 2, one line naming the file (and line), no output written, no traceback."""

from __future__ import annotations

import os

import pytest

from stancebank.cli import main
from tests.conftest import INTERVIEWS


def run(argv, capsys):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.err.strip()


def _ingest_fails(path, tmp_path, capsys, *, expect, extra=()):
    out = tmp_path / "answers.jsonl"
    status, err = run(["ingest", path, "--out", out, *extra], capsys)
    assert status == 2
    assert len(err.splitlines()) == 1, err
    assert str(path) in err and expect in err
    assert "Traceback" not in err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".answers")]
    return err


def test_empty_file(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n")
    _ingest_fails(path, tmp_path, capsys, expect="empty")


def test_binary_file(tmp_path, capsys):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    _ingest_fails(path, tmp_path, capsys, expect="binary")


def test_a_nul_anywhere_is_refused_naming_its_line(tmp_path, capsys):
    """Past the first 8 KB too: a NUL there once swallowed the turns after it into an
    answer."""
    turns = "".join(f"Interviewer: Question {i}?\nKari: Answer {i}, at some length.\n"
                    for i in range(300))  # fmt: skip
    path = tmp_path / "talk.txt"
    path.write_text(turns + "Kari: one more\x00 line\nInterviewer: Last?\n", encoding="utf-8")
    assert len(turns.encode()) > 8192
    err = _ingest_fails(path, tmp_path, capsys, expect="holds a NUL character")
    assert f"{path}:601:" in err
    labelled = tmp_path / "labelled.csv"
    rows = "".join(f"Cameras help in case {i}.,benefit\n" for i in range(400))
    labelled.write_text(f"text,label\n{rows}They\x00 watch.,harm\n")
    status, err = run(["evaluate", tmp_path / "preds.jsonl", "--data", labelled], capsys)
    assert status == 2 and f"{labelled}:402: holds a NUL character" in err, err


def test_prose_without_questions(tmp_path, capsys):
    path = tmp_path / "essay.txt"
    path.write_text(
        "Cameras are everywhere now. Some people like them and some do not.\n\n"
        "This essay has no questions and no answers, only paragraphs.\n"
    )
    _ingest_fails(path, tmp_path, capsys, expect="no question/answer structure")


def test_ambiguous_legacy_encoding(tmp_path, capsys):
    path = tmp_path / "cyrillic.txt"
    path.write_bytes("1. Вопрос?\n  1. Да.\n".encode("cp1251"))
    _ingest_fails(path, tmp_path, capsys, expect="encoding")


def test_csv_missing_a_column(tmp_path, capsys):
    path = tmp_path / "survey.csv"
    path.write_text("question,answer\nWhy?,Because.\n")
    err = _ingest_fails(path, tmp_path, capsys, expect="missing column 'respondent'")
    assert f"{path}:1:" in err


def test_jsonl_bad_line_is_named(tmp_path, capsys):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"question": "Q?", "respondent": "A", "answer": "Yes."}\n{not json\n')
    err = _ingest_fails(path, tmp_path, capsys, expect="not valid JSON")
    assert f"{path}:2:" in err


def test_forced_format_that_does_not_fit(tmp_path, capsys):
    _ingest_fails(
        INTERVIEWS / "qa-city-cameras.txt", tmp_path, capsys, expect="no answers",
        extra=["--format", "markdown"],
    )  # fmt: skip


def test_missing_file(tmp_path, capsys):
    _ingest_fails(tmp_path / "nope.txt", tmp_path, capsys, expect="no such file")


def test_one_bad_file_writes_nothing_for_the_good_ones(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("")
    out = tmp_path / "answers.jsonl"
    status, err = run(["ingest", INTERVIEWS / "qa-city-cameras.txt", bad, "--out", out], capsys)
    assert status == 2 and str(bad) in err and not out.exists()


def test_existing_output_survives_a_failed_run(tmp_path, capsys):
    out = tmp_path / "answers.jsonl"
    out.write_text("earlier run\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("just prose.\n")
    status, _err = run(["ingest", bad, "--out", out], capsys)
    assert status == 2 and out.read_text() == "earlier run\n"


@pytest.mark.parametrize(
    ("content", "expect", "line"),
    [
        ('{"answer_id": "a"}\n', "lacks", 1),
        ("[1, 2]\n", "JSON object", 1),
        ('\n{"answer_id": "a", "question_id": "q", "document_id": "d", "respondent": "R1", '
         '"question": "Q?", "text": "T."}\n{"answer_id": "a", "question_id": "q", '
         '"document_id": "d", "respondent": "R1", "question": "Q?", "text": "T."}\n',
         "duplicate answer_id", 3),
    ],
)  # fmt: skip
def test_segment_rejects_bad_answers(tmp_path, capsys, content, expect, line):
    answers = tmp_path / "answers.jsonl"
    answers.write_text(content)
    out = tmp_path / "claims.jsonl"
    status, err = run(["segment", answers, "--out", out], capsys)
    assert status == 2
    assert f"{answers}:{line}:" in err and expect in err
    assert not out.exists()


def test_segment_of_an_empty_answers_file(tmp_path, capsys):
    answers = tmp_path / "answers.jsonl"
    answers.write_text("")
    status, err = run(["segment", answers, "--out", tmp_path / "claims.jsonl"], capsys)
    assert status == 2 and "no answers" in err


def _seed_claims(tmp_path):
    """The seed's answers and claims files, as ingest and segment write them."""
    answers, claims = tmp_path / "answers.jsonl", tmp_path / "claims.jsonl"
    from tests.conftest import SEED

    assert main(["-q", "ingest", str(SEED), "--out", str(answers)]) == 0
    assert main(["-q", "segment", str(answers), "--out", str(claims)]) == 0
    return answers, claims


def _rewrite_line(path, number, **changes):
    import json

    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[number - 1])
    record.update(changes)
    lines[number - 1] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return record


@pytest.mark.parametrize(
    ("changes", "expect"),
    [(dict(start=500_000, end=500_010), "offsets"), (dict(start=-3), "offsets"),
     (dict(end=0), "offsets"), (dict(start=0, end=5, text="12345"), "overlaps")],
)  # fmt: skip
def test_claim_offsets_are_checked_by_build_push_and_predict(tmp_path, capsys, changes, expect):
    answers, claims = _seed_claims(tmp_path)
    _rewrite_line(claims, 3, **changes)
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    argvs = [
        ["build", "--claims", claims, "--annotations", annotations, "--out", tmp_path / "ds"],
        # refused before the server is contacted (nothing listens on port 9)
        ["label", "push", claims, "--project", "proj", "--url", "http://127.0.0.1:9"],
    ]
    for argv in argvs:
        status, err = run(argv, capsys)
        assert status == 2, err
        assert f"{claims}:3:" in err and expect in err and len(err.splitlines()) == 1, err
    assert not (tmp_path / "ds").exists()


def test_a_claim_that_does_not_match_its_answer_is_refused_by_build(tmp_path, capsys):
    answers, claims = _seed_claims(tmp_path)
    record = _rewrite_line(claims, 2, text=None)
    _rewrite_line(claims, 2, text="x" * (record["end"] - record["start"]))
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    argv = ["build", "--claims", claims, "--annotations", annotations, "--answers", answers,
            "--out", tmp_path / "ds"]  # fmt: skip
    status, err = run(argv, capsys)
    assert status == 2 and f"{claims}:2:" in err and "is not answer" in err, err
