"""The shape of the package, enforced: stages that depend one way, a command line that is a
thin layer (command modules imported only by ``cli``, never by each other nor by library
code), defaults defined once and shared by the Python API and the command line, none of them
relative to the current folder, and every module importable and saying what it owns."""

from __future__ import annotations

import ast
import importlib
import inspect
from dataclasses import is_dataclass
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("dataset", "labeling", "models")
COMMAND_MODULES = ("commands", "label_commands", "model_commands", "serve_commands")
CLI_ONLY = ("cli", "arguments", "console", *COMMAND_MODULES)
"""The command line's own modules: what library code never imports."""


def _modules(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        if folder == "scripts" and path.parent != ROOT / "scripts":
            continue  # benchmarks and experiments are not part of the package
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _name(path: Path) -> str:
    """The module's import name."""
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[1:] if relative.parts[0] == "scripts" else relative.parts
    parts = parts[:-1] if parts[-1] == "__init__" else parts
    return ".".join(("stancebank", *parts))


def _imports(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _all_modules():
    for folder in (*STAGES, "scripts"):
        yield from _modules(folder)


@pytest.mark.parametrize(
    ("stage", "forbidden"),
    [
        ("dataset", ("stancebank.labeling", "stancebank.models")),
        ("labeling", ("stancebank.models",)),
        ("models", ("stancebank.labeling",)),
    ],
)
def test_stages_depend_one_way(stage, forbidden):
    """dataset is the core (formats, label schema); the stages never import the command
    line, nor the service that joins them."""
    top = tuple(f"stancebank.{m}" for m in (*CLI_ONLY, "service", "retrain_job"))
    for path, tree in _modules(stage):
        bad = [i for i in _imports(tree) if i.startswith(forbidden + top)]
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_command_modules_are_imported_by_the_cli_only():
    """Only ``cli`` imports a command module; command modules never import each other,
    and no library module (the stages, the service, the retrain job) imports the command
    line's modules."""
    commands = {f"stancebank.{m}" for m in COMMAND_MODULES}
    cli_only = {f"stancebank.{m}" for m in CLI_ONLY}
    for path, tree in _all_modules():
        name = _name(path)
        imported = _imports(tree)
        # `from stancebank import commands` shows up as stancebank.commands too
        hits = {i for i in imported for c in commands if i == c or i.startswith(c + ".")}
        if name == "stancebank.cli":
            assert hits, "cli imports the command modules"
            continue
        assert not hits, f"{path.relative_to(ROOT)} imports command module(s) {sorted(hits)}"
        if name not in cli_only:
            bad = {i for i in imported for c in cli_only if i == c or i.startswith(c + ".")}
            assert not bad, f"library module {name} imports the command line: {sorted(bad)}"


def _relative_path(value) -> bool:
    return isinstance(value, str) and value.startswith(("../", "./", "..\\"))


def test_no_default_is_relative_to_the_current_folder():
    """A default path relative to the folder a command runs in is a development
    convenience (it works only from the checkout): no parameter default, dataclass field,
    ``Path(...)`` constant or argparse default may be one."""
    for path, tree in _all_modules():
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.arguments):
                for default in (*node.defaults, *node.kw_defaults):
                    if isinstance(default, ast.Constant):
                        assert not _relative_path(default.value), f"{where}: {default.value}"
            if isinstance(node, ast.Call):
                callee = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if callee == "Path" and node.args and isinstance(node.args[0], ast.Constant):
                    assert not _relative_path(node.args[0].value), f"{where}: {node.args[0].value}"
                for keyword in node.keywords:
                    if keyword.arg == "default" and isinstance(keyword.value, ast.Constant):
                        assert not _relative_path(keyword.value.value), f"{where}: default"
            if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant):
                assert not _relative_path(node.value.value), f"{where}: {node.value.value}"


def test_every_module_imports_and_says_what_it_owns():
    """Every module of the package imports (the fast lane imports them all) and has a
    docstring."""
    for path, tree in _all_modules():
        if path.name == "__init__.py" and not tree.body:
            continue  # an empty package marker
        doc = ast.get_docstring(tree)
        assert doc and doc.strip(), f"{path.relative_to(ROOT)} has no module docstring"
        importlib.import_module(_name(path))


def test_no_code_hard_codes_the_stance_names():
    """The stances come from dataset/schema.json only."""
    from stancebank.dataset.schema import load_schema

    stances = set(load_schema().stance_values)
    for path, tree in _all_modules():
        literals = {
            node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }  # fmt: skip
        assert not literals & stances, f"{path.relative_to(ROOT)} names {literals & stances}"


class _Called(Exception):
    """Raised by a stand-in API function: what the command passed it."""

    def __init__(self, kwargs):
        self.kwargs = kwargs


COMMANDS = [
    # (argv with only what is required, the API function the handler calls)
    (["build", "--claims", "c.jsonl", "--annotations", "a", "--out", "d"],
     "stancebank.dataset.api.build_release"),
    (["ingest", "x.txt", "--out", "a.jsonl"], "stancebank.dataset.api.ingest"),
    (["publish", "d", "--repo-id", "me/x"], "stancebank.dataset.api.publish"),
    (["train", "d", "--out", "m"], "stancebank.models.api.train"),
    (["predict", "m", "c.jsonl", "--out", "p.jsonl"], "stancebank.models.api.predict"),
    (["evaluate", "m", "--data", "d"], "stancebank.models.api.evaluate"),
    (["compare", "m", "--data", "d"], "stancebank.models.api.compare"),
    (["report", "d", "--predictions", "p.jsonl", "--out", "r.html"],
     "stancebank.models.api.report"),
    (["server", "start"], "stancebank.labeling.api.start_server"),
    (["label", "push", "c.jsonl", "--project", "p"], "stancebank.labeling.api.push"),
    (["label", "annotators", "add", "a@b.org", "--project", "p"],
     "stancebank.labeling.api.add_annotators"),
    (["label", "connect-model", "--project", "p", "--backend", "http://127.0.0.1:1"],
     "stancebank.labeling.api.connect_model"),
    (["serve-model", "m"], "stancebank.service.backend"),
]  # fmt: skip


def _api_default(parameter: inspect.Parameter, given):
    """What the API resolves a parameter to when it is not given: its default, or for an
    options dataclass whose default is None, the dataclass's defaults."""
    if parameter.default is None and is_dataclass(given):
        return type(given)()
    return parameter.default


def _same(given, expected) -> bool:
    if isinstance(given, list | tuple) and isinstance(expected, list | tuple):
        return list(given) == list(expected)  # an empty list from argparse, () in the API
    return given == expected


@pytest.mark.parametrize(("argv", "target"), COMMANDS, ids=[" ".join(c[0][:2]) for c in COMMANDS])
def test_a_command_and_its_api_function_resolve_the_same_defaults(argv, target, monkeypatch):
    """Called with no options, each command passes its API function exactly the defaults
    the function has when called without them (options dataclasses included)."""
    from stancebank.cli import main

    module_name, function = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    signature = inspect.signature(getattr(module, function))

    def stand_in(*args, **kwargs):
        raise _Called(kwargs)

    monkeypatch.delenv("STANCEBANK_BACKEND_SECRET", raising=False)
    monkeypatch.delenv("STANCEBANK_DATABASE_URL", raising=False)
    with mock.patch.object(module, function, stand_in), pytest.raises(_Called) as called:
        main(argv)
    compared = 0
    for name, given in called.value.kwargs.items():
        parameter = signature.parameters[name]
        if parameter.default is inspect.Parameter.empty:
            continue  # required: the command's own positional arguments
        expected = _api_default(parameter, given)
        assert _same(given, expected), f"{' '.join(argv)}: {name} = {given!r}, API: {expected!r}"
        compared += 1
    assert compared, f"{' '.join(argv)} passes no option to compare"
