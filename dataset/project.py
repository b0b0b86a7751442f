"""A project: a folder with ``stancebank.toml`` that says what the stance is toward, which
labels annotators choose from, what the dataset card cannot know, which languages and
phone regions the data has, and where its Label Studio server and model come from.

Every command run inside the folder (or below it), or given ``--project-dir DIR``, reads
it (:func:`discover`, :func:`activate`); options on the command line override it. Without
one, the default project is "surveillance" with the benefit / harm / mixed / neutral labels
of :mod:`stancebank.dataset.schema`. ``stancebank init DIR --target TEXT`` writes one.

The file (keys the checks rely on)::

    [project]       name, target, languages = ["en", "no"], regions = ["NO"]
    [[stance]]      value, definition, hotkey, colour, polar, prototype   (one per stance)
    [[aspect]]      value, title                                          (one per aspect)
    [card]          pretty_name, license (SPDX) or license_name + license_link,
                    license_details, source, annotators, annotations_creators, citation,
                    limitations
    [label_studio]  data_dir, port, url, project
    [model]         base_model, recipe, languages
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancebank.dataset.errors import InputError
from stancebank.dataset.schema import (
    ASPECT_NAME,
    DEFAULT_TARGET,
    RATIONALE_NAME,
    STANCE_NAME,
    Aspect,
    Schema,
    Stance,
    default_schema,
    worded,
)

PROJECT_FILE = "stancebank.toml"
GUIDELINES_FILE = "GUIDELINES.md"
SECTIONS = {
    "project": ("name", "target", "languages", "regions"),
    "stance": ("value", "definition", "hotkey", "colour", "polar", "prototype"),
    "aspect": ("value", "title"),
    "card": ("pretty_name", "license", "license_name", "license_link", "license_details",
             "source", "annotators", "annotations_creators", "citation", "limitations"),
    "label_studio": ("data_dir", "port", "url", "project"),
    "model": ("base_model", "recipe", "languages"),
}  # fmt: skip
"""Every key the file may hold, by section: anything else is refused with the valid ones."""
_COLOURS = ("#2a9d8f", "#d1495b", "#edae49", "#9aa5b1", "#6a4c93", "#1982c4", "#8ac926")


@dataclass(frozen=True)
class Project:
    """A project's settings (the file's, or the defaults)."""

    root: Path | None
    """The folder holding ``stancebank.toml`` (None: no project file, the defaults)."""
    name: str
    target: str
    schema: Schema
    languages: tuple[str, ...] = ()
    """Languages of the data (ISO 639-1), declared; the data's own are found as it is read."""
    regions: tuple[str, ...] = ()
    """Phone regions the privacy gate looks for beside the languages' (``NO``, ``CN``)."""
    card: dict[str, str] = field(default_factory=dict)
    label_studio: dict[str, Any] = field(default_factory=dict)
    model: dict[str, Any] = field(default_factory=dict)

    @property
    def file(self) -> Path | None:
        return self.root / PROJECT_FILE if self.root else None

    @property
    def guidelines(self) -> Path | None:
        """The project's own guidelines (``GUIDELINES.md`` beside the file), if any."""
        if self.root and (self.root / GUIDELINES_FILE).is_file():
            return self.root / GUIDELINES_FILE
        return None

    def path(self, value: str | None) -> Path | None:
        """A path from the file, relative to the project folder."""
        if not value:
            return None
        path = Path(os.path.expanduser(value))
        return path if path.is_absolute() or self.root is None else self.root / path


def default_project(target: str = DEFAULT_TARGET) -> Project:
    return Project(root=None, name="stancebank", target=target, schema=default_schema(target))


_active: Project | None = None


def active() -> Project:
    """The project commands and the Python API read (the default one unless activated)."""
    return _active if _active is not None else _DEFAULT


def activate(project: Project | None) -> None:
    """Make ``project`` the one every stage reads (None: back to the defaults)."""
    global _active
    _active = project


def discover(start: str | Path | None = None) -> Path | None:
    """The folder of the nearest ``stancebank.toml`` in ``start`` (default: the working
    folder) or above it, or None."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def load(folder: str | Path) -> Project:
    """The project of ``folder`` (or of the file itself); one line naming the file on any
    fault: not TOML, an unknown section or key (with the valid ones), a bad stance table."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    folder = Path(folder)
    path = folder if folder.name == PROJECT_FILE else folder / PROJECT_FILE
    if not path.is_file():
        raise InputError(folder, f"no {PROJECT_FILE} here (make one with 'stancebank init')")
    try:
        raw = tomlkit.parse(path.read_text(encoding="utf-8")).unwrap()
    except ParseError as error:
        line = getattr(error, "line", None)
        raise InputError(path, f"not valid TOML ({error})", line=line) from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    _check_keys(path, raw)
    project = raw.get("project", {})
    target = _text(path, project, "target", DEFAULT_TARGET)
    return Project(
        root=path.parent.resolve(),
        name=_text(path, project, "name", path.parent.resolve().name),
        target=target,
        schema=_schema(path, raw, target),
        languages=tuple(_codes(path, project, "languages")),
        regions=tuple(r.upper() for r in _codes(path, project, "regions")),
        card={k: _text(path, raw.get("card", {}), k, "") for k in raw.get("card", {})},
        label_studio=dict(raw.get("label_studio", {})),
        model=dict(raw.get("model", {})),
    )


def _check_keys(path: Path, raw: dict) -> None:
    for section, value in raw.items():
        if section not in SECTIONS:
            raise InputError(path, f"unknown section [{section}] (valid: "
                             f"{', '.join(SECTIONS)})")  # fmt: skip
        tables = value if isinstance(value, list) else [value]
        for table in tables:
            if not isinstance(table, dict):
                raise InputError(path, f"[{section}] must be a table")
            unknown = sorted(set(table) - set(SECTIONS[section]))
            if unknown:
                raise InputError(path, f"unknown key '{unknown[0]}' in [{section}] (valid: "
                                 f"{', '.join(SECTIONS[section])})")  # fmt: skip


def _text(path: Path, table: dict, key: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise InputError(path, f"'{key}' must be text")
    return value


def _codes(path: Path, table: dict, key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(path, f'\'{key}\' must be a list of codes, e.g. ["en", "no"]')
    return list(value)


def _schema(path: Path, raw: dict, target: str) -> Schema:
    """The file's stances and aspects, each missing one taken from the default labels."""
    default = default_schema(target)
    stances = default.stances
    if "stance" in raw:
        tables = raw["stance"] if isinstance(raw["stance"], list) else [raw["stance"]]
        if len(tables) < 2:
            raise InputError(path, "a project needs at least two [[stance]] tables")
        stances = tuple(_stance(path, t, i, target) for i, t in enumerate(tables))
        values = [s.value for s in stances]
        if len(set(values)) != len(values):
            raise InputError(path, "two [[stance]] tables have the same value")
        if sum(s.polar for s in stances) not in (0, 2):
            raise InputError(path, "mark exactly two stances (the opposite sides) polar = true")
    aspects = default.aspects
    if "aspect" in raw:
        tables = raw["aspect"] if isinstance(raw["aspect"], list) else [raw["aspect"]]
        aspects = tuple(
            Aspect(value=_value(path, t, "aspect"), title=str(t.get("title") or t["value"]))
            for t in tables
        )
    return Schema(stance_name=STANCE_NAME, stances=stances, aspect_name=ASPECT_NAME,
                  aspects=aspects, rationale_name=RATIONALE_NAME, target=target)  # fmt: skip


def _value(path: Path, table: dict, section: str) -> str:
    value = table.get("value")
    if not isinstance(value, str) or not value.replace("_", "").isalnum() or not value.islower():
        raise InputError(path, f"each [[{section}]] needs a value of lower-case letters, digits "
                         f"and '_' (got {value!r})")  # fmt: skip
    return value


def _stance(path: Path, table: dict, index: int, target: str) -> Stance:
    value = _value(path, table, "stance")
    return Stance(
        value=value,
        hotkey=str(table.get("hotkey", index + 1)),
        definition=worded(str(table.get("definition", value)), target),
        colour=str(table.get("colour", _COLOURS[index % len(_COLOURS)])),
        polar=bool(table.get("polar", False)),
        prototype=worded(str(table.get("prototype", f"{value}: {{target}}")), target),
    )


def init(folder: str | Path, *, target: str, name: str | None = None,
         languages: list[str] | tuple[str, ...] = (), regions: list[str] | tuple[str, ...] = (),
         guidelines: str | None = None) -> Path:  # fmt: skip
    """Write ``FOLDER/stancebank.toml`` for ``target`` — the default labels written out so
    they can be edited, the card's facts to fill in — and ``GUIDELINES.md`` (``guidelines``,
    the text to start from). Refuses a folder that has a project file already."""
    import tomlkit

    folder = Path(folder)
    path = folder / PROJECT_FILE
    if path.exists():
        raise InputError(path, "exists already; edit it, or choose another folder")
    if not target.strip():
        raise InputError("--target", "say what the stance is toward, e.g. \"facial recognition "
                         "at work\"")  # fmt: skip
    schema = default_schema(target.strip())
    doc = tomlkit.document()
    doc.add(tomlkit.comment("stancebank project: what the stance is toward, the labels, the "
                            "card's facts, where the server runs."))  # fmt: skip
    project = tomlkit.table()
    project.add("name", name or folder.resolve().name)
    project.add("target", target.strip())
    project.add("languages", list(languages))
    project.add("regions", [r.upper() for r in regions])
    doc.add("project", project)
    stances = tomlkit.aot()
    for stance in schema.stances:
        table = tomlkit.table()
        for key in ("value", "definition", "hotkey", "colour", "polar", "prototype"):
            table.add(key, getattr(stance, key))
        stances.append(table)
    doc.add("stance", stances)
    aspects = tomlkit.aot()
    for aspect in schema.aspects:
        table = tomlkit.table()
        table.add("value", aspect.value)
        table.add("title", aspect.title)
        aspects.append(table)
    doc.add("aspect", aspects)
    card = tomlkit.table()
    card.add(tomlkit.comment("What the dataset card cannot know; publish refuses a release "
                             "without a licence."))  # fmt: skip
    for key, hint in (("pretty_name", f"Stance toward {target.strip()}"), ("license", ""),
                      ("source", ""), ("annotators", ""), ("citation", ""),
                      ("limitations", "")):  # fmt: skip
        card.add(key, hint)
    doc.add("card", card)
    doc.add("label_studio", tomlkit.table())
    doc.add("model", tomlkit.table())
    folder.mkdir(parents=True, exist_ok=True)
    from stancebank.dataset.jsonl import atomic_write_text

    atomic_write_text(path, tomlkit.dumps(doc))
    if guidelines is not None and not (folder / GUIDELINES_FILE).exists():
        atomic_write_text(folder / GUIDELINES_FILE, guidelines)
    return path


def record(project: Project, section: str, values: dict[str, Any]) -> None:
    """Set keys of one section in the project file, keeping its comments and layout (the
    server's data dir after ``server start``, say)."""
    import tomlkit

    from stancebank.dataset.jsonl import atomic_write_text

    if project.file is None:
        return
    doc = tomlkit.parse(project.file.read_text(encoding="utf-8"))
    table = doc.get(section)
    if table is None:
        table = tomlkit.table()
        doc.add(section, table)
    changed = False
    for key, value in values.items():
        if table.get(key) != value:
            table[key] = value
            changed = True
    if changed:
        atomic_write_text(project.file, tomlkit.dumps(doc))


_DEFAULT = default_project()

__all__ = ["PROJECT_FILE", "Project", "activate", "active", "default_project", "discover",
           "init", "load", "record"]  # fmt: skip
