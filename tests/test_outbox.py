"""The event outbox without a global lock (docs/services.md, "Events"; docs/decisions.md).

Writers of unrelated accounts append their change sets without waiting for each other; a read
numbers what has committed. What consumers rely on still holds: every event committed with its
change, no gap and no duplicate for a cursor, and an order that agrees with real time (a change
that committed before another began has the smaller seq), under 16 concurrent writers.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import neo4j
import pytest
from helpers import people

from mutuals import Config, Engine, Event
from mutuals.io.cypher import statement
from mutuals.ops import events as outbox
from mutuals.ops.events import Change

WRITERS = 16


@dataclass(frozen=True)
class Timed:
    """A write as its thread saw it: when it was called and when it returned (monotonic clock)."""

    start: float
    end: float
    post: str


def test_16_writers_a_restarted_consumer_no_gap_no_duplicate_and_real_time_order(engine: Engine) -> None:
    authors = [f"a{i}" for i in range(12)]
    people(engine, *authors)
    base = outbox_end(engine)
    timed: list[Timed] = []
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    done = threading.Event()

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        for k in range(24):
            if k % 3 == 0:  # a post: its event names it, so its seq can be found
                post = f"p{seed}-{k}"
                start = time.monotonic()
                engine.post_add(post, rng.choice(authors), "public")
                end = time.monotonic()
                with lock:
                    timed.append(Timed(start, end, post))
                    outcomes["post_created"] += 1
            else:  # follows, unfollows, blocks between shared accounts: changes that share locks
                a, b = rng.sample(authors, 2)
                verb = rng.choice(["follow", "follow", "unfollow", "block", "unblock"])
                result = getattr(engine, verb)(a, b)
                with lock:
                    outcomes["refused" if result.refused else result.outcome] += 1

    consumed: list[int] = []
    seen: dict[str, int] = {}
    cursor = {"after": base}

    def consumer(stop_after: int | None) -> None:
        """Reads small pages while the writers run, storing its cursor after each event."""
        handled = 0
        while True:
            page = engine.events(cursor["after"], 9)
            if not page and done.is_set():
                page = engine.events(cursor["after"], 9)  # a last read after the writers ended
                if not page:
                    return
            for event in page:
                consumed.append(event.seq)
                if event.type == "post_created" and event.post is not None:
                    seen[event.post] = event.seq
                cursor["after"] = event.seq
                handled += 1
                if stop_after is not None and handled >= stop_after:
                    return  # a crash: only the stored cursor survives

    first = threading.Thread(target=consumer, args=(60,))
    writers = [threading.Thread(target=writer, args=(seed,)) for seed in range(WRITERS)]
    first.start()
    for t in writers:
        t.start()
    first.join()
    second = threading.Thread(target=consumer, args=(None,))  # the restart, from the stored cursor
    second.start()
    for t in writers:
        t.join()
    done.set()
    second.join()

    last = outbox_end(engine)
    assert consumed == list(range(base + 1, last + 1)), "events were skipped, repeated or out of order"
    changed = {"followed", "became_friends", "unfollowed", "blocked", "unblocked", "post_created"}
    primary = [e for e in read_all(engine, base) if e.type != "friendship_ended"]
    assert len(primary) == sum(n for outcome, n in outcomes.items() if outcome in changed)
    assert set(seen) == {t.post for t in timed}
    # real time: a write that returned before another was called has the smaller seq
    inverted = [(x.post, y.post) for x in timed for y in timed if x.end < y.start and seen[x.post] > seen[y.post]]
    assert inverted == []
    # and the order of each pair's changes is the order they were made (their locks order them)
    state: dict[tuple[str, str], str] = {}
    for event in read_all(engine, base):
        if event.type in {"followed", "became_friends", "unfollowed"} and event.actor and event.subject:
            key = (event.actor, event.subject)
            if event.type == "unfollowed":
                assert state.get(key) == "follows", f"{key} unfollowed before it was followed"
                state[key] = "none"
            else:
                assert state.get(key) != "follows", f"{key} followed twice in a row"
                state[key] = "follows"
        elif event.type == "blocked" and event.actor and event.subject:
            state[(event.actor, event.subject)] = state[(event.subject, event.actor)] = "none"


def test_writers_and_readers_never_wait_for_an_open_append(engine: Engine, config: Config) -> None:
    """A change set appended and not yet committed blocks nobody: writes of other accounts commit
    meanwhile, and a read numbers what has committed and returns; the open one is numbered by
    the first read after it commits, after the others (it committed last)."""
    people(engine, "u0", "u1", "u2", "u3", "u4", "u5")
    base = outbox_end(engine)
    held = Change("followed", "u0", "u1")
    driver = neo4j.GraphDatabase.driver(config.uri or "", auth=(config.username, config.password or ""))
    try:
        with driver.session() as session:
            tx = session.begin_transaction()
            tx.run(
                statement("events_append"), {"changes": outbox.change_set([held])}
            ).consume()  # appended, not committed
            results: dict[str, object] = {}

            def call(name: str, fn: object) -> threading.Thread:
                thread = threading.Thread(target=lambda: results.__setitem__(name, fn()), daemon=True)  # type: ignore[operator]
                thread.start()
                return thread

            for name, pair in (("first", ("u2", "u3")), ("second", ("u4", "u5"))):
                writer = call(name, lambda pair=pair: engine.follow(*pair))
                writer.join(60)
                assert not writer.is_alive(), "a write waited for another account's open append"
            reader = call("read", lambda: engine.events(base, 100))
            reader.join(60)
            assert not reader.is_alive(), "a read waited for an open append"
            assert [(e.seq, e.type, e.actor, e.subject) for e in results["read"]] == [  # type: ignore[attr-defined]
                (base + 1, "followed", "u2", "u3"),
                (base + 2, "followed", "u4", "u5"),
            ]
            tx.commit()
    finally:
        driver.close()
    later = engine.events(base + 2, 100)
    assert [(e.seq, e.type, e.actor, e.subject) for e in later] == [(base + 3, "followed", "u0", "u1")]


def test_a_change_set_is_numbered_whole_and_read_from_its_middle(engine: Engine) -> None:
    """An Event numbers its changes seq..last: a cursor inside it resumes at the next change."""
    people(engine, "ann", "ben")
    engine.follow("ann", "ben")
    engine.follow("ben", "ann")
    base = outbox_end(engine)
    engine.block("ann", "ben")  # blocked + friendship_ended: one change set of two
    both = engine.events(base, 10)
    assert [(e.seq, e.type) for e in both] == [(base + 1, "blocked"), (base + 2, "friendship_ended")]
    assert [(e.seq, e.type) for e in engine.events(base + 1, 10)] == [(base + 2, "friendship_ended")]
    assert [e.type for e in engine.events(base, 1)] == ["blocked"]
    assert engine.events(base + 2, 10) == ()


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_sequencing_numbers_the_oldest_first_across_passes(engine: Engine, limit: int) -> None:
    """A pass numbers at most SEQUENCE_BATCH change sets; what it leaves is numbered next, after."""
    people(engine, "ann")
    base = outbox_end(engine)
    for i in range(7):
        engine.post_add(f"p{i}", "ann", "public")
    seen = [e.post for e in read_all(engine, base, limit)]
    assert seen == [f"p{i}" for i in range(7)]


def outbox_end(engine: Engine) -> int:
    """The last seq numbered so far (after numbering what is pending)."""
    last = 0
    while page := engine.events(last, 1000):
        last = page[-1].seq
    return last


def read_all(engine: Engine, after: int, limit: int = 1000) -> list[Event]:
    found = []
    while page := engine.events(after, limit):
        found.extend(page)
        after = page[-1].seq
    return found


def test_an_import_emits_the_events_of_its_rows_in_file_order(engine: Engine, tmp_path: Path) -> None:
    """Bulk imports append their changes too (one change set per batch): the events a consumer
    reads are those of the rows written one by one, in file order; re-running changes nothing."""
    files = {
        "users": "id,private\nann,false\nben,false\ncat,true\ndan,false\n",
        "follows": "follower,followee\nann,ben\nben,ann\ndan,ann\nann,dan\nann,ghost\n",
        "requests": "requester,target\ndan,cat\n",
        "blocks": "blocker,blocked\nann,dan\n",
        "posts": "id,author,visibility\np1,ann,public\np2,cat,public\np3,ben,friends\n",
        "interactions": "kind,actor,target,at\nmessage,ben,ann,2026-01-01T00:00:00Z\n"
        "like,ben,p1,2026-01-01T00:00:01Z\nlike,dan,p2,2026-01-01T00:00:02Z\n",
    }
    base = outbox_end(engine)
    for kind, text in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text)
        engine.import_(kind, path)
    (tmp_path / "public.csv").write_text("id,private\ncat,false\n")
    engine.import_("users", tmp_path / "public.csv")  # cat goes public: dan's request is approved
    assert [(e.type, e.actor, e.subject, e.post, e.detail) for e in read_all(engine, base)] == [
        ("account_created", "ann", None, None, None),
        ("account_created", "ben", None, None, None),
        ("account_created", "cat", None, None, None),
        ("account_created", "dan", None, None, None),
        ("followed", "ann", "ben", None, None),
        ("became_friends", "ben", "ann", None, None),
        ("followed", "dan", "ann", None, None),
        ("became_friends", "ann", "dan", None, None),
        ("requested", "dan", "cat", None, None),
        ("blocked", "ann", "dan", None, None),
        ("friendship_ended", "ann", "dan", None, None),
        ("post_created", "ann", None, "p1", "public"),
        ("post_created", "cat", None, "p2", "followers"),
        ("post_created", "ben", None, "p3", "friends"),
        ("messaged", "ben", "ann", None, None),
        ("liked", "ben", "ann", "p1", None),
        ("account_updated", "cat", None, None, "private=false"),
        ("visibility_changed", "cat", None, "p2", "public"),
        ("approved", "cat", "dan", None, None),
    ]
    last = outbox_end(engine)
    for kind in files:  # users.csv again would make cat private again: a change, with its events
        if kind != "users":
            engine.import_(kind, tmp_path / f"{kind}.csv")
    engine.import_("users", tmp_path / "public.csv")
    # the rows written the first time append nothing again; the one refused then (dan could not
    # see cat's post) is allowed now that cat is public and dan follows cat
    assert [(e.type, e.actor, e.subject) for e in read_all(engine, last)] == [("liked", "dan", "cat")]
