"""This machine's side of the network, without the Label Studio SDK (which takes a second
to import): free ports, plain HTTP probes of a server's or a backend's health, and the
error for a server that cannot be installed, started, reached or stopped."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

from stancebank.dataset.errors import ServiceError


class ServerError(ServiceError):
    """The server could not be installed, started, reached or stopped.

    ``exit_status`` is 2 when the user can fix it by changing an input (a taken port, a
    wrong token), 1 when the server itself failed.
    """

    def __init__(self, message: str, *, exit_status: int = 1) -> None:
        super().__init__(message)
        self.exit_status = exit_status


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True if a server could listen on the port (a listener there makes it False;
    connections lingering in TIME_WAIT after a stop do not, as for the server itself)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str, timeout: float = 3.0) -> tuple[int, bytes]:
    """``(status, body)`` of a GET; status 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, OSError):
        return 0, b""
