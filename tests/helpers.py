"""Small helpers shared by the tests (building graphs tersely)."""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import threading
import time
import traceback

import pytest

from mutuals import Engine
from mutuals.io import cursor as cursor_module
from mutuals.io.cursor import Cursors


def start_all(threads: list[threading.Thread]) -> None:
    """Start the threads as daemons: one that never returns cannot keep the test process alive."""
    for thread in threads:
        thread.daemon = True
        thread.start()


def join_all(threads: list[threading.Thread], timeout: float = 300.0) -> None:
    """Wait for every thread; one still running after ``timeout`` seconds (together) fails the test
    with the stack of each such thread, so that a hang is a failure that says where it stands."""
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread for thread in threads if thread.is_alive()]
    if stuck:
        frames = sys._current_frames()
        stacks = "".join(
            f"\n{thread.name}:\n" + "".join(traceback.format_stack(frames[thread.ident]))
            for thread in stuck
            if thread.ident in frames
        )
        pytest.fail(f"{len(stuck)} of {len(threads)} threads still running after {timeout:.0f} s:{stacks}")


def wipe(engine: Engine) -> None:
    """Delete every node and relationship (the schema stays)."""
    engine.query("MATCH (n) DETACH DELETE n", write=True)


def people(engine: Engine, *ids: str, private: tuple[str, ...] = ()) -> None:
    """Create accounts (those named in ``private`` are private)."""
    for uid in ids:
        engine.user_add(uid, private=uid in private)


def follows(engine: Engine, *pairs: str) -> None:
    """Follows written as "a>b" (a follows b) or "a<>b" (friends)."""
    for pair in pairs:
        if "<>" in pair:
            a, b = pair.split("<>")
            engine.follow(a, b)
            engine.follow(b, a)
        else:
            a, b = pair.split(">")
            engine.follow(a, b)


def settle_outbox(engine: Engine) -> int:
    """Number every change set waiting in the outbox (a read of the events does: its numbering
    pass is a write), so that a snapshot taken now is not changed by the next read; the last seq."""
    row = engine.query("OPTIONAL MATCH (c:EventSeq {id: 'events'}) RETURN coalesce(c.n, 0) AS n").rows[0]
    last = int(row["n"])
    while page := engine.events(last, 1000):
        last = page[-1].seq
    return last


def snapshot(engine: Engine) -> tuple[dict[str, int], str]:
    """Counts of nodes by label and relationships by type, and a hash of every node's and
    relationship's content: equal snapshots mean the data did not change (the outbox is settled
    first: numbering what a write appended is the outbox's own bookkeeping, not a change)."""
    settle_outbox(engine)
    nodes = engine.query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").rows
    rels = engine.query("MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, a.id AS a, b.id AS b").rows
    counts: dict[str, int] = {}
    for node in nodes:
        key = ":".join(sorted(node["labels"]))
        counts[key] = counts.get(key, 0) + 1
    for rel in rels:
        counts[rel["type"]] = counts.get(rel["type"], 0) + 1
    lines = sorted(json.dumps(row, sort_keys=True, default=str) for row in (*nodes, *rels))
    return counts, hashlib.sha256("\n".join(lines).encode()).hexdigest()


def forge_cursor(secret: str | None, scope: str, key: object, issued: int) -> str:
    """A cursor as the engine makes them, signed with ``secret`` (what a forger would try)."""
    payload = json.dumps([cursor_module.VERSION, scope, key, issued], separators=(",", ":")).encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return body + "." + Cursors(secret)._sign(payload)
