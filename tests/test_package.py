"""What installing stancebank gives a user: one ``stancebank`` namespace (wheel and editable
install alike) and a version that matches pyproject.toml. How the package is shaped inside
is tests/test_architecture.py's."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# pyproject.toml's [project] version (tomllib is 3.11+; the project supports 3.10)
VERSION = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)[1]
STAGES = ("dataset", "labeling", "models")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # built from a copy: setuptools leaves build/ and *.egg-info beside the sources
    source = tmp_path_factory.mktemp("source") / "stancebank"
    junk = (".venv", ".git", "work", "build", "*.egg-info", "__pycache__", ".*_cache")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*junk))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    (found,) = out.glob("stancebank-*.whl")
    return found


def test_wheel_installs_only_the_stancebank_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"stancebank", f"stancebank-{VERSION}.dist-info"}
    # data the package reads at run time ships with it ...
    for needed in ("stancebank/dataset/schema.json", "stancebank/labeling/GUIDELINES.md",
                   "stancebank/models/templates/report.html",
                   "stancebank/models/examples/team_examples.jsonl",
                   "stancebank/dataset/sources/interview-social-credit.txt"):  # fmt: skip
        assert needed in names
    # ... and so does every module of the source tree (a subpackage missing from
    # pyproject.toml's `packages` would still import in the editable install) ...
    for path, _tree in (m for folder in (*STAGES, "scripts") for m in _modules(folder)):
        relative = path.relative_to(ROOT)
        folder, rest = relative.parts[0], relative.parts[1:]
        inside = ("stancebank",) if folder == "scripts" else ("stancebank", folder)
        assert "/".join((*inside, *rest)) in names, relative
    # ... and the benchmarks, experiments and shell scripts do not
    assert not [n for n in names if re.search(r"bench|experiment|\.sh$|pysbd", n)]


def test_wheel_install_runs_the_pipeline_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(target), str(wheel)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = [sys.executable, "-m", "stancebank.cli"]
    where = subprocess.run(
        [sys.executable, "-c", "import stancebank; print(stancebank.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(target))
    version = subprocess.run([*run, "--version"], cwd=tmp_path, env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
    assert version.stdout.strip() == f"stancebank {VERSION}"
    seed = target / "stancebank" / "dataset" / "sources" / "interview-social-credit.txt"
    for args in (["ingest", str(seed), "--out", "answers.jsonl"],
                 ["segment", "answers.jsonl", "--out", "claims.jsonl"]):  # fmt: skip
        result = subprocess.run([*run, *args], cwd=tmp_path, env=env, capture_output=True,
                                text=True)  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert len((tmp_path / "claims.jsonl").read_text().splitlines()) == 74


def test_editable_install_gives_the_same_namespace_and_no_bare_folders(tmp_path):
    console_script = Path(sys.executable).with_name("stancebank")
    version = subprocess.run([str(console_script), "--version"], capture_output=True, text=True,
                             check=True)  # fmt: skip
    assert version.stdout.strip() == f"stancebank {VERSION}"
    for bare in (*STAGES, "scripts"):
        probe = subprocess.run([sys.executable, "-c", f"import {bare}"], cwd=tmp_path,
                               capture_output=True, text=True)  # fmt: skip
        assert probe.returncode != 0, f"'import {bare}' works outside the checkout"


def _modules(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        if folder == "scripts" and path.parent != ROOT / "scripts":
            continue  # benchmarks and experiments are not part of the package
        yield path, ast.parse(path.read_text(encoding="utf-8"))
