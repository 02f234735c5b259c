"""Admin work of any size: `query --write` with `CALL { ... } IN TRANSACTIONS` (auto-commit),
`db reset` in bounded transactions, and a transaction over the memory pool failing once, at
once, in one line that says what to do. Against a server of this module's own whose transaction
memory is capped at 10 MiB, so a graph of 20,000 accounts is "too large" for one transaction
(docs/performance.md has the same commands measured on a 500k-follow graph).

The demo's own-accounts rule runs on the shared test server."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import free_port
from helpers import follows, people
from typer.testing import CliRunner

import mutuals.io.connection as connection
from mutuals import AsyncEngine, Config, Conflict, Engine, InvalidInput, ReadOnly
from mutuals.base.errors import TransactionTooLarge
from mutuals.cli.main import app
from mutuals.io.embedded import EmbeddedServer
from mutuals.io.runner import needs_implicit
from mutuals.views.demo import PEOPLE

ACCOUNTS = 20_000  # a ring of follows: one DETACH DELETE of it needs more than 10 MiB
MUTUALS = str(Path(sys.executable).parent / "mutuals")

# -- the classifier (no database) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "implicit"),
    [
        ("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", True),
        ("MATCH (n) CALL { WITH n DETACH DELETE n } in transactions", True),
        ("UNWIND $rows AS r CALL (r) { CREATE (:X {v: r}) } IN 4 CONCURRENT TRANSACTIONS OF 10 ROWS", True),
        ("CALL (x) {\n  SET x.a = 1\n}\nIN\tTRANSACTIONS", True),
        ("CALL (x) { SET x.a = 1 } IN $n CONCURRENT TRANSACTIONS", True),
        ("MATCH (n) DETACH DELETE n", False),
        ("SHOW TRANSACTIONS", False),
        ("CALL { MATCH (n) RETURN n } RETURN n", False),
        ("RETURN '} IN TRANSACTIONS' AS s", False),
        ('RETURN "} in transactions" AS s', False),
        ("// CALL { } IN TRANSACTIONS\nRETURN 1", False),
        ("/* } IN TRANSACTIONS */ RETURN 1", False),
        ("MATCH (n) WHERE n.id IN $ids RETURN n.transactions", False),
    ],
)
def test_what_needs_an_implicit_transaction(text: str, implicit: bool) -> None:
    assert needs_implicit(text) is implicit


# -- a server with a small transaction memory pool ---------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Config]:
    """A server of this module's own, every transaction capped at 10 MiB."""
    server = EmbeddedServer(
        tmp_path_factory.mktemp("small-neo4j"),
        port=free_port(),
        heap="512m",
        page_cache="64m",
        conf={"db.memory.transaction.total.max": "10m", "db.memory.transaction.max": "10m"},
        java_opts="",  # its resets are heavy work: the JIT's optimising tier pays off
    )
    status = server.start()
    assert status.uri is not None
    try:
        yield Config(
            uri=status.uri,
            username="neo4j",
            password=server.password(),
            auto_start=False,
            home=tmp_path_factory.mktemp("small-home"),
        )
    finally:
        server.stop()


@pytest.fixture
def big(small: Config) -> Iterator[Engine]:
    """An engine on the small server, loaded with ACCOUNTS accounts in a ring of follows; loaded in
    bounded transactions by `query --write` itself (CALL ... IN TRANSACTIONS). A ring a previous
    test left whole (each test that keeps it asserts so) is used as it is."""
    with Engine(small) as engine:
        if counts(engine) == (ACCOUNTS, ACCOUNTS):
            yield engine
            return
        engine.reset()
        engine.query(
            "UNWIND range(1, $n) AS i CALL (i) { CREATE (:Account {id: 'u' + i, private: false}) }"
            " IN TRANSACTIONS OF 2000 ROWS",
            {"n": ACCOUNTS},
            write=True,
        )
        engine.query(
            "UNWIND range(1, $n) AS i CALL (i) { MATCH (a:Account {id: 'u' + i}), (b:Account {id: 'u' + (i % $n + 1)})"
            " CREATE (a)-[:FOLLOWS]->(b) } IN TRANSACTIONS OF 2000 ROWS",
            {"n": ACCOUNTS},
            write=True,
        )
        assert counts(engine) == (ACCOUNTS, ACCOUNTS)
        yield engine


def counts(engine: Engine) -> tuple[int, int]:
    row = engine.query("MATCH (n) WITH count(n) AS n OPTIONAL MATCH ()-[r]->() RETURN n, count(r) AS r").rows[0]
    return row["n"], row["r"]


def schema_names(engine: Engine) -> tuple[list[str], list[str]]:
    constraints = engine.query("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name").rows
    indexes = engine.query("SHOW INDEXES YIELD name RETURN name ORDER BY name").rows
    return [r["name"] for r in constraints], [r["name"] for r in indexes]


def cli(config: Config, *args: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    """The real `mutuals` command in a process of its own (its logging set-up included)."""
    env = {
        **os.environ,
        "NEO4J_URI": config.uri or "",
        "NEO4J_USERNAME": config.username,
        "NEO4J_PASSWORD": config.password or "",
        "MUTUALS_HOME": str(config.home),
        "MUTUALS_AUTO_START": "0",
        "COLUMNS": "200",
    }
    env.pop("MUTUALS_DEBUG", None)
    return subprocess.run([MUTUALS, *args], env=env, stdin=stdin, capture_output=True, text=True, timeout=600)


def test_a_transaction_over_the_memory_pool_is_tried_once_and_says_what_to_do(
    big: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []
    original = connection.query

    def counted(tx: Any, request: Any) -> Any:  # the transaction function the driver retries
        attempts.append(1)
        return original(tx, request)

    monkeypatch.setattr(connection, "query", counted)
    with pytest.raises(TransactionTooLarge) as caught:
        big.query("MATCH (n) DETACH DELETE n", write=True)
    assert len(attempts) == 1  # the driver would have retried a TransientError until its deadline
    message = str(caught.value)
    assert "\n" not in message
    for remedy in ("smaller transactions", "IN TRANSACTIONS", "mutuals db reset", "MUTUALS_HEAP"):
        assert remedy in message
    assert "MemoryPool" in repr(caught.value.__cause__) or "memory" in message
    assert counts(big) == (ACCOUNTS, ACCOUNTS)  # rolled back


def test_the_cli_prints_one_line_and_no_driver_log(big: Engine, small: Config) -> None:
    done = cli(small, "query", "MATCH (n) DETACH DELETE n", "--write")
    assert done.returncode == 69, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: the transaction needs more memory than Neo4j allows")
    assert "MUTUALS_HEAP" in lines[0] and "IN TRANSACTIONS" in lines[0]
    assert done.stdout == ""
    assert counts(big) == (ACCOUNTS, ACCOUNTS)


def test_reset_checks_its_input(big: Engine) -> None:
    for bad in (0, -1, 100_001, "10", True, None):
        with pytest.raises(InvalidInput, match="batch_size"):
            big.reset(batch_size=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="progress"):
        big.reset(progress="print")  # type: ignore[arg-type]
    assert counts(big) == (ACCOUNTS, ACCOUNTS)


def test_query_write_runs_call_in_transactions_and_reads_stay_read_only(big: Engine, small: Config) -> None:
    statement = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS"
    with pytest.raises(ReadOnly):
        big.query(statement)  # auto-commit in a read session: the server refuses the write
    refused = cli(small, "query", statement)
    assert refused.returncode == 6 and len(refused.stderr.splitlines()) == 1, refused.stderr
    assert counts(big) == (ACCOUNTS, ACCOUNTS)
    done = cli(small, "query", statement, "--write", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    # nothing on stderr but the one line of what the write changed (`query --write`'s counters)
    (line,) = done.stderr.splitlines()
    changed = json.loads(line)["counters"]
    assert changed["nodes_deleted"] == ACCOUNTS and changed["relationships_deleted"] == ACCOUNTS
    assert counts(big) == (0, 0)


def test_reset_empties_it_in_bounded_transactions_and_keeps_the_schema(big: Engine, small: Config) -> None:
    schema = schema_names(big)
    assert len(schema[0]) >= 3 and len(schema[1]) > len(schema[0])
    refused = cli(small, "db", "reset")  # stdin is not a terminal
    assert refused.returncode == 2 and "--yes" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert counts(big) == (ACCOUNTS, ACCOUNTS)
    done = cli(small, "db", "reset", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["outcome"] == "reset"
    assert (summary["nodes_deleted"], summary["relationships_deleted"]) == (ACCOUNTS, ACCOUNTS)
    assert summary["transactions"] >= 2 * ACCOUNTS // summary["batch_size"]  # bounded, not one
    assert isinstance(summary["token"], str) and summary["token"]
    assert big.query("MATCH (n) RETURN count(n) AS n", after=summary["token"]).rows == ({"n": 0},)
    assert counts(big) == (0, 0)
    assert schema_names(big) == schema
    again = cli(small, "db", "reset", "--yes", "--json")
    assert json.loads(again.stdout)["outcome"] == "already_empty"


def test_reset_shrinks_a_batch_the_pool_cannot_hold(big: Engine) -> None:
    seen: list[int] = []
    summary = big.reset(batch_size=100_000, progress=lambda p: seen.append(p.done))
    assert (summary.nodes_deleted, summary.relationships_deleted) == (ACCOUNTS, ACCOUNTS)
    assert summary.batch_size < 100_000  # one batch of everything was over 10 MiB: halved until it fit
    assert seen[0] == 0 and seen[-1] == 2 * ACCOUNTS and seen == sorted(seen)
    assert counts(big) == (0, 0)


def test_the_async_engine_resets_and_runs_in_transactions(big: Engine, small: Config) -> None:
    async def main() -> tuple[int, int]:
        async with AsyncEngine(small) as engine:
            with pytest.raises(TransactionTooLarge):
                await engine.query("MATCH (n) DETACH DELETE n", write=True)
            await engine.query(
                "MATCH (a:Account) WHERE a.id STARTS WITH 'u1' CALL (a) { DETACH DELETE a } IN TRANSACTIONS",
                write=True,
            )
            left = (await engine.query("MATCH (a:Account) RETURN count(a) AS n")).rows[0]["n"]
            summary = await engine.reset(batch_size=5_000)
            return left, summary.nodes_deleted

    left, deleted = asyncio.run(main())
    assert left == deleted and 0 < left < ACCOUNTS
    assert counts(big) == (0, 0)


# -- the demo deletes only what it created ------------------------------------------------------------

runner = CliRunner()


def test_the_demo_refuses_a_database_holding_other_accounts(engine: Engine, env: dict[str, str]) -> None:
    people(engine, "zed", "alice")  # alice is the user's, though the demo has an alice too
    follows(engine, "zed<>alice")
    with pytest.raises(Conflict, match="2 accounts the demo did not create"):
        next(iter(engine.demo()))
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 5 and "--force" in result.stderr and len(result.stderr.splitlines()) == 1
    assert engine.query("MATCH (a:Account) RETURN count(a) AS n").rows[0]["n"] == 2
    for _ in range(2):  # forced, twice: the user's accounts survive both runs
        steps = list(engine.demo(force=True))
        assert len(steps) > 10
        assert engine.user_show("zed").account.id == "zed"
        assert engine.relationship("zed", "alice").friends is True
    mine = engine.query("MATCH (a:DemoAccount) RETURN a.id AS id ORDER BY id").rows
    assert [r["id"] for r in mine] == sorted(set(PEOPLE) - {"alice"})


def test_the_demo_runs_twice_in_a_row(engine: Engine, env: dict[str, str]) -> None:
    for _ in range(2):
        result = runner.invoke(app, ["demo", "--json"])
        assert result.exit_code == 0, result.stderr
        assert len(json.loads(result.stdout)) > 10
    assert engine.query("MATCH (a:Account) WHERE NOT a:DemoAccount RETURN count(a) AS n").rows[0]["n"] == 0
    assert engine.relationship("alice", "mallory").blocking is True
    with pytest.raises(InvalidInput, match="force"):
        engine.demo(force="yes")  # type: ignore[arg-type]
