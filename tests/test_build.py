"""Building the dataset from claims and snapshots: aggregation, agreement, splits, card,
determinism, and what bad input gets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import ClassLabel, load_dataset, load_from_disk

from stancebank.cli import main
from stancebank.dataset.aggregate import aggregate, latest_per_annotator
from stancebank.dataset.agreement import agreement_report
from stancebank.dataset.annotations_io import Annotation
from stancebank.dataset.schema import label_names
from stancebank.dataset.splits import grouped_splits

LABELS = label_names()


def _claim(i: int, answer: int, respondent: str = "R1") -> dict:
    text = f"Unit {i} of answer {answer} says something about cameras."
    return {
        "claim_id": f"doc-q{answer}-{respondent.lower()}-{i:04d}",
        "answer_id": f"doc-q{answer}-{respondent.lower()}",
        "question_id": f"doc-q{answer}", "document_id": "doc", "respondent": respondent,
        "question": f"Question {answer}?", "text": text, "start": (i % 3) * 80,
        "end": (i % 3) * 80 + len(text),
        "index": 0, "unit": "claim", "language": "en",
    }  # fmt: skip


def _ann(claim_id, annotator, stance, *, at="2026-01-01T00:00:00Z", cancelled=False, aspects=()):
    return {
        "claim_id": claim_id, "annotator": annotator, "stance": stance, "aspects": list(aspects),
        "rationale": "", "created_at": at, "updated_at": at, "lead_time": 1.0,
        "was_cancelled": cancelled, "ls_project_id": 1, "ls_task_id": 1, "ls_annotation_id": 1,
    }  # fmt: skip


def _write(path: Path, records) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _a(claim_id, annotator, stance, updated="", order=(0, 0), cancelled=False):
    from stancebank.dataset.annotations_io import parse_time

    moment = {"time": parse_time(updated)} if updated else {}
    return Annotation(claim_id, annotator, stance, (), updated, cancelled, order, **moment)


def test_latest_annotation_wins_and_cancelled_are_ignored():
    latest = latest_per_annotator(
        [
            _a("c1", "A1", "harm", "2026-01-01", (0, 1)),
            _a("c1", "A1", "benefit", "2026-01-02", (1, 1)),
            _a("c1", "A2", None, "2026-01-03", (1, 2), cancelled=True),
            _a("c1", "A2", "benefit", "2026-01-01", (0, 2)),
        ]
    )
    assert latest["c1"]["A1"].stance == "benefit"
    assert latest["c1"]["A2"].stance == "benefit"


def test_times_are_moments_not_strings():
    """An earlier moment written with a later-looking string loses: 10:00+02:00 is 08:00 UTC."""
    latest = latest_per_annotator([
        _a("c1", "A1", "harm", "2026-01-01T09:00:00Z", (1, 1)),
        _a("c1", "A1", "benefit", "2026-01-01T10:00:00+02:00", (1, 2)),
    ])  # fmt: skip
    assert latest["c1"]["A1"].stance == "harm"


@pytest.mark.parametrize("when", ["not-a-date", "2026-13-01T00:00:00Z", "yesterday"])
def test_a_time_that_is_not_iso_8601_is_refused_with_file_and_line(
    release_inputs, tmp_path, capsys, when
):
    claims_file, annotations = release_inputs
    snapshot = annotations / "snapshot-20260103T000000Z.jsonl"
    first = json.loads((annotations / "snapshot-20260101T000000Z.jsonl").read_text().split("\n")[0])
    _write(snapshot, [_ann(first["claim_id"], "A3", "harm"), _ann(first["claim_id"], "A3", "harm",
                                                                 at=when)])  # fmt: skip
    out = tmp_path / "dataset"
    assert _build(claims_file, annotations, out) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"stancebank: error: {snapshot}:2: '{when}' is not an ISO-8601 time")
    assert len(err.splitlines()) == 1 and not out.exists()


def test_a_later_pull_of_the_same_project_supersedes_an_earlier_one(release_inputs, tmp_path):
    """Only the latest snapshot of each server's project counts; snapshots without a source
    (exports, hand-written, older pulls) stand on their own."""
    from datetime import datetime, timezone

    from stancebank.dataset.annotations_io import (
        SnapshotSource,
        read_snapshots,
        write_snapshot,
    )  # fmt: skip

    claims_file, annotations = release_inputs
    claim = json.loads(claims_file.read_text().splitlines()[0])["claim_id"]
    source = SnapshotSource("http://127.0.0.1:8080", 7)
    when = datetime(2026, 2, 1, tzinfo=timezone.utc)
    write_snapshot(annotations, [_ann(claim, "A3", "harm"), _ann(claim, "A4", "harm")],
                   source=source, now=when)  # fmt: skip
    write_snapshot(annotations, [_ann(claim, "A3", "harm")], source=SnapshotSource(
        "http://127.0.0.1:8080/", 7), now=when.replace(day=2))  # fmt: skip
    read = read_snapshots(annotations, stances=tuple(LABELS.stances),
                          aspects=tuple(LABELS.aspects))  # fmt: skip
    annotators = {a.annotator for a in read if a.claim_id == claim}
    assert annotators == {"A1", "A2", "A3"}  # A4's annotation is gone from the project


def test_majority_ties_and_adjudication():
    from stancebank.dataset.annotations_io import Adjudication

    latest = latest_per_annotator(
        [_a("c1", "A1", "harm"), _a("c1", "A2", "harm"), _a("c1", "A3", "mixed"),
         _a("c2", "A1", "harm"), _a("c2", "A2", "benefit")]
    )  # fmt: skip
    labels = aggregate(latest)
    assert labels["c1"].stance == "harm" and labels["c1"].agreement == pytest.approx(
        2 / 3, abs=1e-4
    )
    assert labels["c2"].stance is None
    decided = aggregate(latest, [Adjudication("c2", "benefit", "rule 2")])
    assert decided["c2"].stance == "benefit" and decided["c2"].adjudicated


def test_agreement_against_values_worked_out_by_hand():
    # A1: a a b b   A2: a b b b  (a = harm, b = benefit)
    a1 = ["harm", "harm", "benefit", "benefit"]
    a2 = ["harm", "benefit", "benefit", "benefit"]
    annotations = [_a(f"c{i}", "A1", s) for i, s in enumerate(a1)] + [
        _a(f"c{i}", "A2", s) for i, s in enumerate(a2)
    ]
    report = agreement_report(latest_per_annotator(annotations), LABELS.stances)
    # Coincidences: o_hh=2, o_hb=o_bh=1, o_bb=4; n=8; Do=2/8; De=2*3*5/(8*7); alpha=1-Do/De.
    assert report.alpha == pytest.approx(1 - (2 / 8) / (30 / 56), abs=1e-4)
    # po = 3/4; pe = (2*1 + 2*3)/16 = 1/2; kappa = (0.75-0.5)/0.5.
    assert report.pairwise_kappa["A1-A2"] == pytest.approx(0.5)
    assert report.observed == pytest.approx(0.75)
    assert report.per_label["harm"] == pytest.approx(2 / 3, abs=1e-4)
    assert report.per_label["benefit"] == pytest.approx(0.8)
    assert report.per_label["mixed"] is None
    assert report.per_annotator["A2"] == {"harm": 1, "benefit": 3}


def test_one_annotator_has_no_agreement_figure():
    report = agreement_report(latest_per_annotator([_a("c1", "A1", "harm")]), LABELS.stances)
    assert report.alpha is None and report.units == 0


def test_splits_never_divide_a_group_and_are_deterministic():
    labels = ["harm", "benefit", "neutral", "mixed"] * 30
    groups = [f"answer-{i // 3}" for i in range(len(labels))]
    first = grouped_splits(labels, groups, seed=3)
    assert first == grouped_splits(labels, groups, seed=3)
    for group in set(groups):
        assert len({s for s, g in zip(first, groups, strict=True) if g == group}) == 1
    counts = {s: first.count(s) for s in ("train", "validation", "test")}
    assert counts["train"] > counts["validation"] > 0 and counts["test"] > 0


@pytest.fixture
def release_inputs(tmp_path):
    claims = [_claim(i, answer=i // 3, respondent=f"R{1 + (i // 3) % 2}") for i in range(60)]
    claims_file = _write(tmp_path / "claims.jsonl", claims)
    stances = ["harm", "benefit", "neutral", "mixed"]
    first, second = [], []
    for i, claim in enumerate(claims):
        first.append(_ann(claim["claim_id"], "A1", stances[i % 4], aspects=["privacy"]))
        other = stances[i % 4] if i % 5 else stances[(i + 1) % 4]
        second.append(_ann(claim["claim_id"], "A2", other, at="2026-01-02T00:00:00Z"))
    annotations = tmp_path / "annotations"
    _write(annotations / "snapshot-20260101T000000Z.jsonl", first)
    _write(annotations / "snapshot-20260102T000000Z.jsonl", second)
    (tmp_path / "stancebank.toml").write_text('[card]\nlicense = "cc-by-4.0"\n')
    return claims_file, annotations


def _build(claims_file, annotations, out, *extra):
    """``build``, in the project beside the claims file when there is one (the release
    fixture's: default labels, CC BY 4.0)."""
    project = claims_file.parent
    where = ["--project-dir", str(project)] if (project / "stancebank.toml").exists() else []
    return main([*where, "build", "--claims", str(claims_file), "--annotations",
                 str(annotations), "--out", str(out), *extra])  # fmt: skip


def test_build_writes_a_loadable_dataset_with_card(release_inputs, tmp_path, capsys):
    claims_file, annotations = release_inputs
    out = tmp_path / "dataset"
    assert _build(claims_file, annotations, out) == 0
    printed = capsys.readouterr().err
    assert "Krippendorff's alpha" in printed and "A1:" in printed
    splits = load_from_disk(str(out))
    assert isinstance(splits["train"].features["stance"], ClassLabel)
    assert splits["train"].features["stance"].names == list(LABELS.stances)
    # 12 of 60 claims are 1-1 ties (i % 5 == 0) and are left out without adjudication.
    assert sum(len(splits[s]) for s in splits) == 48
    answers = {s: set(splits[s]["answer_id"]) for s in splits}
    assert not (answers["train"] & answers["test"]) and not (
        answers["train"] & answers["validation"]
    )
    assert not (answers["validation"] & answers["test"])
    row = splits["train"][0]
    assert row["n_annotations"] == 2 and len(row["annotator_labels"]) == 2
    assert row["context"].startswith("Unit")
    hub = load_dataset(str(out))
    assert sum(len(hub[s]) for s in hub) == 48
    card = (out / "README.md").read_text(encoding="utf-8")
    metadata = card.split("---")[1]
    keys = ["license", "language", "task_categories", "task_ids", "size_categories",
            "annotations_creators", "source_datasets", "configs", "dataset_info"]  # fmt: skip
    for key in keys:
        assert f"\n{key}:" in metadata, key
    for section in ("## Motivation", "## Composition", "## Collection and segmentation",
                    "## Annotation process", "## Preprocessing", "## Privacy",
                    "## Intended uses", "## Out-of-scope uses", "## Limitations and biases",
                    "## Citation"):  # fmt: skip
        assert section in card
    report = json.loads((out / "build_report.json").read_text())
    assert len(report["ties_left_out"]) == 12
    assert f"{report['agreement']['alpha']:.3f}" in card


def test_adjudication_brings_ties_back(release_inputs, tmp_path):
    claims_file, annotations = release_inputs
    ties = [c for i, c in enumerate(_read(claims_file)) if i % 5 == 0]
    decisions = [{"claim_id": c["claim_id"], "stance": "neutral", "note": "rule 1"} for c in ties]
    _write(annotations / "adjudication.jsonl", decisions)
    out = tmp_path / "dataset"
    assert _build(claims_file, annotations, out) == 0
    splits = load_from_disk(str(out))
    assert sum(len(splits[s]) for s in splits) == 60
    assert sum(sum(splits[s]["adjudicated"]) for s in splits) == 12


def _read(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def test_identical_input_gives_identical_bytes(release_inputs, tmp_path):
    claims_file, annotations = release_inputs
    a, b = tmp_path / "a", tmp_path / "b"
    assert _build(claims_file, annotations, a) == 0 and _build(claims_file, annotations, b) == 0
    parquet = [f"data/{split}-00000-of-00001.parquet" for split in ("train", "validation", "test")]
    for name in ("README.md", *parquet):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_group_by_respondent(release_inputs, tmp_path):
    claims_file, annotations = release_inputs
    out = tmp_path / "dataset"
    assert _build(claims_file, annotations, out, "--group-by", "respondent") == 0
    splits = load_from_disk(str(out))
    seen = [set(splits[s]["respondent"]) for s in splits if len(splits[s])]
    assert sum(len(s) for s in seen) == len(set().union(*seen))


def test_unknown_stance_names_snapshot_and_line(release_inputs, tmp_path, capsys):
    claims_file, annotations = release_inputs
    out = tmp_path / "dataset"
    assert _build(claims_file, annotations, out) == 0  # an earlier release, ours
    (out / "keep.txt").write_text("earlier release")
    bad = _write(annotations / "snapshot-20260103T000000Z.jsonl",
                 [_ann(_read(claims_file)[0]["claim_id"], "A3", "harm"),
                  _ann(_read(claims_file)[1]["claim_id"], "A3", "great")])  # fmt: skip
    assert _build(claims_file, annotations, out) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: unknown stance 'great'" in err
    assert (out / "keep.txt").read_text() == "earlier release"


def test_unknown_claim_ids_are_counted_unless_none_match(release_inputs, tmp_path, capsys):
    claims_file, annotations = release_inputs
    _write(annotations / "snapshot-20260104T000000Z.jsonl", [_ann("not-a-claim", "A1", "harm")])
    assert _build(claims_file, annotations, tmp_path / "ok") == 0
    assert "1 annotated claim ids are not in the claims file" in capsys.readouterr().err
    lonely = tmp_path / "lonely"
    _write(lonely / "snapshot-20260101T000000Z.jsonl", [_ann("not-a-claim", "A1", "harm")])
    assert _build(claims_file, lonely, tmp_path / "none") == 2
    assert "no annotation matches" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_missing_or_empty_annotations_directory(release_inputs, tmp_path, capsys, make):
    claims_file, _ = release_inputs
    directory = tmp_path / "nothing"
    if make == "empty":
        directory.mkdir()
    assert _build(claims_file, directory, tmp_path / "out") == 2
    assert str(directory) in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
