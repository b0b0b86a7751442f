"""Run the pinned Label Studio (its own environment, :mod:`stancebank.labeling.install`)
on 127.0.0.1 only: start, find, stop. The data dir holds the SQLite database (or the
PostgreSQL URL it runs on), ``server.json`` (pid, port, url, the process's fingerprint) and
``credentials.json`` (0600: admin e-mail, password and API token).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from stancebank.dataset.outputs import pid_alive
from stancebank.labeling.install import LABEL_STUDIO_VERSION, ensure_installed
from stancebank.labeling.net import ServerError, http_get, port_is_free
from stancebank.labeling.options import DEFAULT_PORT
from stancebank.labeling.paths import write_private

__all__ = ["ServerError", "start", "stop", "running_url", "load_credentials"]

ADMIN_EMAIL = "admin@stancebank.local"
STATE_FILE = "server.json"
CREDENTIALS_FILE = "credentials.json"
LOG_FILE = "server.log"


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str
    token: str


def load_credentials(data_dir: Path) -> Credentials | None:
    path = data_dir / CREDENTIALS_FILE
    if not path.exists():
        return None
    try:
        return Credentials(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, OSError):
        raise ServerError(
            f"{path}: not a credentials file written by 'stancebank server start'", exit_status=2
        ) from None


def private_data_dir(data_dir: Path) -> Path:
    """Create the data dir 0700 (and tighten an existing one: it holds the API token)."""
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        data_dir.chmod(0o700)
    except OSError as error:
        raise ServerError(f"{data_dir}: cannot use it as the data dir ({error.strerror})",
                          exit_status=2) from None  # fmt: skip
    return data_dir


def _create_credentials(data_dir: Path) -> Credentials:
    credentials = Credentials(
        email=ADMIN_EMAIL, password=secrets.token_urlsafe(18), token=secrets.token_hex(20)
    )
    path = data_dir / CREDENTIALS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(credentials.__dict__, handle)
    return credentials


_SITECUSTOMIZE = """# Written by stancebank on every server start. Django makes uploaded and
# exported files 0644 whatever the umask; Label Studio's settings do not set these, so
# Django's defaults apply, and these make them private.
try:
    import django.conf.global_settings as defaults

    defaults.FILE_UPLOAD_PERMISSIONS = 0o600
    defaults.FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
except ImportError:
    pass
"""


def _write_sitecustomize(data_dir: Path) -> Path:
    """A ``sitecustomize`` for the server's Python (see ``_SITECUSTOMIZE``); its folder."""
    folder = data_dir / "stancebank-python"
    folder.mkdir(mode=0o700, exist_ok=True)
    write_private(folder / "sitecustomize.py", _SITECUSTOMIZE)
    return folder


def _clean_environment(data_dir: Path, credentials: Credentials) -> dict[str, str]:
    """Only what the server needs: Label Studio reads bare PORT, HOST, USERNAME, … too."""
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
    return {
        **keep,
        "PYTHONPATH": str(_write_sitecustomize(data_dir)),
        "HOME": str(data_dir),
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": credentials.email,
        "LABEL_STUDIO_PASSWORD": credentials.password,
        "LABEL_STUDIO_USER_TOKEN": credentials.token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "COLLECT_ANALYTICS": "false",
    }


def read_state(data_dir: Path) -> dict | None:
    path = data_dir / STATE_FILE
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        int(state["pid"]), str(state["url"])
    except (ValueError, KeyError, TypeError):
        raise ServerError(f"{path}: not a state file written by 'stancebank server start'",
                          exit_status=2) from None  # fmt: skip
    return state


def _fingerprint(pid: int) -> dict:
    """What identifies a running process beyond its PID: start time and command line."""
    process = psutil.Process(pid)
    return {"started": process.create_time(), "cmdline": process.cmdline()}


def _is_our_server(state: dict, data_dir: Path) -> bool:
    """The PID in ``server.json`` is alive and is the Label Studio started for ``data_dir``
    (same start time, a ``label-studio start`` command line with our port, and our data dir
    in its environment where the system lets us read it)."""
    try:
        process = psutil.Process(int(state["pid"]))
        if abs(process.create_time() - float(state.get("started", -1))) > 0.05:
            return False
        cmdline = process.cmdline()
        launched = any(re.search(r"(^|/)label-studio$", part) for part in cmdline)
        if not launched or "start" not in cmdline or str(state.get("port")) not in cmdline:
            return False
        try:
            environ = process.environ()
        except psutil.AccessDenied:
            return True
        return environ.get("LABEL_STUDIO_BASE_DATA_DIR") == str(data_dir)
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.AccessDenied:
        return False


class ForeignProcessError(ServerError):
    """``server.json`` names a live process that is not our server."""


def _check_not_foreign(state: dict, data_dir: Path) -> None:
    pid = int(state["pid"])
    if pid_alive(pid) and not _is_our_server(state, data_dir) and not _is_zombie(pid):
        raise ForeignProcessError(
            f"{data_dir / STATE_FILE} names PID {pid}, which is not the Label Studio started "
            "from this data dir; leaving it alone (delete server.json if that server is gone)",
            exit_status=1,
        )


def _is_zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def running_url(data_dir: Path) -> str | None:
    """The URL of the server started from ``data_dir`` if it is up and healthy."""
    data_dir = data_dir.resolve()
    state = read_state(data_dir)
    if not state:
        return None
    _check_not_foreign(state, data_dir)
    if not _is_our_server(state, data_dir):
        return None
    status, _ = http_get(f"{state['url']}/health")
    return state["url"] if status == 200 else None


DATABASE_FILE = "database.json"
"""The PostgreSQL database a data dir's server uses (0600: it holds the password)."""


def database_environment(url: str) -> dict[str, str]:
    """Label Studio's PostgreSQL settings from ``postgresql://USER:PASSWORD@HOST:PORT/NAME``."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
        raise ServerError(
            "--database: expected postgresql://USER:PASSWORD@HOST:PORT/NAME", exit_status=2
        )
    return {
        "DJANGO_DB": "default",
        "POSTGRE_NAME": unquote(parts.path.strip("/")),
        "POSTGRE_USER": unquote(parts.username or ""),
        "POSTGRE_PASSWORD": unquote(parts.password or ""),
        "POSTGRE_HOST": parts.hostname or "127.0.0.1",
        "POSTGRE_PORT": str(parts.port or 5432),
    }


def _database(data_dir: Path, database: str | None) -> str | None:
    """The database for this data dir: the one given (remembered, 0600), else the one
    remembered from an earlier start, else None (SQLite in the data dir)."""
    path = data_dir / DATABASE_FILE
    remembered = json.loads(path.read_text(encoding="utf-8"))["url"] if path.exists() else None
    if database is None:
        return remembered
    database_environment(database)  # refuses a malformed URL before anything starts
    if remembered and remembered != database:
        raise ServerError(
            f"{data_dir} already runs on another database; use a new --data-dir", exit_status=2
        )
    if not remembered and (data_dir / "label_studio.sqlite3").exists():
        raise ServerError(
            f"{data_dir} already holds a SQLite database; use a new --data-dir for "
            "PostgreSQL", exit_status=2,
        )  # fmt: skip
    write_private(path, json.dumps({"url": database}))
    return database


LOCAL_BACKENDS_FILE = "local-ml-backends"
"""Present in a data dir whose server may call ML backends and webhooks on this machine."""
LOCAL_BACKEND_SETTINGS = {
    "LABEL_STUDIO_ML_BLOCK_LOCAL_IP": "false",
    "LABEL_STUDIO_SSRF_PROTECTION_ENABLED": "false",
}
"""What Label Studio 1.23.2 needs to call an ML backend (or a webhook) on 127.0.0.1: it
refuses reserved addresses otherwise (../shared/LABEL_STUDIO.md). Set only for a server
started from a data dir that asked for it, as our servers listen on 127.0.0.1 alone."""


def allows_local_ml_backends(data_dir: Path) -> bool:
    return (data_dir / LOCAL_BACKENDS_FILE).exists()


def allow_local_ml_backends(data_dir: Path) -> bool:
    """Let the server of ``data_dir`` call backends on this machine from now on; restarts
    it (same port and database) if it runs without the settings. True if restarted."""
    data_dir = data_dir.resolve()
    write_private(data_dir / LOCAL_BACKENDS_FILE, "")
    state = read_state(data_dir)
    if not state or running_url(data_dir) is None or state.get("local_ml_backends"):
        return False
    stop(data_dir)
    start(data_dir, port=int(state["port"]))
    return True


def start(
    data_dir: Path,
    *,
    port: int = DEFAULT_PORT,
    database: str | None = None,
    local_ml_backends: bool = False,
    venv: Path | None = None,
    timeout: float = 240.0,
) -> tuple[str, Path]:
    """Start the server (or find it running); returns its URL and the credentials path.

    Args:
        database: ``postgresql://USER:PASSWORD@HOST:PORT/NAME`` to run on PostgreSQL
            (remembered in the data dir, 0600); default SQLite in the data dir.
        local_ml_backends: let it call ML backends and webhooks on 127.0.0.1
            (``LOCAL_BACKEND_SETTINGS``; remembered in the data dir).
    """
    data_dir = private_data_dir(data_dir.resolve())
    if not 1 <= port <= 65535:
        raise ServerError(f"--port {port}: a port is a number from 1 to 65535", exit_status=2)
    database = _database(data_dir, database)
    if local_ml_backends:
        write_private(data_dir / LOCAL_BACKENDS_FILE, "")
    local_ml_backends = allows_local_ml_backends(data_dir)
    if url := running_url(data_dir):
        return url, data_dir / CREDENTIALS_FILE
    if state := read_state(data_dir):
        _check_not_foreign(state, data_dir)
    if not port_is_free(port):
        raise ServerError(
            f"port {port} on 127.0.0.1 is taken; choose another with --port "
            "(Label Studio would silently move to the next free one)",
            exit_status=2,
        )
    executable = ensure_installed(venv)
    credentials = load_credentials(data_dir) or _create_credentials(data_dir)
    url = f"http://127.0.0.1:{port}"
    log = os.fdopen(
        os.open(data_dir / LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab"
    )
    process = subprocess.Popen(
        [str(executable), "start", "--no-browser", "--internal-host", "127.0.0.1",
         "--port", str(port)],
        env={
            **_clean_environment(data_dir, credentials),
            **(database_environment(database) if database else {}),
            **(LOCAL_BACKEND_SETTINGS if local_ml_backends else {}),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=data_dir,
        start_new_session=True,
        umask=0o077,  # the database (with the API token) and uploads: 0600 / 0700
    )  # fmt: skip
    log.close()
    state = {"pid": process.pid, "port": port, "url": url, "local_ml_backends": local_ml_backends,
             **_fingerprint(process.pid)}  # fmt: skip
    write_private(data_dir / STATE_FILE, json.dumps(state))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            (data_dir / STATE_FILE).unlink(missing_ok=True)
            raise ServerError(
                f"Label Studio exited with status {process.returncode}; see {data_dir / LOG_FILE}"
            )
        status, body = http_get(f"{url}/api/version")
        if status == 200 and LABEL_STUDIO_VERSION.encode() in body:
            return url, data_dir / CREDENTIALS_FILE
        time.sleep(1.0)
    stop(data_dir)
    raise ServerError(f"Label Studio did not answer on {url} within {timeout:.0f} s")


def stop(data_dir: Path, *, timeout: float = 30.0) -> bool:
    """Stop the server started from ``data_dir``; False if none was running."""
    data_dir = data_dir.resolve()
    state = read_state(data_dir)
    if not state:
        return False
    pid = int(state["pid"])
    _check_not_foreign(state, data_dir)
    was_running = pid_alive(pid) and _is_our_server(state, data_dir)
    if was_running:
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.2)
        if pid_alive(pid):
            os.killpg(pid, signal.SIGKILL)
            _reap(pid)
    (data_dir / STATE_FILE).unlink(missing_ok=True)
    return was_running


def _reap(pid: int) -> None:
    """Collect our own child so it does not linger as a zombie that looks alive."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
