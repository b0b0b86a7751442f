"""Speaker names never reach an output: any case, Unicode form, genitive, or name part."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancebank.cli import main
from stancebank.dataset.interview import ingest_files
from stancebank.dataset.names import COMMON_WORDS, ROLE_WORDS, fold

INTERVIEW = """Interviewer: What do you think of the cameras on the square?
Kari Nordmann: I think {a} is right that they help, and {b} said so too.
Ola Hansen: I disagree with {c}. {d} trusts the police too much.

Interviewer: Would you accept cameras in schools?
Kari Nordmann: No. Cameras in schools teach children to be watched, as {e} knows.
Ola Hansen: Yes, if the footage is deleted after a week. {f} book agrees.
"""
VARIANTS = dict(a="kari", b="KARI NORDMANN", c="kari nordmann", d="Karis", e="ola", f="Nordmanns")


def _every_text_under(folder: Path) -> str:
    texts = []
    for path in folder.rglob("*"):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(texts)


def test_names_in_any_case_genitive_and_part_reach_no_output(tmp_path, capsys):
    """The exact case from the issue, through ingest, segment, build (Arrow, Parquet,
    card, report) and the file name."""
    import pyarrow.parquet as pq

    source = tmp_path / "kari-nordmann-interview.txt"
    source.write_text(INTERVIEW.format(**VARIANTS), encoding="utf-8")
    work = tmp_path / "work"
    answers, claims = work / "answers.jsonl", work / "claims.jsonl"
    assert main(["ingest", str(source), "--out", str(answers)]) == 0
    assert main(["segment", str(answers), "--out", str(claims)]) == 0
    annotations = work / "annotations"
    annotations.mkdir()
    rows = [json.loads(line) for line in claims.read_text().splitlines()]
    (annotations / "snapshot-20260101T000000Z.jsonl").write_text("".join(
        json.dumps({"claim_id": r["claim_id"], "annotator": "A1", "stance": "harm",
                    "aspects": [], "updated_at": "2026-01-01T00:00:00Z",
                    "was_cancelled": False}) + "\n" for r in rows
    ))  # fmt: skip
    out = tmp_path / "dataset"
    args = ["build", "--claims", claims, "--annotations", annotations, "--answers", answers]
    assert main([str(a) for a in [*args, "--out", out]]) == 0
    parquet = " ".join(
        json.dumps(pq.read_table(p).to_pylist(), ensure_ascii=False)
        for p in (out / "data").glob("*.parquet")
    )
    published = _every_text_under(out) + parquet
    for name in ("kari", "nordmann", "ola", "hansen"):
        assert name not in published.lower(), name
        for path in (answers, claims):
            assert name not in path.read_text().lower(), (name, path)
    # the file name is only in the local provenance file
    provenance = json.loads((work / "answers.provenance.json").read_text())
    assert provenance["documents"][0]["file"] == str(source)


_FIRST = "ABCDEFGHIJKLMNOPRSTUVWYZÆØÅÉ"
_REST = "abcdefghijklmnoprstuvwyzæøåéü"


@st.composite
def person(draw) -> str:
    def word():
        return draw(st.sampled_from(_FIRST)) + draw(st.text(_REST, min_size=3, max_size=8))

    return f"{word()} {word()}"


def _variants(name: str, draw) -> list[str]:
    first, last = name.split()
    forms = [name, first, last, name.lower(), name.upper(), first.lower(), last.upper()]
    forms = [draw(st.sampled_from(forms)) for _ in range(4)]
    endings = ["", "'s", "’s", "s"]
    forms = [f + draw(st.sampled_from(endings)) for f in forms]
    return [unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), f) for f in forms]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_names_and_variants_never_survive(tmp_path_factory, data):
    names = data.draw(st.lists(person(), min_size=2, max_size=3, unique_by=str.lower))
    parts = {p.lower() for n in names for p in n.split()}
    given = {fold(n.split()[0]).lower() for n in names}
    if parts & ROLE_WORDS or given & COMMON_WORDS or len(parts) < 2 * len(names):
        return  # a role word, a given name that is also a word, two speakers sharing a part
    lines = []
    for question in range(2):
        lines.append(f"Interviewer: Question {question + 1} about cameras?")
        for name in names:
            mentioned = _variants(data.draw(st.sampled_from(names)), data.draw)
            lines.append(f"{name}: I said " + ", then ".join(mentioned) + " agrees.")
    path = tmp_path_factory.mktemp("interview") / "talk.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    answers = ingest_files([path])
    written = unicodedata.normalize("NFC", json.dumps(answers, ensure_ascii=False)).lower()
    assert len({a["respondent"] for a in answers}) == len(names)
    for part in parts:
        word = re.escape(unicodedata.normalize("NFC", part))
        assert not re.search(rf"(?<!\w){word}(?:['’]s|['’]|s)?(?!\w)", written), part


def _pipeline(tmp_path, text: str) -> str:
    """ingest → segment → build of one interview; every byte the release and the work
    files hold, Parquet decoded, as one lower-case string."""
    import pyarrow.parquet as pq

    source = tmp_path / "interview.txt"
    source.write_text(text, encoding="utf-8")
    work = tmp_path / "work"
    answers, claims = work / "answers.jsonl", work / "claims.jsonl"
    assert main(["ingest", str(source), "--out", str(answers)]) == 0
    assert main(["segment", str(answers), "--out", str(claims)]) == 0
    rows = [json.loads(line) for line in claims.read_text().splitlines()]
    annotations = work / "annotations"
    annotations.mkdir()
    (annotations / "snapshot-20260101T000000Z.jsonl").write_text("".join(
        json.dumps({"claim_id": r["claim_id"], "annotator": "A1", "stance": "harm",
                    "aspects": [], "updated_at": "2026-01-01T00:00:00Z",
                    "was_cancelled": False}) + "\n" for r in rows
    ))  # fmt: skip
    out = tmp_path / "dataset"
    args = ["build", "--claims", claims, "--annotations", annotations, "--answers", answers]
    assert main([str(a) for a in [*args, "--out", out]]) == 0
    parquet = " ".join(
        json.dumps(pq.read_table(p).to_pylist(), ensure_ascii=False)
        for p in (out / "data").glob("*.parquet")
    )
    texts = [_every_text_under(out), parquet, answers.read_text(), claims.read_text()]
    return unicodedata.normalize("NFC", "\n".join(texts)).lower()


def test_a_chinese_respondent_is_pseudonymised_in_chinese_prose(tmp_path):
    published = _pipeline(tmp_path, (
        "采访者：你怎么看社会信用体系？\n"
        "王小明：我觉得它有好处。我是王小明，朋友都叫我小明。\n"
        "李华：我不同意王小明的看法，监控让人害怕。\n"
    ))  # fmt: skip
    assert "王小明" not in published and "小明" not in published and "李华" not in published
    assert "我觉得它有好处" in published  # the answer itself is kept


def test_name_forms_without_diacritics_handles_and_line_breaks_reach_no_output(tmp_path):
    published = _pipeline(tmp_path, (
        "Interviewer: What do you think of the cameras?\n"
        "Tomasz Wróbel: As tomasz wrobel I say yes; Wrobel's friends agree.\n"
        "Ola Hansen: Ask @tomasz_wrobel85 or TomaszWrobel on the forum. My interview with\n"
        "Wró-\nbel was long.\n"
    ))  # fmt: skip
    for form in ("tomasz", "wrobel", "wróbel", "wró-", "hansen"):
        assert form not in published, form


def test_a_given_name_that_is_a_word_is_replaced_only_where_it_is_a_name(tmp_path):
    published = _pipeline(tmp_path, (
        "Interviewer: Do the cameras work?\n"
        "Per Olav Berg: Yes, about 40 per cent of thefts stopped. Per cent is per cent.\n"
        "Kari Holm: I asked Per about it, and Olav agreed with Berg.\n"
    ))  # fmt: skip
    assert "40 per cent" in published and "per cent is per cent" in published
    assert "asked per " not in published and "olav" not in published
    assert "berg" not in published
