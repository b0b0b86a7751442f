"""One real Label Studio server per database and test session: fresh data dir, free port,
127.0.0.1 — once on SQLite (the default) and once on a real PostgreSQL cluster the tests
start themselves (``tests/integration/postgres.py``), so every integration test runs on both.

Started through the real command line (``stancebank server start``). If it (or PostgreSQL)
cannot start, the tests fail — in CI and by default. A laptop without the server can opt
out with STANCEBANK_SKIP_LABEL_STUDIO=1, which skips them with that reason (never in CI).
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
from stancebank.labeling.net import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LabelStudioServer:
    url: str
    token: str
    data_dir: Path
    port: int
    database: str = "sqlite"

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


def _start_via_cli(data_dir: Path, port: int, database: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"STANCEBANK_DATABASE_URL": database} if database else {})}
    return subprocess.run(
        [sys.executable, "-m", "stancebank.cli", "server", "start",
         "--port", str(port), "--data-dir", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=900, env=env,
    )  # fmt: skip


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def label_studio(request, tmp_path_factory) -> LabelStudioServer:
    if os.environ.get("STANCEBANK_SKIP_LABEL_STUDIO") == "1" and not os.environ.get("CI"):
        pytest.skip("STANCEBANK_SKIP_LABEL_STUDIO=1: Label Studio integration tests opted out")
    cluster = None
    if request.param == "postgresql":
        from tests.integration.postgres import start_cluster

        try:
            cluster = start_cluster(free_port())
        except (RuntimeError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", "") or ""
            pytest.fail(f"PostgreSQL did not start: {error} {detail}".strip()[-2000:])
    data_dir = tmp_path_factory.mktemp(f"label-studio-{request.param}")
    port = free_port()
    try:
        result = _start_via_cli(data_dir, port, cluster.url if cluster else None)
        if result.returncode != 0:
            pytest.fail(f"Label Studio did not start: {result.stderr.strip()[-2000:]}")
        credentials = server.load_credentials(data_dir)
        assert credentials is not None
        yield LabelStudioServer(
            result.stdout.strip(), credentials.token, data_dir, port, request.param
        )
        server.stop(data_dir)
    finally:
        if cluster is not None:
            cluster.stop()


@pytest.fixture(scope="module")
def seed_claims_file(tmp_path_factory, seed_answers) -> Path:
    """The seed's claims file, as segment writes it."""
    from stancebank.dataset.jsonl import write_jsonl
    from stancebank.dataset.segment import segment_answers

    path = tmp_path_factory.mktemp("claims") / "claims.jsonl"
    write_jsonl(path, list(segment_answers(seed_answers)))
    return path


_counter = itertools.count(1)


@pytest.fixture
def project_title(request) -> str:
    """A fresh project per test."""
    return f"{request.node.name[:40]}-{next(_counter)}"  # Label Studio allows 50
