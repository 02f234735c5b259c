"""Latency and throughput of the engine's reads, side by side with the same Cypher on the raw
driver and with the floor (a Bolt ``RETURN 1``), at 1, 4 and 16 concurrent clients.

Each operation is measured for ordinary accounts (in-degree near the median) and for hubs (the
accounts with the most followers). The raw path replays the exact statements and parameters the
engine sent for the same arguments (recorded once), in a managed read transaction with a session
per call: what the engine does, without the engine.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import neo4j

from mutuals import Engine
from mutuals.io.connection import to_result
from mutuals.io.plan import PlanFactory, Run

CLIENTS = (1, 4, 16)
Statements = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Sample:
    """Who the operations run for: ordinary accounts and hubs, and their posts."""

    ordinary: list[str]
    hubs: list[str]
    posts_by: dict[str, list[str]]  # author -> posts visible to followers (public or followers)
    any_posts: list[str]
    degrees: dict[str, int]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def operations(s: Sample) -> dict[str, dict[str, list[Callable[[Engine], Any]]]]:
    """operation -> variant (ordinary, hub) -> calls (each a closure over its arguments)."""
    rng = random.Random(7)
    o, h = s.ordinary, s.hubs

    def pairs(firsts: list[str], seconds: list[str]) -> list[tuple[str, str]]:
        return [(a, b) for a in firsts for b in seconds if a != b][:40]

    def posts_of(authors: list[str]) -> list[str]:
        return [p for a in authors for p in s.posts_by.get(a, [])[:5]] or s.any_posts[:5]

    def page(n: int) -> list[str]:
        return rng.sample(s.any_posts, min(n, len(s.any_posts)))

    ops: dict[str, dict[str, list[Callable[[Engine], Any]]]] = {}

    def add(name: str, variant: str, calls: list[Callable[[Engine], Any]]) -> None:
        ops.setdefault(name, {})[variant] = calls

    for variant, users, others in (("ordinary", o, o), ("hub", h, o)):
        add("relationship", variant, [lambda e, a=a, b=b: e.relationship(a, b) for a, b in pairs(users, others)])
        add("can_message", variant, [lambda e, a=a, b=b: e.can_message(b, a) for a, b in pairs(users, others)])
        viewers = others if variant == "hub" else o
        targets = posts_of(users)
        add("can_view", variant, [lambda e, v=v, p=p: e.can_view(v, p) for v in viewers[:8] for p in targets[:5]])
        pages = [(v, page(50)) for v in users[:10]]
        add("can_view_many", variant, [lambda e, v=v, ps=ps: e.can_view_many(v, ps) for v, ps in pages])
        add("friends_page", variant, [lambda e, u=u: e.friends(u, limit=50) for u in users])
        add("followers_only_page", variant, [lambda e, u=u: e.segment(u, "followers-only", limit=50) for u in users])
        add("segments", variant, [lambda e, u=u: e.segments(u) for u in users])
        add("suggestions", variant, [lambda e, u=u: e.suggest(u) for u in users])
        add("feed_following", variant, [lambda e, u=u: e.feed(u, tab="following", limit=20) for u in users])
        add("feed_for_you", variant, [lambda e, u=u: e.feed(u, tab="for_you", limit=20) for u in users])
        add("audience", variant, [lambda e, p=p: e.audience(p, limit=50) for p in targets[:10]])
    return ops


def record(engine: Engine, call: Callable[[Engine], Any]) -> Statements:
    """The statements (text, parameters) the engine runs for one call, in order."""
    steps: Statements = []
    conn = engine._conn

    def reading(factory: PlanFactory[Any], after: str | None = None) -> Any:
        def work(tx: neo4j.ManagedTransaction) -> Any:
            steps.clear()
            plan = factory()
            try:
                step: Run = next(plan)
                while True:
                    params = step.bound_params  # once: the clock it binds is the one sent and recorded
                    steps.append((step.text, params))
                    step = plan.send(to_result(tx.run(step.text, params)))
            except StopIteration as done:
                return done.value

        with conn.driver.session(database=conn.config.database) as session:
            return session.execute_read(work)

    conn.read = reading  # type: ignore[method-assign]
    try:
        call(engine)
    finally:
        del conn.read
    return list(steps)


def raw_call(driver: neo4j.Driver, statements: Statements) -> Callable[[], Any]:
    """The same statements on the raw driver, as the best hand-written code sends them: one
    statement as an auto-commit query in a read session (one round trip), several in a managed
    read transaction."""

    def work(tx: neo4j.ManagedTransaction) -> list[list[dict[str, Any]]]:
        return [[r.data() for r in tx.run(text, params)] for text, params in statements]  # type: ignore[arg-type]

    def call() -> Any:
        with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
            if len(statements) == 1:
                text, params = statements[0]
                return [[r.data() for r in session.run(text, params)]]  # type: ignore[arg-type]
            return session.execute_read(work)

    return call


def floors(driver: neo4j.Driver) -> dict[str, Callable[[], Any]]:
    """RETURN 1 as the engine runs a read (managed read transaction: BEGIN, RUN, COMMIT) and as
    one auto-commit run (RUN and PULL in one round trip)."""

    def managed() -> Any:
        with driver.session() as session:
            return session.execute_read(lambda tx: tx.run("RETURN 1 AS ok").single())

    def autocommit() -> Any:
        with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
            return session.run("RETURN 1 AS ok").single()

    return {"return1_managed": managed, "return1_autocommit": autocommit}


def _sample(calls: list[Callable[[], Any]], clients: int, seconds: float) -> tuple[list[float], float]:
    """Run the calls round-robin from ``clients`` threads for ``seconds``: (latencies in ms, wall seconds)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(k: int) -> None:
        i = k
        barrier.wait()
        try:
            while time.perf_counter() < deadline[0]:
                start = time.perf_counter()
                calls[i % len(calls)]()
                latencies[k].append((time.perf_counter() - start) * 1000)
                i += clients
        except BaseException as e:  # reported by the caller
            errors.append(e)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    if errors:
        raise errors[0]
    return [x for per in latencies for x in per], wall


def _figures(flat: list[float], wall: float, clients: int) -> dict[str, Any]:
    return {
        "clients": clients,
        "calls": len(flat),
        "p50_ms": round(percentile(flat, 0.50), 3),
        "p99_ms": round(percentile(flat, 0.99), 3),
        "mean_ms": round(statistics.fmean(flat), 3) if flat else 0.0,
        "ops_per_second": round(len(flat) / wall, 1) if wall > 0 else 0.0,
    }


def _warm(calls: list[Callable[[], Any]], warmup: int = 5) -> None:
    for call in (calls * warmup)[: max(warmup, min(len(calls), 20))]:
        call()


def measure(calls: list[Callable[[], Any]], clients: int, seconds: float) -> dict[str, Any]:
    """Latency and throughput of the calls, run round-robin from ``clients`` threads for ``seconds``."""
    _warm(calls)
    flat, wall = _sample(calls, clients, seconds)
    return _figures(flat, wall, clients)


def measure_side_by_side(
    paths: dict[str, list[Callable[[], Any]]], clients: int, seconds: float, rounds: int = 4
) -> dict[str, dict[str, Any]]:
    """The same as :func:`measure` for several paths (engine, raw), in alternating slices of
    ``seconds / rounds`` each, so a drift of the machine's load weighs on every path alike."""
    for calls in paths.values():
        _warm(calls)
    pooled: dict[str, tuple[list[float], float]] = {name: ([], 0.0) for name in paths}
    for _ in range(rounds):
        for name, calls in paths.items():
            flat, wall = _sample(calls, clients, seconds / rounds)
            pooled[name] = (pooled[name][0] + flat, pooled[name][1] + wall)
    return {name: _figures(flat, wall, clients) for name, (flat, wall) in pooled.items()}


def run_all(
    engine: Engine,
    driver: neo4j.Driver,
    sample: Sample,
    *,
    seconds: float,
    clients: tuple[int, ...] = CLIENTS,
    only: set[str] | None = None,
    log: Any = print,
) -> dict[str, Any]:
    """Every figure of one graph: the floors, then each operation x variant x path x clients. Each
    cell also measures the ``RETURN 1`` round trip in the same alternating slices (``floor``), so
    a ratio to the floor compares figures taken under the same conditions."""
    out: dict[str, Any] = {"floor": {}, "operations": {}}
    paths = {name: [call] for name, call in floors(driver).items()}
    for c in clients:
        for name, figures in measure_side_by_side(paths, c, seconds).items():
            out["floor"].setdefault(name, {})[str(c)] = figures
    for name in paths:
        log(f"  floor {name:24} p50 {out['floor'][name]['1']['p50_ms']:.3f} ms")
    for name, variants in operations(sample).items():
        if only and name not in only:
            continue
        for variant, engine_calls in variants.items():
            if not engine_calls:
                continue
            bound = [lambda c=c: c(engine) for c in engine_calls]
            floor = [floors(driver)["return1_autocommit"]]
            raw = [raw_call(driver, record(engine, c)) for c in engine_calls]
            cell: dict[str, Any] = {"engine": {}, "raw": {}, "statements": len(record(engine, engine_calls[0]))}
            for c in clients:
                paths = {"engine": bound, "raw": raw, "floor": floor}
                for path, figures in measure_side_by_side(paths, c, seconds).items():
                    cell.setdefault(path, {})[str(c)] = figures
            out["operations"].setdefault(name, {})[variant] = cell
            e1, r1 = cell["engine"]["1"], cell["raw"]["1"]
            log(
                f"  {name:20} {variant:8} engine p50 {e1['p50_ms']:8.3f} p99 {e1['p99_ms']:8.3f} ms"
                f" | raw p50 {r1['p50_ms']:8.3f} p99 {r1['p99_ms']:8.3f} ms"
            )
    return out
