"""The shipped seed release: rebuilt from the shipped snapshots, byte for byte, and clean."""

from __future__ import annotations

import json

from datasets import load_from_disk

from dataset.segment import segment_answers
from scripts.cli import main
from tests.conftest import ROOT

ANNOTATIONS = ROOT / "dataset" / "annotations"


def test_seed_release_rebuilds_identically_and_covers_every_claim(tmp_path, seed_answers):
    claims = list(segment_answers(seed_answers))
    claims_file = tmp_path / "claims.jsonl"
    claims_file.write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        args = ["build", "--claims", str(claims_file), "--annotations", str(ANNOTATIONS)]
        assert main([*args, "--out", str(out)]) == 0
    for name in ["README.md", *(p.relative_to(outs[0]) for p in outs[0].glob("data/*"))]:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    splits = load_from_disk(str(outs[0]))
    labelled = {row["claim_id"] for split in splits.values() for row in split}
    arguments = {c["claim_id"] for c in claims if c["unit"] == "claim"}
    report = json.loads((outs[0] / "build_report.json").read_text())
    assert labelled | set(report["ties_left_out"]) == arguments
    assert main(["publish", str(outs[0]), "--repo-id", "me/seed", "--dry-run"]) == 0
