"""A throwaway PostgreSQL cluster for the integration tests: Debian's postgresql binaries,
a fresh data dir in /tmp, 127.0.0.1 on a free port, password authentication. PostgreSQL
refuses to run as root, so under root the cluster belongs to the ``postgres`` system user
that Debian's package creates."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "stancebank"
DATABASE = "labelstudio"


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl (Debian keeps them out of PATH), or None."""
    if found := shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


@dataclass
class Cluster:
    root: Path
    bin: Path
    port: int
    password: str
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, text=True)

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.root / "data"),
                        "-m", "fast", "stop"], capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(port: int) -> Cluster:
    folder = binaries()
    if folder is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package 'postgresql')")
    root = Path(tempfile.mkdtemp(prefix="stancebank-pg-", dir="/tmp"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        import pwd

        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    password = secrets.token_hex(12)
    cluster = Cluster(root, folder, port, password, as_user)
    pwfile = root / "pw"
    pwfile.write_text(password + "\n")
    if as_user:
        os.chown(pwfile, owner.pw_uid, owner.pw_gid)
    pwfile.chmod(0o600)
    cluster.run(str(folder / "initdb"), "-D", str(root / "data"), "-U", USER,
                "--pwfile", str(pwfile), "--auth", "scram-sha-256", "-E", "UTF8")  # fmt: skip
    pwfile.unlink()
    cluster.run(
        str(folder / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"), "-w",
        "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {root}", "start",
    )  # fmt: skip
    env = {**os.environ, "PGPASSWORD": password}
    subprocess.run([str(folder / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER,
                    DATABASE], check=True, capture_output=True, env=env)  # fmt: skip
    return cluster
