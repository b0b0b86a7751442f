"""The Python API, called directly as a notebook would: one keyword-only function per
command, each returning a result object, and the same errors the command line reports."""

from __future__ import annotations

import dataclasses
import inspect
import json

import pytest

import stancebank
from stancebank.dataset.errors import InputError

API = ("ingest", "segment", "build_release", "publish", "push", "pull", "add_annotators",
       "list_annotators", "status", "train", "predict", "evaluate", "compare",
       "report")  # fmt: skip


@pytest.mark.parametrize("name", API)
def test_every_command_has_a_documented_keyword_only_function(name):
    function = getattr(stancebank, name)
    parameters = inspect.signature(function).parameters.values()
    assert parameters and all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    assert function.__doc__ and len(function.__doc__.strip()) > 20


def test_import_stancebank_is_cheap():
    import subprocess
    import sys

    code = "import sys, stancebank; print(sorted(m for m in ('torch', 'label_studio_sdk', " \
           "'datasets', 'transformers') if m in sys.modules))"  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ingest_segment_build_publish(tmp_path, seed_path, seed_project):
    answers, claims = tmp_path / "answers.jsonl", tmp_path / "claims.jsonl"
    ingested = stancebank.ingest(
        files=[seed_path], out=answers, document_ids=["interview-social-credit"], progress=False
    )
    assert (ingested.answers, ingested.documents) == (16, 1)
    assert len(answers.read_text().splitlines()) == 16
    segmented = stancebank.segment(answers=answers, out=claims, progress=False)
    assert (segmented.answers, segmented.claims, segmented.non_arguments) == (16, 68, 6)

    from stancebank.dataset.build import BuildOptions
    from stancebank.dataset.release import read_release

    options = BuildOptions(seed=13)
    before = dataclasses.asdict(options)
    built = stancebank.build_release(
        claims=claims, annotations=stancebank_annotations(), out=tmp_path / "ds",
        answers=answers, options=options,
    )  # fmt: skip
    assert dataclasses.asdict(options) == before  # options are not used to carry results
    assert built.report.agreement.alpha == pytest.approx(0.979, abs=1e-3)
    assert sum(built.report.rows.values()) == 68
    assert {name: len(rows) for name, rows in read_release(built.out).items()} == (
        built.report.rows
    )

    published = stancebank.publish(
        dataset_dir=built.out, repo_id="me/stance", dry_run=True, answers=answers
    )
    assert not published.uploaded
    assert sorted(f.path for f in published.files)[0] == "README.md"

    names = tmp_path / "names.txt"  # two words of a claim, listed as if they were a name
    first_claim = json.loads(claims.read_text().splitlines()[0])["text"].split()[0:2]
    names.write_text(" ".join(first_claim) + "\n")
    with pytest.raises(stancebank.PrivacyGateError) as gate:
        stancebank.publish(dataset_dir=built.out, repo_id="me/stance", dry_run=True,
                           deny_lists=[names])  # fmt: skip
    assert gate.value.findings and all(f.kind == "name" for f in gate.value.findings)


def stancebank_annotations():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "dataset" / "annotations"


def test_bad_input_raises_input_error_naming_the_file(tmp_path):
    bad = tmp_path / "answers.jsonl"
    bad.write_text('{"answer_id": "a"}\n')
    with pytest.raises(InputError) as error:
        stancebank.segment(answers=bad, out=tmp_path / "claims.jsonl", progress=False)
    assert str(error.value).startswith(f"{bad}:1: ")
    assert not (tmp_path / "claims.jsonl").exists()


@pytest.mark.slow
def test_train_predict_evaluate_report(tiny_dataset, tmp_path, seed_answers):
    from stancebank.dataset.segment import segment_answers

    options = stancebank.TrainOptions(recipe="fine-tune", base_model="all-MiniLM-L6-v2", epochs=1,
                                      seed=3,
                                      team_examples="", probe_epochs=0,
                                      max_length=32)  # fmt: skip
    before = dataclasses.asdict(options)
    trained = stancebank.train(dataset_dir=tiny_dataset, out=tmp_path / "model",
                               options=options, cv=False, progress=False)  # fmt: skip
    assert dataclasses.asdict(options) == before
    assert (trained.out / "model.safetensors").exists()
    assert trained.metrics["training"]["extra_examples"] == {"label_descriptions": 4}

    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps(c) + "\n" for c in segment_answers(seed_answers)))
    predicted = stancebank.predict(model=trained.out, claims=claims, out=tmp_path / "p.jsonl",
                                   options=stancebank.PredictOptions(precision="fp32"),
                                   progress=False)  # fmt: skip
    assert predicted.predictions == 74
    assert predicted.model_version == trained.metrics["model_version"]
    assert predicted.model_version.startswith("stancebank-all-MiniLM-L6-v2-")

    evaluated = stancebank.evaluate(model=predicted.out, data=tiny_dataset,
                                    out=tmp_path / "eval")  # fmt: skip
    assert evaluated.metrics["macro_f1"] == trained.metrics["test"]["macro_f1"]
    assert (evaluated.out / "report.md").exists()
    binary = stancebank.evaluate(model=predicted.out, data=tiny_dataset,
                                 labels=["benefit", "harm"])  # fmt: skip
    assert set(binary.metrics["labels"]) <= {"benefit", "harm"}

    page = stancebank.report(dataset_dir=tiny_dataset, predictions=predicted.out,
                             out=tmp_path / "report.html")  # fmt: skip
    assert page.claims == 68 and page.out.read_text().startswith("<!doctype html>")


def test_the_readme_example_runs(tmp_path):
    """The "Use it from Python" example, as written, with its work/ folder in a temp dir."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)[1]
    code = code.replace('"work/', f'"{tmp_path}/')
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "'train': 47" in result.stdout and "README.md" in result.stdout
