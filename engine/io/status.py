"""Where the database of a configuration is and whether it runs: the decision behind `mutuals db
status`, for a service's health check as much as for the command line.

With ``NEO4J_URI`` set it is that server, asked for one round trip (unreachable: the
:class:`DatabaseUnavailable` of the connection); otherwise the embedded server, whose process is
looked at without starting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutuals.io.config import Config
from mutuals.io.connection import Connection, embedded_server

START_HINT = "start it with `mutuals db start`"


@dataclass(frozen=True, slots=True)
class DbStatus:
    """Which server, whether it runs, and what to tell (``message``, one line)."""

    running: bool
    embedded: bool
    uri: str | None
    message: str
    home: Path | None = None
    pid: int | None = None
    port: int | None = None
    round_trip_ms: float | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.embedded:
            where: dict[str, Any] = {"home": str(self.home), "uri": self.uri, "pid": self.pid, "port": self.port}
        else:
            where = {"uri": self.uri, "round_trip_ms": self.round_trip_ms}
        return {"running": self.running, **where, "embedded": self.embedded, "message": self.message}


def db_status(config: Config) -> DbStatus:
    """The status of the server ``config`` points at (never starts one)."""
    if config.uri:
        conn = Connection(config)
        try:
            ms = round(conn.ping() * 1000, 2)
        finally:
            conn.close()
        uri = config.safe_uri
        return DbStatus(True, False, uri, f"running at {uri}, round trip {ms} ms", round_trip_ms=ms)
    status = embedded_server(config).status()
    if status.running:
        message = f"running at {status.uri}, pid {status.pid}"
    else:
        message = f"not running (data in {status.home}); {START_HINT}"
    return DbStatus(status.running, True, status.uri, message, home=status.home, pid=status.pid, port=status.port)
