"""Relationship events: an outbox in Neo4j, written in the same transaction as each change.

A write appends its changes as one pending change set (``events_append``), touching nothing
shared, so writers of unrelated accounts never wait for each other. A read (:func:`poll`) numbers
the change sets committed so far in a short pass (``events_sequence_upto``, ``events_sequence``,
``events_assign``, under the counter's lock), so that every change gets a ``seq`` 1, 2, 3...
exactly once, in an order that agrees with real time: a change that committed before another
was appended has the smaller ``seq`` (docs/services.md states the guarantee, docs/decisions.md
why). A notification worker
reads ``events(after=seq)`` in order, stores the last ``seq`` it handled, and asks again: no gap,
no duplicate, even across concurrent writers and consumer restarts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import Expired, InvalidInput
from mutuals.base.limits import DEFAULT_READ as DEFAULT_READ  # defined once, in base
from mutuals.base.limits import DEFAULT_RETENTION_DAYS as DEFAULT_RETENTION_DAYS
from mutuals.base.limits import MAX_POLL as MAX_POLL
from mutuals.base.limits import MAX_READ as MAX_READ
from mutuals.base.limits import MAX_RETENTION_DAYS as MAX_RETENTION_DAYS
from mutuals.base.limits import MIN_POLL as MIN_POLL
from mutuals.base.models import Event
from mutuals.io.plan import Plan, PlanFactory, Result, Run
from mutuals.io.runner import Op, Runner

TYPES: Final = (
    "account_created",
    "account_updated",
    "account_deleted",
    "followed",
    "became_friends",
    "unfollowed",
    "friendship_ended",
    "requested",
    "request_cancelled",
    "approved",
    "denied",
    "follower_removed",
    "blocked",
    "unblocked",
    "post_created",
    "visibility_changed",
    "post_deleted",
    "liked",
    "commented",
    "messaged",
    "dueted",
    "stitched",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One state change to record: ``actor`` did ``type`` to ``subject`` (and/or ``post``)."""

    type: str
    actor: str | None = None
    subject: str | None = None
    post: str | None = None
    detail: str | None = None

    def params(self) -> dict[str, Any]:
        assert self.type in TYPES, self.type
        return {
            "type": self.type,
            "actor": self.actor,
            "subject": self.subject,
            "post": self.post,
            "detail": self.detail,
        }


SEQUENCE_BATCH: Final = 1_000  # change sets numbered by one sequencing pass at most
# the writes that carry their changes' append in the same statement (emit_with): each returns
# nothing, and tests/test_cypher.py EXPLAINs each ``NAME+events_append``
CARRY_EVENTS: Final = frozenset(
    {
        "follow_create",
        "follow_delete",
        "request_delete",
        "block_create",
        "block_delete",
        "interaction_like",
        "interaction_post",
    }
)


def change_set(changes: Sequence[Change]) -> dict[str, Any]:
    """A change set as ``events_append`` takes it (``$changes``): parallel lists, '' for an empty
    field (a list property cannot hold a null)."""
    rows = [c.params() for c in changes]
    return {
        "types": [r["type"] for r in rows],
        "actors": [r["actor"] or "" for r in rows],
        "subjects": [r["subject"] or "" for r in rows],
        "posts": [r["post"] or "" for r in rows],
        "details": [r["detail"] or "" for r in rows],
    }


def emit(*changes: Change) -> Plan[None]:
    """Append the changes to the outbox as the last statement of the writer's transaction."""
    if changes:
        yield Run("events_append", {"changes": change_set(changes)})


def emit_with(write: Run, *changes: Change) -> Plan[Result]:
    """A write whose result the plan does not need, and its changes' append, in one statement (one
    round trip instead of two: ``follow_create+events_append``); the write alone when nothing changed."""
    if not changes:
        return (yield write)
    assert write.name in CARRY_EVENTS, f"{write.name} is not among the writes that carry events"
    assert "changes" not in write.params, f"{write.name} shares a parameter name with events_append"
    return (yield Run(f"{write.name}+events_append", {**write.params, "changes": change_set(changes)}))


def ended_friendship(actor: str, subject: str, were_friends: bool) -> tuple[Change, ...]:
    """``friendship_ended`` when a follow between two friends is removed."""
    return (Change("friendship_ended", actor, subject),) if were_friends else ()


def _native(at: Any) -> Any:
    return at.to_native() if at is not None and hasattr(at, "to_native") else at


def expand(node: dict[str, Any]) -> list[Event]:
    """The events of a (cut) numbered change set, as ``events_read`` returns it: its changes from
    ``seq`` on; a node written before change sets has its one change's fields as single values."""
    at = _native(node.get("at"))
    if node.get("types") is None:  # one change per node (the outbox before change sets)
        return [
            Event(
                node["seq"],
                node["type"],
                node.get("actor"),
                node.get("subject"),
                node.get("post"),
                node.get("detail"),
                at,
            )
        ]
    columns = zip(node["types"], node["actors"], node["subjects"], node["posts"], node["details"], strict=True)
    return [
        Event(node["seq"] + i, kind, actor or None, subject or None, post or None, detail or None, at)
        for i, (kind, actor, subject, post, detail) in enumerate(columns)
    ]


@dataclass(frozen=True, slots=True)
class Page:
    """A read of the outbox: the events after the cursor, how far it was pruned, and whether
    change sets wait to be numbered."""

    events: tuple[Event, ...]
    pruned_through: int
    pending: bool


def _checked(after: Any, limit: Any) -> tuple[int, int]:
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise InvalidInput("after", f"must be a whole number >= 0 (the last seq you handled), got {v.shown(after)}")
    return after, v.limit("limit", limit, maximum=MAX_READ)


def _page(after: int, limit: int) -> Plan[Page]:
    result = yield Run("events_read", {"after": after, "limit": limit})
    row = result.one()
    assert row is not None
    found = [e for node in row["events"] for e in expand(node)]
    assert all(after < e.seq <= after + limit for e in found) and len(found) == len({e.seq for e in found})
    return Page(tuple(found), row["pruned_through"], bool(row["pending"]))


def sequence(limit: int = SEQUENCE_BATCH) -> Plan[int]:
    """A numbering pass (in a write transaction): number the change sets committed so far, at
    most ``limit`` of them, oldest first; answer how many changes got their ``seq``.

    Two reads, one after the other: the latest append time ``upto`` among the sets committed
    when the first ran, then every set committed when the second ran that was appended no later
    than ``upto``. A set that committed before one of those was appended was appended earlier
    still and committed before the second read began: it is among them, so a later pass never
    numbers a change that happened before one numbered now (the server's clock is assumed not to
    step back while a pass runs)."""
    first_read = yield Run("events_sequence_upto", {})
    head = first_read.one()
    assert head is not None
    n = first = int(head["n"])
    if head["upto"] is None:
        return 0
    result = yield Run("events_sequence", {"upto": head["upto"], "limit": limit})
    row = result.one()
    assert row is not None
    rows = []
    for element, size in row["pending"]:
        rows.append({"id": element, "seq": n + 1, "last": n + size})
        n += size
    if rows:
        yield Run("events_assign", {"rows": rows, "n": n})
    return n - first


def read(after: Any = 0, limit: Any = DEFAULT_READ) -> PlanFactory[Page]:
    """The events with ``seq > after`` numbered so far (checks the arguments now)."""
    start, size = _checked(after, limit)

    def plan() -> Plan[Page]:
        return (yield from _page(start, size))

    return plan


def _sequenced_read(after: int, limit: int) -> PlanFactory[Page]:
    def plan() -> Plan[Page]:
        yield from sequence()
        return (yield from _page(after, limit))

    return plan


def poll(runner: Runner, after: Any = 0, limit: Any = DEFAULT_READ) -> Op[tuple[Event, ...]]:
    """Events with ``seq > after``, in order, at most ``limit``. A read; when change sets wait to be
    numbered and the page is not full, a sequencing pass and the read again, in one write
    transaction. :class:`Expired` when some were pruned before being read."""
    start, size = _checked(after, limit)
    return _poll(runner, start, size)


def _poll(runner: Runner, after: int, limit: int) -> Op[tuple[Event, ...]]:
    page = yield from runner.read(read(after, limit))
    if page.pending and len(page.events) < limit:
        page = yield from runner.write(_sequenced_read(after, limit))
    if after < page.pruned_through:
        raise Expired(
            f"events {after + 1}..{page.pruned_through} were pruned before they were read; "
            f"resume from {page.pruned_through} and reconcile"
        )
    return page.events


def poll_seconds(value: Any) -> float:
    """The pause between two reads of a follow loop: a number of seconds from MIN_POLL to MAX_POLL."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not MIN_POLL <= value <= MAX_POLL:
        raise InvalidInput("poll", f"must be a number of seconds from {MIN_POLL} to {MAX_POLL:g}, got {v.shown(value)}")
    return float(value)


@dataclass(frozen=True, slots=True)
class Pruned:
    """What a prune deleted, and the seq through which the outbox is now pruned (``token``: the
    consistency token of the write)."""

    deleted: int
    pruned_through: int
    token: str | None = None


def prune(older_than_days: Any, *, batch: int = 10_000) -> PlanFactory[Pruned]:
    """Delete events older than ``older_than_days`` (the retention), oldest first, a batch at a time."""
    if (
        isinstance(older_than_days, bool)
        or not isinstance(older_than_days, (int, float))
        or not 0 <= older_than_days <= MAX_RETENTION_DAYS  # also refuses NaN
    ):
        raise InvalidInput(
            "older_than_days",
            f"must be a number of days from 0 to {MAX_RETENTION_DAYS}, got {v.shown(older_than_days)}",
        )
    before = datetime.now(UTC) - timedelta(days=older_than_days)

    def plan() -> Plan[Pruned]:
        result = yield Run("events_prune", {"before": before, "batch": batch})
        row = result.one()
        if row is None:  # no event was ever written
            return Pruned(0, 0)
        return Pruned(row["deleted"], row["pruned_through"] or 0)

    return plan
