"""A benchmark's own embedded Neo4j: a fresh home, a free port, memory sized for the graph."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import neo4j

from mutuals import Config
from mutuals.io.embedded import EmbeddedServer

# heap and page cache per graph size (M: 2M follows; L: 20M follows, 1M accounts)
MEMORY = {"XS": ("1g", "512m"), "S": ("1g", "1g"), "M": ("3g", "4g"), "L": ("4g", "8g")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Bench:
    """A running benchmark server and the configuration an engine uses to reach it."""

    server: EmbeddedServer
    config: Config
    password: str

    def raw_driver(self) -> neo4j.Driver:
        """The raw driver of the baselines, asking for no notifications as the engine's does (a
        baseline that logs the server's warnings at every call is slower than the engine)."""
        return neo4j.GraphDatabase.driver(
            self.config.uri or "", auth=("neo4j", self.password), notifications_min_severity="OFF"
        )


def server_for(size: str, home: Path) -> EmbeddedServer:
    heap, cache = MEMORY.get(size, MEMORY["M"])
    return EmbeddedServer(home / "neo4j", port=free_port(), heap=heap, page_cache=cache)


@contextmanager
def running(size: str, home: Path, *, fresh: bool = True) -> Iterator[Bench]:
    """Start a server in ``home`` (wiped first when ``fresh``), yield it, stop it."""
    if fresh and home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    server = server_for(size, home)
    status = server.start(timeout=600)
    assert status.uri is not None
    password = server.password()
    config = Config(uri=status.uri, username="neo4j", password=password, home=home, auto_start=False)
    try:
        yield Bench(server, config, password)
    finally:
        server.stop()
