"""The command line behaves like its neighbours: --version, help on every option with its
default, one name per concept, -q/-v, and no library noise on the console."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stancebank.cli import build_parser, main
from stancebank.dataset.options import BuildOptions
from stancebank.labeling.options import DEFAULT_PORT, ServeOptions
from stancebank.models.options import (
    DEFAULT_SPLIT,
    FINE_TUNE_DEFAULTS,
    PredictOptions,
    TrainOptions,
)

ROOT = Path(__file__).resolve().parents[1]


def _commands(parser: argparse.ArgumentParser, prefix=()):
    """(path, parser) of every leaf subcommand."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix, parser
        return
    for name, sub in subs[0].choices.items():
        yield from _commands(sub, (*prefix, name))


COMMANDS = dict(_commands(build_parser()))


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"stancebank \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


@pytest.mark.parametrize("path", list(COMMANDS), ids=" ".join)
def test_every_option_and_positional_has_help_and_its_default(path):
    parser = COMMANDS[path]
    text = " ".join(parser.format_help().split())  # as read, not as wrapped
    assert "examples:" in text
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{' '.join(path)}: {action.dest} has no help"
        if action.default not in (None, False, [], argparse.SUPPRESS):
            assert f"(default: {action.default})" in text, f"{' '.join(path)} {action.dest}"


def _default(path, dest):
    return next(a.default for a in COMMANDS[path]._actions if a.dest == dest)


def test_defaults_come_from_the_options_dataclasses():
    assert _default(("build",), "seed") == BuildOptions.seed
    assert _default(("build",), "group_by") == BuildOptions.group_by
    assert _default(("train",), "recipe") == TrainOptions.recipe
    assert _default(("train",), "head_c") == TrainOptions.head_c
    assert _default(("train",), "seed") == TrainOptions.seed
    # fine-tune options default to None (so that giving one to the standard recipe is an
    # error); their help quotes the recipe's defaults
    train_help = " ".join(COMMANDS[("train",)].format_help().split())
    for default in FINE_TUNE_DEFAULTS.values():
        assert f"(default: {default}" in train_help
    assert _default(("predict",), "batch_size") == PredictOptions.batch_size
    assert _default(("predict",), "precision") == PredictOptions.precision
    assert _default(("evaluate",), "split") == _default(("report",), "split") == DEFAULT_SPLIT
    assert _default(("server", "start"), "port") == DEFAULT_PORT
    assert _default(("serve-model",), "port") == ServeOptions.port
    assert _default(("serve-model",), "retrain_every") == ServeOptions.retrain_every
    assert _default(("serve-model",), "recipe") == TrainOptions.recipe


def test_readme_quotes_the_defaults_the_code_has():
    """The README's table of defaults is checked against the parser, row by row."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `stancebank ([a-z ]+?) --([a-z-]+)` \| `([^`]*)` \|", readme, re.M)
    assert len(rows) >= 8
    for command, option, quoted in rows:
        assert str(_default(tuple(command.split()), option.replace("-", "_"))) == quoted


def test_one_name_per_concept():
    """A dataset folder is DATASET_DIR, a model folder MODEL_DIR, a claims file CLAIMS_JSONL
    wherever they appear; outputs are --out with a metavar saying file or folder."""
    seen: dict[str, set[str]] = {}
    for path, parser in COMMANDS.items():
        for action in parser._actions:
            if action.metavar:
                seen.setdefault(str(action.metavar), set()).add(action.dest)
            if "--out" in action.option_strings:
                assert re.search(r"_DIR$|_JSONL$|_FILE$", action.metavar), path
    assert seen["DATASET_DIR"] <= {"dataset_dir", "out"}
    assert seen["CLAIMS_JSONL"] <= {"claims", "out"}
    assert seen["ANSWERS_JSONL"] <= {"answers", "out"}
    assert seen["PREDICTIONS_JSONL"] <= {"predictions", "out"}


def _run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "stancebank.cli", *args], cwd=cwd,
                          capture_output=True, text=True)  # fmt: skip


def test_quiet_prints_results_only(tmp_path, seed_path):
    loud = _run("ingest", str(seed_path), "--out", "a.jsonl", cwd=tmp_path)
    quiet = _run("segment", "a.jsonl", "--out", "c.jsonl", "-q", cwd=tmp_path)
    also_quiet = _run("-q", "segment", "a.jsonl", "--out", "c2.jsonl", cwd=tmp_path)
    assert loud.returncode == quiet.returncode == also_quiet.returncode == 0
    assert "wrote 16 answers" in loud.stderr
    assert quiet.stderr == also_quiet.stderr == ""
    assert (tmp_path / "c.jsonl").read_bytes() == (tmp_path / "c2.jsonl").read_bytes()
    both = _run("segment", "a.jsonl", "--out", "c.jsonl", "-q", "-v", cwd=tmp_path)
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_model_commands_show_no_library_load_reports(fake_model, tiny_dataset, tmp_path):
    model_dir, _ = fake_model
    claims = tmp_path / "claims.jsonl"
    row = {"claim_id": "c1", "answer_id": "a", "question_id": "q", "document_id": "d",
           "respondent": "R1", "question": "Q?", "text": "Cameras keep us safe.", "start": 0,
           "end": 21}  # fmt: skip
    claims.write_text(json.dumps(row) + "\n")
    result = _run("predict", str(model_dir), str(claims), "--out", "p.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "wrote 1 predictions to p.jsonl"
    evaluated = _run("evaluate", str(model_dir), "--data", str(tiny_dataset), cwd=tmp_path)
    assert evaluated.returncode == 0, evaluated.stderr
    # only our own one-line note on the tiny test split, said once; no library's report
    assert evaluated.stderr.splitlines() == [
        "note: 9 items: too few to judge (fewer than 30); read the interval, not the point"
    ]
    assert json.loads(evaluated.stdout)["n"] > 0
