"""Load rates, side by side on one server: `mutuals import` (Engine.import_) against the best
raw-driver pattern (UNWIND batches, written here) and one transaction per row (a sample).

The raw patterns write their own labels and types (``RawAccount``, ``RAW_MERGE``...) with the
same constraint and relationship indexes as the engine's schema, so they load the same rows into
the same database, next to the engine's graph, and are deleted afterwards.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j

from mutuals import Engine

BATCH = 10_000
NAIVE_SAMPLE = 2_000  # rows written one transaction each (a sample: the rate is what matters)

RAW_SCHEMA = (
    "CREATE CONSTRAINT raw_account_id IF NOT EXISTS FOR (a:RawAccount) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT raw_post_id IF NOT EXISTS FOR (p:RawPost) REQUIRE p.id IS UNIQUE",
    "CREATE INDEX raw_post_author IF NOT EXISTS FOR (p:RawPost) ON (p.author, p.created_at)",
    *(
        f"CREATE INDEX raw_{t.lower()}_{a}_{b} IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.{a}, r.{b})"
        for t in ("RAW_MERGE", "RAW_CREATE", "RAW_ROW")
        for a, b in (("src", "dst"), ("dst", "src"))
    ),
)
# the best raw patterns: columns as parallel lists, one UNWIND per batch
RAW_ACCOUNTS = (
    "UNWIND range(0, size($id) - 1) AS i MERGE (a:RawAccount {id: $id[i]}) "
    "ON CREATE SET a.private = $private[i], a.dm_policy = $dm[i], a.created_at = $now"
)
RAW_FOLLOWS_MERGE = (
    "UNWIND range(0, size($a) - 1) AS i MATCH (a:RawAccount {id: $a[i]}), (b:RawAccount {id: $b[i]}) "
    "MERGE (a)-[r:RAW_MERGE]->(b) ON CREATE SET r.src = $a[i], r.dst = $b[i], r.since = $now"
)
RAW_FOLLOWS_CREATE = (
    "UNWIND range(0, size($a) - 1) AS i MATCH (a:RawAccount {id: $a[i]}), (b:RawAccount {id: $b[i]}) "
    "CREATE (a)-[:RAW_CREATE {src: $a[i], dst: $b[i], since: $now}]->(b)"
)
RAW_POSTS = (
    "UNWIND range(0, size($id) - 1) AS i MATCH (a:RawAccount {id: $author[i]}) "
    "MERGE (p:RawPost {id: $id[i]}) ON CREATE SET p.author = $author[i], p.visibility = $vis[i], "
    "p.created_at = datetime($at[i]) MERGE (a)-[:RAW_POSTED]->(p)"
)
# what a hand-written script does: one transaction per row
NAIVE_FOLLOW = (
    "MATCH (a:RawAccount {id: $a}), (b:RawAccount {id: $b}) "
    "MERGE (a)-[r:RAW_ROW]->(b) ON CREATE SET r.src = $a, r.dst = $b, r.since = datetime()"
)


def columns(path: Path, limit: int = 0) -> Iterator[list[list[str]]]:
    """The rows of a CSV file (the first ``limit`` when not 0), BATCH at a time, as lists of columns."""
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        chunk: list[list[str]] = []
        for n, row in enumerate(reader):
            if limit and n >= limit:
                break
            chunk.append(row)
            if len(chunk) >= BATCH:
                yield [list(c) for c in zip(*chunk, strict=True)]
                chunk = []
        if chunk:
            yield [list(c) for c in zip(*chunk, strict=True)]


def _raw(driver: neo4j.Driver, statement: str, batches: Iterator[dict[str, Any]]) -> dict[str, Any]:
    rows = 0
    start = time.perf_counter()
    with driver.session() as session:
        for params in batches:
            n = len(next(iter(params.values())))
            session.execute_write(lambda tx, p=params: tx.run(statement, p).consume())  # type: ignore[misc]
            rows += n
    seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_second": round(rows / seconds, 1)}


def raw_accounts(driver: neo4j.Driver, data: Path, limit: int = 0) -> dict[str, Any]:
    now = datetime.now(UTC)
    return _raw(
        driver,
        RAW_ACCOUNTS,
        (
            {"id": c[0], "private": [x == "true" for x in c[1]], "dm": c[2], "now": now}
            for c in columns(data / "users.csv", limit)
        ),
    )


def raw_follows(driver: neo4j.Driver, data: Path, statement: str, limit: int = 0) -> dict[str, Any]:
    now = datetime.now(UTC)
    rows = columns(data / "follows.csv", limit)
    return _raw(driver, statement, ({"a": c[0], "b": c[1], "now": now} for c in rows))


def raw_posts(driver: neo4j.Driver, data: Path, limit: int = 0) -> dict[str, Any]:
    return _raw(
        driver,
        RAW_POSTS,
        ({"id": c[0], "author": c[1], "vis": c[2], "at": c[3]} for c in columns(data / "posts.csv", limit)),
    )


def naive_follows(driver: neo4j.Driver, data: Path, sample: int = NAIVE_SAMPLE) -> dict[str, Any]:
    """One managed write transaction per row, for the first ``sample`` follows."""
    pairs: list[tuple[str, str]] = []
    for c in columns(data / "follows.csv"):
        pairs.extend(zip(c[0], c[1], strict=True))
        if len(pairs) >= sample:
            break
    pairs = pairs[:sample]
    start = time.perf_counter()
    with driver.session() as session:
        for a, b in pairs:
            session.execute_write(lambda tx, a=a, b=b: tx.run(NAIVE_FOLLOW, a=a, b=b).consume())  # type: ignore[misc]
    seconds = time.perf_counter() - start
    return {"rows": len(pairs), "seconds": round(seconds, 3), "rows_per_second": round(len(pairs) / seconds, 1)}


def _drop_raw(driver: neo4j.Driver, log: Any = print) -> None:
    """Delete the raw patterns' graph: relationships first, in small transactions (a hub's 100k
    relationships in one transaction exceed the transaction memory pool), then the nodes."""
    try:
        with driver.session() as session:
            session.run(
                "MATCH ()-[r:RAW_MERGE|RAW_CREATE|RAW_ROW|RAW_POSTED]->() "
                "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
            session.run("MATCH (n:RawAccount|RawPost) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            for statement in RAW_SCHEMA:
                name = statement.split()[2]
                kind = "CONSTRAINT" if statement.startswith("CREATE CONSTRAINT") else "INDEX"
                session.run(f"DROP {kind} {name} IF EXISTS").consume()  # type: ignore[arg-type]
    except neo4j.exceptions.Neo4jError as e:  # the figures stand; the leftovers only take space
        log(f"  could not delete the raw patterns' graph: {e.message}")


def head(data: Path, kind: str, limit: int) -> Path:
    """``kind``.csv of ``data``, or (``limit`` not 0) a copy of its header and first ``limit`` rows."""
    path = data / f"{kind}.csv"
    if not limit:
        return path
    part = data.parent / f"{data.name}-{kind}-first{limit}.csv"
    if not part.is_file():
        with path.open() as source, part.open("w") as out:
            for i, line in enumerate(source):
                if i > limit:
                    break
                out.write(line)
    return part


def engine_import(engine: Engine, data: Path, kind: str, limit: int = 0) -> dict[str, Any]:
    source = head(data, kind, limit)
    summary = engine.import_(kind, source, rejects=data.parent / f"{data.name}-{kind}.rejects.csv")
    return {
        "rows": summary.read,
        "written": summary.written,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "seconds": round(summary.seconds, 3),
        "rows_per_second": round(summary.rows_per_second, 1),
    }


def measure(
    engine: Engine,
    driver: neo4j.Driver,
    data: Path,
    *,
    raw_rows: int = 0,
    engine_rows: int = 0,
    full: bool = True,
    log: Any = print,
) -> dict[str, Any]:
    """Load the graph of ``data`` through the engine (it stays for the latency runs), and the
    accounts, follows and posts through the raw patterns, interleaved so neither runs colder.

    ``raw_rows`` (when not 0) limits the raw patterns to the first rows of each file (their rate,
    not their total, is what is compared: L's 20M follows three times over would take hours);
    ``engine_rows`` (when not 0) limits the engine's follows and posts the same way (the
    accounts are loaded whole: the follows need them), so on L both sides load the same first
    rows of a graph of every account; without ``full`` the interactions and the re-run of the
    follows are left out."""
    out: dict[str, Any] = {"engine": {}, "raw_unwind_merge": {}, "raw_unwind_create": {}, "naive_per_row": {}}
    with driver.session() as session:
        for statement in RAW_SCHEMA:
            session.run(statement).consume()  # type: ignore[arg-type]
        session.run("CALL db.awaitIndexes(300)").consume()

    def step(where: str, kind: str, call: Any) -> None:
        figures = call()
        out[where][kind] = figures
        log(f"  load {where:18} {kind:12} {figures['rows']:>10,} rows {figures['rows_per_second']:>10,.0f} rows/s")

    n = raw_rows
    step("raw_unwind_merge", "accounts", lambda: raw_accounts(driver, data, n))
    step("engine", "accounts", lambda: engine_import(engine, data, "users"))
    step("raw_unwind_merge", "follows", lambda: raw_follows(driver, data, RAW_FOLLOWS_MERGE, n))
    step("raw_unwind_create", "follows", lambda: raw_follows(driver, data, RAW_FOLLOWS_CREATE, n))
    step("engine", "follows", lambda: engine_import(engine, data, "follows", engine_rows))
    step("raw_unwind_merge", "posts", lambda: raw_posts(driver, data, n))
    step("engine", "posts", lambda: engine_import(engine, data, "posts", engine_rows))
    step("naive_per_row", "follows", lambda: naive_follows(driver, data))
    for kind in ("requests", "blocks", *(("interactions",) if full else ())) if not engine_rows else ():
        step("engine", kind, lambda kind=kind: engine_import(engine, data, kind))
    if full:
        step("engine", "follows_rerun", lambda: engine_import(engine, data, "follows"))
    _drop_raw(driver, log)
    return out
