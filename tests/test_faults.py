"""Faults: the database stops (SIGTERM) and is killed (SIGKILL) in the middle of a write load.

A dedicated embedded server (its own home and port, so the shared test server is not disturbed)
takes writes from four threads; every acknowledged operation is logged. The server is stopped
cleanly, started again, then killed and started again with `mutuals db start` (which recovers
the store). The engine's writes retry across both outages (``retry_seconds``), nothing
acknowledged is lost, nothing is applied twice, and while the server is down the CLI says so in
one line.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import free_port
from figures import record
from helpers import people
from test_embedded import _listen_addresses
from typer.testing import CliRunner

from cli.main import app
from engine import Config, Engine, MutualsError, QueryError
from engine.embedded import EmbeddedServer
from engine.validate import timestamp

WRITERS = 4
OPS_PER_WRITER = 120
ACCOUNTS = [f"f{i}" for i in range(24)]
POSTS = [f"fp{i}" for i in range(8)]
runner = CliRunner()


@dataclass
class Server:
    server: EmbeddedServer
    env: dict[str, str]

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.server.port}"

    def cli(self, *args: str, **extra: str) -> tuple[int, str, str]:
        unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("NEO4J_")}
        result = runner.invoke(app, list(args), env={**unset, **self.env, **extra})
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("faults")
    port = free_port()
    env = {"MUTUALS_HOME": str(home), "MUTUALS_PORT": str(port), "MUTUALS_HEAP": "512m", "MUTUALS_PAGE_CACHE": "64m"}
    server = EmbeddedServer(home / "neo4j", port=port, heap="512m", page_cache="64m")
    server.start()
    try:
        yield Server(server, env)
    finally:
        server.stop()


def _operations(writer: int) -> list[tuple[str, str, str, str | None]]:
    """Distinct writes per writer: follows of distinct pairs, likes, comments at distinct times."""
    ops: list[tuple[str, str, str, str | None]] = []
    for n in range(OPS_PER_WRITER):
        k = writer * OPS_PER_WRITER + n
        a = ACCOUNTS[k % len(ACCOUNTS)]
        if n % 3 == 2:
            post = POSTS[k % len(POSTS)]
            kind = "like" if n % 2 else "comment"
            ops.append((kind, a, post, f"2026-03-01T00:{k // 60 % 60:02d}:{k % 60:02d}Z"))
        else:
            b = ACCOUNTS[(k // len(ACCOUNTS) + 1 + k) % len(ACCOUNTS)]
            ops.append(("follow", a, b if b != a else ACCOUNTS[(ACCOUNTS.index(a) + 1) % len(ACCOUNTS)], None))
    return ops


@dataclass
class Log:
    acked: list[tuple[tuple[str, str, str, str | None], str]] = field(default_factory=list)
    failed: list[tuple[tuple[str, str, str, str | None], str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.acked) + len(self.failed)


class RetryCounter(logging.Handler):
    """Counts the driver's 'Transaction failed and will be retried' messages."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "will be retried" in record.getMessage():
            self.retries += 1


def _writer(engine: Engine, writer: int, log: Log) -> None:
    for op in _operations(writer):
        kind, a, b, at = op
        try:
            outcome = (engine.follow(a, b) if kind == "follow" else engine.interact(kind, a, b, at=at)).outcome
            with log.lock:
                log.acked.append((op, outcome))
        except MutualsError as e:
            with log.lock:
                log.failed.append((op, f"{type(e).__name__}: {e}"))


def _wait_for(predicate: Any, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the load stopped making progress"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.reliability
def test_no_acknowledged_write_is_lost_when_the_database_stops_or_dies(faulty: Server) -> None:
    password = faulty.server.password()
    config = Config(
        uri=faulty.uri,
        password=password,
        auto_start=False,
        home=Path(faulty.env["MUTUALS_HOME"]),
        retry_seconds=180,  # longer than a restart, so writes wait for the database to come back
        connect_timeout=5,
    )
    with Engine(config) as setup:
        people(setup, *ACCOUNTS)
        for n, post in enumerate(POSTS):
            setup.post_add(post, ACCOUNTS[n], "public")
    counter = RetryCounter()
    logging.getLogger("neo4j").addHandler(counter)
    log = Log()
    total = WRITERS * OPS_PER_WRITER
    faults: list[str] = []
    down_answers: list[tuple[int, str]] = []
    try:
        with Engine(config) as engine:
            writers = [threading.Thread(target=_writer, args=(engine, w, log)) for w in range(WRITERS)]
            for t in writers:
                t.start()

            _wait_for(lambda: log.count() >= total // 4)
            assert faulty.server.stop()  # SIGTERM: a clean shutdown under load
            faults.append("SIGTERM")
            down_answers.append(_cli_while_down(faulty, password))
            faulty.server.start()

            _wait_for(lambda: log.count() >= total // 2)
            assert faulty.server.kill()  # SIGKILL: no shutdown at all, transactions in flight
            faults.append("SIGKILL")
            down_answers.append(_cli_while_down(faulty, password))
            code, out, err = faulty.cli("db", "start", "--json")  # recovers the store
            assert code == 0, err
            assert json.loads(out)["running"] is True

            for t in writers:
                t.join()
            lost, duplicated = _verify(engine, log)
            doctor = engine.doctor()
    finally:
        logging.getLogger("neo4j").removeHandler(counter)

    record(
        "faults",
        "make reliability  # or: pytest tests/test_faults.py",
        faults_injected=len(faults),
        faults=faults,
        writes_attempted=total,
        writes_acknowledged=len(log.acked),
        writes_failed=len(log.failed),
        transactions_retried=counter.retries,
        writes_lost=len(lost),
        writes_applied_twice=len(duplicated),
        violations=doctor.violations,
        cli_exit_while_down=sorted({code for code, _ in down_answers}),
    )
    assert log.failed == []  # every write waited for the database and went through
    assert len(log.acked) == total
    assert lost == []
    assert duplicated == []
    assert doctor.ok, doctor.to_dict()
    assert counter.retries > 0  # the outages really hit writes in flight


def _cli_while_down(faulty: Server, password: str) -> tuple[int, str]:
    """The CLI against the stopped server: one line, exit 69, no password."""
    code, out, err = faulty.cli(
        "friends",
        "f0",
        NEO4J_URI=faulty.uri,
        NEO4J_PASSWORD=password,
        MUTUALS_RETRY_SECONDS="0",
        MUTUALS_CONNECT_TIMEOUT="2",
    )
    assert code == 69, (code, out, err)
    assert out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("error: Neo4j is unreachable") and password not in err
    code, out, err = faulty.cli("friends", "f0", MUTUALS_AUTO_START="0")  # the embedded default
    assert code == 69 and "mutuals db start" in err and len(err.strip().splitlines()) == 1
    return code, err.strip()


def _verify(engine: Engine, log: Log) -> tuple[list[Any], list[Any]]:
    """Acknowledged writes that are missing, and writes whose effect exists more than once."""
    follows = engine.query("MATCH (a:Account)-[r:FOLLOWS]->(b:Account) RETURN a.id AS a, b.id AS b").rows
    edges: dict[tuple[str, str], int] = {}
    for row in follows:
        edges[(row["a"], row["b"])] = edges.get((row["a"], row["b"]), 0) + 1
    interactions = engine.query(
        "MATCH (a:Account)-[i:INTERACTED]->(p:Post) RETURN i.kind AS kind, a.id AS a, p.id AS p, i.at.epochMillis AS at"
    ).rows
    seen: dict[tuple[str, str, str, int | None], int] = {}
    for row in interactions:
        at = row["at"] if row["kind"] != "like" else None
        seen[(row["kind"], row["a"], row["p"], at)] = seen.get((row["kind"], row["a"], row["p"], at), 0) + 1
    lost, duplicated = [], []
    for (kind, a, b, at), outcome in log.acked:
        if kind == "follow":
            n = edges.get((a, b), 0)
            want = outcome in {"followed", "became_friends", "already_following"}
        else:
            key = (kind, a, b, None if kind == "like" else _millis(at))
            n = seen.get(key, 0)
            want = True
        if want and n == 0:
            lost.append((kind, a, b, at, outcome))
        if n > 1:
            duplicated.append((kind, a, b, at, n))
    return lost, duplicated


def _millis(at: str | None) -> int | None:
    return None if at is None else int(timestamp("at", at).timestamp() * 1000)


@pytest.mark.slow
def test_the_restarted_server_is_still_locked_down(faulty: Server) -> None:
    """After the faults: still loopback only, and LOAD CSV still cannot read files or local URLs
    (the password file and wrong passwords are checked in tests/test_embedded.py)."""
    faulty.server.start()
    addresses = _listen_addresses(faulty.server.port)
    assert addresses and set(addresses) <= {"0100007F", "0000000000000000FFFF00000100007F"}
    config = Config(uri=faulty.uri, password=faulty.server.password(), auto_start=False, home=Path("/nonexistent"))
    with Engine(config, apply_schema=False) as engine:
        for url in ("file:///etc/passwd", "file:///../../../../etc/hostname", "http://127.0.0.1:1/", "http://[::1]:1/"):
            with pytest.raises(QueryError):
                engine.query("LOAD CSV FROM $url AS line RETURN line LIMIT 1", {"url": url})
        (faulty.server.home / "import" / "ok.csv").write_text("a,b\n")
        assert engine.query("LOAD CSV FROM 'file:///ok.csv' AS line RETURN line").rows == ({"line": ["a", "b"]},)
