"""One real Label Studio server per test session: fresh data dir, free port, 127.0.0.1.

Started through the real command line (``stancebank server start``). If it cannot start,
the tests fail — in CI and by default. A laptop without the server can opt out with
STANCEBANK_SKIP_LABEL_STUDIO=1, which skips them with that reason (never in CI).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from stancebank.labeling import server

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LabelStudioServer:
    url: str
    token: str
    data_dir: Path
    port: int

    def cli(self, *args: str, env: dict[str, str] | None = None, check: bool = False):
        """Run ``stancebank`` as a user would, pointed at this server."""
        full_env = {
            **os.environ,
            "LABEL_STUDIO_URL": self.url,
            "LABEL_STUDIO_API_KEY": self.token,
            "STANCEBANK_LS_DATA_DIR": str(self.data_dir),
            **(env or {}),
        }
        result = subprocess.run(
            [sys.executable, "-m", "stancebank.cli", *args],
            cwd=ROOT, env=full_env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise AssertionError(f"stancebank {' '.join(args)} failed:\n{result.stderr}")
        return result

    def sdk(self):
        from label_studio_sdk import LabelStudio

        return LabelStudio(base_url=self.url, api_key=self.token)

    def restart(self) -> None:
        assert server.stop(self.data_dir)
        url, _ = server.start(self.data_dir, port=self.port)
        assert url == self.url


def _start_via_cli(data_dir: Path, port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stancebank.cli", "server", "start",
         "--port", str(port), "--data-dir", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory) -> LabelStudioServer:
    if os.environ.get("STANCEBANK_SKIP_LABEL_STUDIO") == "1" and not os.environ.get("CI"):
        pytest.skip("STANCEBANK_SKIP_LABEL_STUDIO=1: Label Studio integration tests opted out")
    data_dir = tmp_path_factory.mktemp("label-studio")
    port = server.free_port()
    result = _start_via_cli(data_dir, port)
    if result.returncode != 0:
        pytest.fail(f"Label Studio did not start: {result.stderr.strip()[-2000:]}")
    credentials = server.load_credentials(data_dir)
    assert credentials is not None
    instance = LabelStudioServer(result.stdout.strip(), credentials.token, data_dir, port)
    yield instance
    server.stop(data_dir)


_counter = itertools.count(1)


@pytest.fixture
def project_title(request) -> str:
    """A fresh project per test."""
    return f"{request.node.name[:40]}-{next(_counter)}"  # Label Studio allows 50
