"""Write throughput and latency: the engine's verbs side by side with the raw driver making the
same graph change (no rules, no outbox), at 1, 4 and 16 clients, in alternating slices.

Each operation draws fresh arguments from a pool of its own for each path (follow: random pairs
of accounts; unfollow: follows of the loaded graph; post_add: new post ids; like: public posts of
public accounts; block: random pairs), so no call repeats another and the two paths never touch
the same pair. The raw path is what a hand-written service would send for the change alone: one
statement in a managed write transaction (``session.execute_write``), each client its own session
per call, like the engine. The engine adds its rules (the pair's state, admission, the check), the
account locks and the event outbox (docs/decisions.md, "The outbox numbers committed change
sets"): the ratio of the two is the price of those. ``follow_consumed`` measures the follows again
while a consumer reads the outbox (every read numbers what committed since the last).
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import neo4j

from mutuals import Engine, MutualsError

from .latency import CLIENTS, measure_side_by_side

OPERATIONS = ("follow", "unfollow", "post_add", "like", "block")

RAW: dict[str, str] = {
    "follow": "MATCH (a:Account {id: $a}), (b:Account {id: $b}) "
    "MERGE (a)-[r:FOLLOWS]->(b) ON CREATE SET r.src = a.id, r.dst = b.id, r.since = datetime()",
    "unfollow": "MATCH (:Account {id: $a})-[r:FOLLOWS]->(:Account {id: $b}) DELETE r",
    "post_add": "MATCH (a:Account {id: $a}) CREATE (a)-[:POSTED]->(:Post {id: $b, author: $a, "
    "visibility: 'public', created_at: datetime()})",
    "like": "MATCH (a:Account {id: $a}), (p:Post {id: $b}) MERGE (a)-[i:INTERACTED {kind: 'like'}]->(p) "
    "ON CREATE SET i.src = a.id, i.dst = p.author, i.post = p.id, i.at = datetime()",
    "block": "MATCH (a:Account {id: $a}), (b:Account {id: $b}) "
    "CALL (a, b) { MATCH (a)-[r:FOLLOWS|REQUESTED]-(b) DELETE r } "
    "MERGE (a)-[r:BLOCKS]->(b) ON CREATE SET r.src = a.id, r.dst = b.id, r.at = datetime()",
}


def engine_call(engine: Engine, op: str) -> Callable[[str, str], Any]:
    """The engine verb of an operation, over (first, second) arguments."""
    if op == "post_add":
        return lambda a, b: engine.post_add(b, a, "public")
    if op == "like":

        def like(a: str, b: str) -> Any:
            try:
                return engine.interact("like", a, b)
            except MutualsError:  # a block between the pair refuses it: the check ran all the same
                return None

        return like
    return getattr(engine, op)  # type: ignore[no-any-return]


def raw_call(driver: neo4j.Driver, op: str) -> Callable[[str, str], Any]:
    """The same graph change on the raw driver: one statement in a managed write transaction."""
    text = RAW[op]

    def call(a: str, b: str) -> Any:
        with driver.session() as session:
            return session.execute_write(lambda tx: tx.run(text, {"a": a, "b": b}).consume())

    return call


def drawing(pool: list[tuple[str, str]], do: Callable[[str, str], Any]) -> Callable[[], Any]:
    """A call that takes the next arguments of ``pool`` (shared by every client thread: ``next``
    on a counter is atomic), so no two calls of a run get the same ones while the pool lasts."""
    counter: Iterator[int] = itertools.count()

    def call() -> Any:
        a, b = pool[next(counter) % len(pool)]
        return do(a, b)

    return call


def pools(data: Path, rng: random.Random, size: int) -> dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """For each operation, two disjoint pools of arguments (engine, raw) of ``size`` each."""
    accounts: list[str] = []
    private: set[str] = set()
    with (data / "users.csv").open() as handle:
        header = next(handle).rstrip("\n").split(",")
        column = header.index("private") if "private" in header else None
        for line in handle:
            cells = line.rstrip("\n").split(",")
            accounts.append(cells[0])
            if column is not None and cells[column].lower() in ("true", "1"):
                private.add(cells[0])
    edges: list[tuple[str, str]] = []
    with (data / "follows.csv").open() as handle:
        next(handle)
        for line in handle:
            a, b = line.rstrip("\n").split(",")[:2]
            edges.append((a, b))
    public_posts: list[str] = []
    with (data / "posts.csv").open() as handle:
        next(handle)
        for line in handle:
            pid, author, visibility = line.rstrip("\n").split(",")[:3]
            if visibility == "public" and author not in private:
                public_posts.append(pid)
    public_accounts = [a for a in accounts if a not in private]
    stamp = int(time.time())

    def pairs(firsts: list[str], seconds: list[str], n: int) -> list[tuple[str, str]]:
        out = []
        while len(out) < n:
            a, b = rng.choice(firsts), rng.choice(seconds)
            if a != b:
                out.append((a, b))
        return out

    def split(items: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        half = len(items) // 2
        return items[:half], items[half:]

    rng.shuffle(edges)
    return {
        # follows of public accounts: a plain follow each (a private followee would make a request)
        "follow": split(pairs(accounts, public_accounts, 2 * size)),
        "unfollow": split(edges[: 2 * size]),
        "post_add": split([(rng.choice(accounts), f"wb-{stamp}-{i}") for i in range(2 * size)]),
        "like": split(pairs(public_accounts, public_posts or ["none"], 2 * size)),
        "block": split(pairs(accounts, accounts, 2 * size)),
    }


def run_all(
    engine: Engine,
    driver: neo4j.Driver,
    data: Path,
    *,
    seconds: float,
    clients: tuple[int, ...] = CLIENTS,
    pool_size: int = 50_000,
    log: Any = print,
) -> dict[str, Any]:
    """Every write figure of one graph: operation x clients x path (engine, raw)."""
    drawn = pools(data, random.Random(int(time.time())), pool_size)
    out: dict[str, Any] = {}
    for op in OPERATIONS:
        engine_pool, raw_pool = drawn[op]
        paths = {
            "engine": [drawing(engine_pool, engine_call(engine, op))],
            "raw": [drawing(raw_pool, raw_call(driver, op))],
        }
        cell: dict[str, Any] = {}
        for c in clients:
            for path, figures in measure_side_by_side(paths, c, seconds).items():
                cell.setdefault(path, {})[str(c)] = figures
        out[op] = cell
        rates = [(c, cell["engine"][str(c)]["ops_per_second"], cell["raw"][str(c)]["ops_per_second"]) for c in clients]
        line = " | ".join(f"{c} clients engine {e:,.0f}/s raw {r:,.0f}/s" for c, e, r in rates)
        log(f"  write {op:9} {line}")
    # the same follows while a consumer reads the outbox every CONSUMER_PAUSE seconds (each read
    # numbers what committed since the last one: docs/decisions.md), raw slices under the same load
    engine_pool, raw_pool = pools(data, random.Random(int(time.time()) + 1), pool_size)["follow"]
    paths = {
        "engine": [drawing(engine_pool, engine_call(engine, "follow"))],
        "raw": [drawing(raw_pool, raw_call(driver, "follow"))],
    }
    cell = {}
    with consuming(engine) as read:
        for c in clients:
            for path, figures in measure_side_by_side(paths, c, seconds).items():
                cell.setdefault(path, {})[str(c)] = figures
    cell["events_read"] = read()
    out["follow_consumed"] = cell
    log(f"  write follow_consumed: {read()['events']:,} events read in {read()['reads']:,} reads")
    return out


CONSUMER_PAUSE = 0.1


@contextmanager
def consuming(engine: Engine) -> Iterator[Callable[[], dict[str, int]]]:
    """A consumer thread reading the events from the end of the outbox, pausing CONSUMER_PAUSE
    seconds after each read that found nothing new; yields a function of what it read so far."""
    stop = threading.Event()
    seen = {"events": 0, "reads": 0}
    last = 0
    while page := engine.events(last, 1000):  # start from the end: what earlier writes appended
        last = page[-1].seq

    def consume() -> None:
        after = last
        while not stop.is_set():
            found = engine.events(after, 1000)
            seen["reads"] += 1
            seen["events"] += len(found)
            if found:
                after = found[-1].seq
            else:
                stop.wait(CONSUMER_PAUSE)

    thread = threading.Thread(target=consume, name="bench-consumer", daemon=True)
    thread.start()
    try:
        yield lambda: dict(seen)
    finally:
        stop.set()
        thread.join()
