"""Many threads on the same pairs: every write is one transaction and the invariants hold."""

from __future__ import annotations

import random
import threading
from collections import Counter
from pathlib import Path

from helpers import people

from engine import Engine

USERS = [f"c{i}" for i in range(6)]


def _hammer(engine: Engine, seed: int, rounds: int, errors: list[BaseException], outcomes: Counter[str]) -> None:
    rng = random.Random(seed)
    ops = ["follow", "follow", "follow", "unfollow", "approve", "block", "unblock", "remove_follower"]
    try:
        for _ in range(rounds):
            a, b = rng.sample(USERS[:3], 2) if rng.random() < 0.7 else rng.sample(USERS, 2)
            op = rng.choice(ops)
            if rng.random() < 0.05:
                outcomes[engine.user_set(a, private=rng.random() < 0.5).outcome] += 1
                continue
            outcomes[getattr(engine, op)(a, b).outcome] += 1
    except BaseException as e:  # collected and asserted on below
        errors.append(e)


def test_sixteen_threads_on_overlapping_pairs_keep_every_invariant(engine: Engine) -> None:
    people(engine, *USERS, private=("c5",))
    errors: list[BaseException] = []
    outcomes: Counter[str] = Counter()
    threads = [threading.Thread(target=_hammer, args=(engine, seed, 40, errors, outcomes)) for seed in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(outcomes.values()) == 16 * 40
    report = engine.doctor()
    assert report.ok, report.to_dict()
    assert {"followed", "blocked"} <= set(outcomes)


def test_concurrent_follows_of_one_pair_create_one_edge(engine: Engine) -> None:
    people(engine, "a", "b")
    results: list[str] = []
    barrier = threading.Barrier(16)

    def go() -> None:
        barrier.wait()
        results.append(engine.follow("a", "b").outcome)

    threads = [threading.Thread(target=go) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["already_following"] * 15 + ["followed"]
    rows = engine.query("MATCH (:Account {id:'a'})-[r:FOLLOWS]->(:Account {id:'b'}) RETURN count(r) AS n").rows
    assert rows[0]["n"] == 1


def test_concurrent_mutual_follows_report_one_friendship(engine: Engine) -> None:
    for round_ in range(10):
        a, b = f"x{round_}", f"y{round_}"
        people(engine, a, b)
        results: list[str] = []
        barrier = threading.Barrier(2)

        def go(x: str, y: str, barrier: threading.Barrier, results: list[str]) -> None:
            barrier.wait()
            results.append(engine.follow(x, y).outcome)

        threads = [
            threading.Thread(target=go, args=(a, b, barrier, results)),
            threading.Thread(target=go, args=(b, a, barrier, results)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["became_friends", "followed"]
        assert engine.friends(a).items == (b,)


def test_imports_racing_single_operations_keep_every_invariant(engine: Engine, tmp_path: Path) -> None:
    """Follow and request imports while other threads block, unblock, follow and change privacy:
    the batches lock like the single operations, so no follow or request ever crosses a block,
    no request sits beside a follow or on a public account, and no edge is doubled."""
    ids = [f"m{i}" for i in range(8)]
    people(engine, *ids, private=("m6", "m7"))
    pairs = [f"{a},{b}" for a in ids for b in ids if a != b]
    (tmp_path / "follows.csv").write_text("follower,followee\n" + "\n".join(pairs) + "\n")
    (tmp_path / "requests.csv").write_text("requester,target\n" + "\n".join(pairs) + "\n")
    errors: list[BaseException] = []

    def imports() -> None:
        try:
            for _ in range(3):
                for kind in ("requests", "follows"):
                    summary = engine.import_(kind, tmp_path / f"{kind}.csv", batch_size=7, rejects=tmp_path / "r.csv")
                    assert summary.read == summary.written + summary.unchanged + summary.rejected
        except BaseException as e:  # collected and asserted on below
            errors.append(e)

    def singles(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(60):
                a, b = rng.sample(ids, 2)
                op = rng.choice(["block", "unblock", "unblock", "follow", "unfollow", "set"])
                if op == "set":
                    engine.user_set(a, private=rng.random() < 0.5)
                else:
                    getattr(engine, op)(a, b)
        except BaseException as e:  # collected and asserted on below
            errors.append(e)

    threads = [threading.Thread(target=imports)] + [threading.Thread(target=singles, args=(s,)) for s in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = engine.doctor()
    assert report.ok, report.to_dict()
