from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "dataset" / "sources" / "interview-social-credit.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INTERVIEWS = FIXTURES / "interviews"


@pytest.fixture(autouse=True)
def _isolated_caches(tmp_path_factory, monkeypatch):
    """Keep Hugging Face caches out of the user's home and never reach for the hub."""
    cache = tmp_path_factory.getbasetemp() / "hf-cache"
    monkeypatch.setenv("HF_HOME", str(cache))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache / "datasets"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_answers():
    from stancebank.dataset.interview import ingest_files

    return ingest_files([SEED], ids=["interview-social-credit"])


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory, seed_answers):
    """The seed's claims with labels from a few fixed keyword rules (not a release, just
    enough rows to train and evaluate on), built by the real ``stancebank build``."""
    import json

    from stancebank.cli import main
    from stancebank.dataset.segment import segment_answers

    root = tmp_path_factory.mktemp("tiny")
    claims = [c for c in segment_answers(seed_answers) if c["unit"] == "claim"]
    (root / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
    rules = [("benefit", ("safe", "benefi", "upside", "efficien", "perks")),
             ("harm", ("distrust", "fear", "repress", "discriminat", "privacy", "monitor")),
             ("mixed", ("mixed", "not necessarily", "totally bad"))]  # fmt: skip
    records = []
    for claim in claims:
        text = claim["text"].lower()
        stance = next((s for s, words in rules if any(w in text for w in words)), "neutral")
        records.append({"claim_id": claim["claim_id"], "annotator": "A1", "stance": stance,
                        "aspects": [], "updated_at": "2026-01-01T00:00:00Z",
                        "was_cancelled": False})  # fmt: skip
    annotations = root / "annotations"
    annotations.mkdir()
    (annotations / "snapshot-20260101T000000Z.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records)
    )
    out = root / "dataset"
    args = ["build", "--claims", str(root / "claims.jsonl"), "--annotations", str(annotations)]
    assert main([*args, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, tiny_dataset):
    """A real fine-tuned model: one epoch from the offline all-MiniLM-L6-v2."""
    from pathlib import Path

    from stancebank.models.train import TrainOptions
    from stancebank.models.workflow import train_and_report

    out = tmp_path_factory.mktemp("model") / "model"
    options = TrainOptions(
        base_model="all-MiniLM-L6-v2", seed=3, team_examples="", max_length=64
    )  # the default recipe, the sentence head
    metrics = train_and_report(Path(tiny_dataset), out, options, cv=False)
    return out, metrics
