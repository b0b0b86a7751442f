"""The shipped seed release: rebuilt from the shipped snapshots, byte for byte, and clean."""

from __future__ import annotations

import json
import re

from datasets import load_from_disk

from stancebank.cli import main
from stancebank.dataset.aggregate import latest_per_annotator
from stancebank.dataset.annotations_io import read_adjudication, read_snapshots
from stancebank.dataset.schema import label_names
from stancebank.dataset.segment import segment_answers
from tests.conftest import ROOT, SEED_PROJECT

ANNOTATIONS = ROOT / "dataset" / "annotations"


def test_seed_release_rebuilds_identically_and_covers_every_claim(tmp_path, seed_answers):
    claims = list(segment_answers(seed_answers))
    claims_file = tmp_path / "claims.jsonl"
    claims_file.write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        args = ["--project-dir", str(SEED_PROJECT), "build", "--claims", str(claims_file),
                "--annotations", str(ANNOTATIONS)]  # fmt: skip
        assert main([*args, "--out", str(out)]) == 0
    for name in ["README.md", *(p.relative_to(outs[0]) for p in outs[0].glob("data/*"))]:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    splits = load_from_disk(str(outs[0]))
    labelled = {row["claim_id"] for split in splits.values() for row in split}
    arguments = {c["claim_id"] for c in claims if c["unit"] == "claim"}
    report = json.loads((outs[0] / "build_report.json").read_text())
    assert labelled | set(report["ties_left_out"]) == arguments
    assert main(["publish", str(outs[0]), "--repo-id", "me/seed", "--dry-run"]) == 0


def test_seed_release_is_double_annotated_and_every_disagreement_adjudicated_by_a_rule(
    seed_answers, seed_project
):
    names = label_names()
    annotations = read_snapshots(ANNOTATIONS, stances=names.stances, aspects=names.aspects)
    latest = latest_per_annotator(annotations)
    arguments = {c["claim_id"] for c in segment_answers(seed_answers) if c["unit"] == "claim"}
    assert set(latest) == arguments
    assert all(len(by_annotator) >= 2 for by_annotator in latest.values())
    disagreements = {
        claim_id
        for claim_id, by_annotator in latest.items()
        if len({a.stance for a in by_annotator.values()}) > 1
    }
    decisions = read_adjudication(ANNOTATIONS, stances=names.stances)
    assert {d.claim_id for d in decisions} == disagreements
    guidelines = (ROOT / "dataset" / "seed" / "GUIDELINES.md").read_text(encoding="utf-8")
    rules = set(re.findall(r"^(\d+)\. \*\*", guidelines, flags=re.MULTILINE))
    for decision in decisions:
        named = re.findall(r"\b[Rr]ule (\d+)", decision.note)
        assert named and set(named) <= rules, decision.note
