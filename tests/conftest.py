"""Shared fixtures, and the test lanes.

Markers: ``integration`` (tests/integration: a real Label Studio, on SQLite and on
PostgreSQL) and ``slow`` (trains or loads a real pretrained encoder: all-MiniLM-L6-v2 or
all-mpnet-base-v2; every test that uses ``tiny_model`` is marked so here). The fast lane,
``./scripts/test.sh --fast``, runs everything else; a random tiny encoder (``fake_encoder``)
stands in where what a model knows is not the point.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "dataset" / "sources" / "interview-social-credit.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INTERVIEWS = FIXTURES / "interviews"
INTEGRATION = Path(__file__).resolve().parent / "integration"


def pytest_collection_modifyitems(config, items):
    """Mark the lanes (see the module docstring)."""
    for item in items:
        if INTEGRATION in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)
        if "tiny_model" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


_DATABASE = re.compile(r"^tests/integration/.*\[(?:.*-)?(sqlite|postgresql)(?:-.*)?\]$")


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """In parallel (``-n 2``), all integration tests of one Label Studio database go to one
    worker, so each worker starts one server (and one PostgreSQL cluster), not both; every
    other test is handed out one at a time, as with ``--dist load``. (xdist's own
    ``loadgroup`` cannot do it with pytest 9, whose node ids it no longer rewrites.)"""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OneWorkerPerDatabase(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            found = _DATABASE.match(nodeid)
            return f"label-studio-{found[1]}" if found else nodeid

    return OneWorkerPerDatabase(config, log)


SEED_PROJECT = ROOT / "dataset" / "seed"
"""The seed interview's example project (its social-credit hints, aspects and card)."""


@pytest.fixture
def seed_project():
    """The seed's project, active for the test (the shipped snapshots use its aspects)."""
    from stancebank.dataset.api import use_project

    use_project(SEED_PROJECT)
    yield SEED_PROJECT
    use_project(None)


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
def fake_encoder(tmp_path_factory) -> Path:
    """A tiny BERT with random weights and all-MiniLM-L6-v2's tokenizer: a real transformers
    encoder folder that loads and runs in milliseconds, for tests where what a model knows
    is not the point. It knows nothing: never assert on its predictions' quality."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from stancebank.models.base import default_base_model

    folder = tmp_path_factory.mktemp("fake-encoder") / "encoder"
    tokenizer = AutoTokenizer.from_pretrained(default_base_model())
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=128)  # fmt: skip
    torch.manual_seed(0)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def fake_model(tmp_path_factory, tiny_dataset, fake_encoder):
    """A model folder trained by the default recipe on ``tiny_dataset`` from the random
    ``fake_encoder``: every file a real one has, in a second."""
    from stancebank.models.train import TrainOptions
    from stancebank.models.workflow import train_and_report

    out = tmp_path_factory.mktemp("fake-model") / "model"
    options = TrainOptions(base_model=str(fake_encoder), seed=3, team_examples="")
    metrics = train_and_report(Path(tiny_dataset), out, options, cv=False, progress=False)
    return out, metrics


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, tiny_dataset):
    """A real model: the default recipe on the offline all-MiniLM-L6-v2 (slow lane)."""
    from pathlib import Path

    from stancebank.models.train import TrainOptions
    from stancebank.models.workflow import train_and_report

    out = tmp_path_factory.mktemp("model") / "model"
    options = TrainOptions(
        base_model="all-MiniLM-L6-v2", seed=3, team_examples="", max_length=64
    )  # the default recipe (standard)
    metrics = train_and_report(Path(tiny_dataset), out, options, cv=False)
    return out, metrics
