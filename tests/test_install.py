"""Label Studio's own environment installs once and atomically: two first starts at once
(one installs, the other says it waits, both get a working executable), a broken
environment rebuilt with one line, a failed install that leaves nothing behind and says
why in one line. The real code runs with a stand-in wheel (a ``label_studio`` package whose
``label-studio`` script prints a line), so it takes seconds, not the three minutes of the
real install; the integration suite starts the real one."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from stancebank.labeling.install import LABEL_STUDIO_VERSION, MARKER, ensure_installed
from stancebank.labeling.net import ServerError

ENSURE = ("import sys; from pathlib import Path; "
          "from stancebank.labeling.install import ensure_installed; "
          "print(ensure_installed(Path(sys.argv[1]), requirement=sys.argv[2]))")  # fmt: skip


def _wheel(folder: Path) -> Path:
    """A minimal wheel named like the pinned Label Studio, with a console script."""
    info = f"label_studio-{LABEL_STUDIO_VERSION}.dist-info"
    files = {
        "label_studio/__init__.py": "def main():\n    print('stand-in label-studio')\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: label-studio\n"
        f"Version: {LABEL_STUDIO_VERSION}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: stancebank-tests\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": "[console_scripts]\nlabel-studio = label_studio:main\n",
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{name},sha256={digest.decode()},{len(text.encode())}")
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,"]) + "\n"
    path = folder / f"label_studio-{LABEL_STUDIO_VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def _works(venv: Path) -> None:
    assert (venv / MARKER).read_text().strip() == LABEL_STUDIO_VERSION
    assert (venv / "pyvenv.cfg").is_file()
    ran = subprocess.run([str(venv / "bin" / "label-studio")], capture_output=True, text=True)
    assert ran.returncode == 0 and ran.stdout.strip() == "stand-in label-studio", ran.stderr
    assert not list(venv.parent.glob(f".{venv.name}.staging-*"))


def test_two_first_starts_at_once_install_once_and_both_get_it(tmp_path):
    wheel, venv = _wheel(tmp_path), tmp_path / "cache" / f"label-studio-{LABEL_STUDIO_VERSION}"
    first = subprocess.Popen([sys.executable, "-c", ENSURE, str(venv), str(wheel)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    said = first.stderr.readline()  # the first holds the lock once it says so
    assert said.startswith(f"installing label-studio=={LABEL_STUDIO_VERSION} into {venv}")
    second = subprocess.run([sys.executable, "-c", ENSURE, str(venv), str(wheel)],
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    out, rest = first.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, (rest, second.stderr)
    assert second.stderr.strip() == (
        f"waiting for another stancebank to finish installing Label Studio into {venv}"
    )
    assert "Traceback" not in rest and "Successfully installed" not in said + rest  # pip: log
    assert out.strip() == second.stdout.strip() == str(venv / "bin" / "label-studio")
    _works(venv)
    assert (venv.parent / f"{venv.name}.install.log").is_file()


def test_a_broken_environment_is_rebuilt_with_one_line(tmp_path):
    wheel, venv = _wheel(tmp_path), tmp_path / f"label-studio-{LABEL_STUDIO_VERSION}"
    said: list[str] = []
    ensure_installed(venv, requirement=str(wheel), say=said.append)
    (venv / "pyvenv.cfg").unlink()  # marked complete, but no longer a venv
    ensure_installed(venv, requirement=str(wheel), say=said.append)
    assert said[1] == f"the Label Studio environment in {venv} is incomplete or broken; " \
        "rebuilding it"  # fmt: skip
    _works(venv)
    said.clear()
    ensure_installed(venv, requirement=str(wheel), say=said.append)
    assert said == []  # complete: nothing to say, nothing done


def test_a_failed_install_leaves_nothing_and_says_why_in_one_line(tmp_path):
    venv = tmp_path / f"label-studio-{LABEL_STUDIO_VERSION}"
    missing = tmp_path / "no-such-label_studio-1.23.2-py3-none-any.whl"
    with pytest.raises(ServerError) as failed:
        ensure_installed(venv, requirement=str(missing), say=lambda line: None)
    message = str(failed.value)
    assert message.startswith(f"could not install label-studio=={LABEL_STUDIO_VERSION} (log: ")
    assert "\n" not in message and "does not exist" in message
    assert not venv.exists() and not list(tmp_path.glob(f".{venv.name}.staging-*"))
