"""A mixed workload of reads and writes for soaks, and the connection counts that show a leak.

Used by ``tests/test_soak.py`` (about a minute) and ``bench/soak.py`` (as long as you like).
Everything it creates has ids starting with its prefix, so it can run next to other data and
clean up after itself.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mutuals import Engine, NotAllowed

READ_SHARE = 0.7


def bolt_port(engine: Engine) -> int:
    """The port of the server the engine talks to."""
    return int(engine.uri.rsplit(":", 1)[1].split("/")[0])


def client_sockets(port: int) -> int:
    """Established TCP connections of this process to ``port`` (from /proc/self/fd and /proc/net/tcp*)."""
    remote: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "01":  # ESTABLISHED
                remote[int(fields[9])] = int(fields[2].rsplit(":", 1)[1], 16)
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:[") and remote.get(int(link[8:-1])) == port:
            count += 1
    return count


def server_connections(engine: Engine) -> int:
    """Bolt connections the server holds for mutuals clients (``dbms.listConnections``, Community 5.26)."""
    rows = engine.query(
        "CALL dbms.listConnections() YIELD userAgent WHERE userAgent STARTS WITH 'mutuals/' RETURN count(*) AS n"
    ).rows
    return int(rows[0]["n"])


def open_transactions(engine: Engine) -> int:
    """Transactions open on the server, apart from the one asking."""
    rows = engine.query(
        "SHOW TRANSACTIONS YIELD currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' "
        "RETURN count(*) AS n"
    ).rows
    return int(rows[0]["n"])


@dataclass
class SoakResult:
    """What a soak did and what it measured."""

    seconds: float = 0.0
    threads: int = 0
    operations: int = 0
    reads: int = 0
    writes: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    by_operation: Counter[str] = field(default_factory=Counter)
    # (seconds since start, client sockets to the Bolt port, server-side mutuals connections)
    samples: list[tuple[float, int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 1),
            "threads": self.threads,
            "operations": self.operations,
            "reads": self.reads,
            "writes": self.writes,
            "refused": self.refused,
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
            "operations_per_second": round(self.operations / self.seconds, 1) if self.seconds else 0.0,
            "client_sockets_max": max((s[1] for s in self.samples), default=0),
            "client_sockets_last": self.samples[-1][1] if self.samples else 0,
            "server_connections_max": max((s[2] for s in self.samples), default=0),
            "samples": len(self.samples),
        }


class Workload:
    """Accounts ``{prefix}u0..`` with follows and posts, and a random mix of reads and writes on them."""

    def __init__(self, engine: Engine, *, prefix: str = "soak", accounts: int = 40, seed: int = 0) -> None:
        self.engine = engine
        self.prefix = prefix
        self.users = [f"{prefix}u{i}" for i in range(accounts)]
        self.posts: list[str] = []
        self.seed = seed

    def setup(self) -> None:
        rng = random.Random(self.seed)
        eng = self.engine
        for i, user in enumerate(self.users):
            eng.user_add(user, private=i % 7 == 0, dm_policy=rng.choice(["everyone", "friends"]))
        for user in self.users:
            for other in rng.sample(self.users, 6):
                if other != user:
                    eng.follow(user, other)
        for n, user in enumerate(self.users):
            post = f"{self.prefix}p{n}"
            eng.post_add(post, user, rng.choice(["public", "followers", "friends", "only_me"]))
            self.posts.append(post)

    def cleanup(self) -> None:
        for user in self.users:
            self.engine.user_delete(user)

    def _read(self, rng: random.Random) -> str:
        eng, u, w, p = self.engine, rng.choice(self.users), rng.choice(self.users), rng.choice(self.posts)
        reads: list[tuple[str, Callable[[], Any]]] = [
            ("friends", lambda: eng.friends(u, limit=20)),
            ("followers", lambda: eng.followers(u, limit=20)),
            ("segments", lambda: eng.segments(u)),
            ("relationship", lambda: eng.relationship(u, w) if u != w else eng.user_show(u)),
            ("can_view", lambda: eng.can_view(u, p)),
            ("can_view_many", lambda: eng.can_view_many(u, rng.sample(self.posts, 10))),
            ("feed", lambda: eng.feed(u, tab=rng.choice(["following", "friends", "for_you"]), limit=10)),
            ("suggest", lambda: eng.suggest(u)),
            ("known_followers", lambda: eng.known_followers(u, w)),
            ("audience", lambda: eng.audience(p, limit=20)),
        ]
        name, call = rng.choice(reads)
        page = call()
        cursor = getattr(page, "next_cursor", None)
        if name == "followers" and cursor:
            eng.followers(u, limit=20, cursor=cursor)  # the next page too: cursors under load
        return name

    def _write(self, rng: random.Random) -> str:
        eng = self.engine
        a, b = rng.sample(self.users, 2)
        p = rng.choice(self.posts)
        writes: list[tuple[str, Callable[[], Any]]] = [
            ("follow", lambda: eng.follow(a, b)),
            ("follow", lambda: eng.follow(a, b)),
            ("unfollow", lambda: eng.unfollow(a, b)),
            ("approve", lambda: eng.approve(a, b)),
            ("block", lambda: eng.block(a, b) if rng.random() < 0.2 else eng.unblock(a, b)),
            ("like", lambda: eng.interact("like", a, p)),
            ("comment", lambda: eng.interact("comment", a, p)),
            ("message", lambda: eng.interact("message", a, b)),
            ("visibility", lambda: eng.post_set_visibility(p, rng.choice(["public", "followers", "friends"]))),
            ("privacy", lambda: eng.user_set(a, private=rng.random() < 0.15)),
        ]
        name, call = rng.choice(writes)
        call()
        return name

    def run(self, seconds: float, *, threads: int = 8, sample_every: float = 2.0) -> SoakResult:
        """Run the mix from ``threads`` threads for ``seconds``; sample connections as it goes."""
        result = SoakResult(threads=threads)
        lock = threading.Lock()
        start = time.monotonic()
        deadline = start + seconds
        port = bolt_port(self.engine)
        done = threading.Event()

        def worker(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < deadline:
                is_read = rng.random() < READ_SHARE
                try:
                    name = self._read(rng) if is_read else self._write(rng)
                    refused = False
                except NotAllowed:  # the rules refused an interaction: an answer
                    name, refused = "refused", True
                except Exception as e:  # NotFound included: nothing is deleted, so it is an error too
                    with lock:
                        result.errors.append(f"{type(e).__name__}: {e}")
                    continue
                with lock:
                    result.operations += 1
                    result.by_operation[name] += 1
                    result.refused += refused
                    if is_read:
                        result.reads += 1
                    else:
                        result.writes += 1

        def sampler() -> None:
            while not done.wait(sample_every):
                sample = (time.monotonic() - start, client_sockets(port), server_connections(self.engine))
                with lock:
                    result.samples.append(sample)

        workers = [threading.Thread(target=worker, args=(self.seed * 1000 + i,)) for i in range(threads)]
        watcher = threading.Thread(target=sampler)
        for t in workers:
            t.start()
        watcher.start()
        for t in workers:
            t.join()
        done.set()
        watcher.join()
        result.seconds = time.monotonic() - start
        return result
