"""Relationship events: an ordered outbox in Neo4j, written in the same transaction as each change.

A notification worker reads ``events(after=seq)`` in order, stores the last ``seq`` it handled,
and asks again: no gap, no duplicate, even across concurrent writers and consumer restarts.
"""

from __future__ import annotations

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
from mutuals.io.plan import Plan, PlanFactory, Run

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


def emit(*changes: Change) -> Plan[None]:
    """Append the changes to the outbox as the last statement of the writer's transaction."""
    if changes:
        yield Run("events_append", {"events": [c.params() for c in changes]})


def ended_friendship(actor: str, subject: str, were_friends: bool) -> tuple[Change, ...]:
    """``friendship_ended`` when a follow between two friends is removed."""
    return (Change("friendship_ended", actor, subject),) if were_friends else ()


def _event(row: dict[str, Any]) -> Event:
    at = row.get("at")
    return Event(
        seq=row["seq"],
        type=row["type"],
        actor=row.get("actor"),
        subject=row.get("subject"),
        post=row.get("post"),
        detail=row.get("detail"),
        at=at.to_native() if at is not None and hasattr(at, "to_native") else at,
    )


def read(after: Any = 0, limit: Any = DEFAULT_READ) -> PlanFactory[tuple[Event, ...]]:
    """Events with ``seq > after``, in order. :class:`Expired` when some were pruned before being read."""
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise InvalidInput("after", f"must be a whole number >= 0 (the last seq you handled), got {v.shown(after)}")
    size = v.limit("limit", limit, maximum=MAX_READ)

    def plan() -> Plan[tuple[Event, ...]]:
        result = yield Run("events_read", {"after": after, "limit": size})
        row = result.one()
        assert row is not None
        if after < row["pruned_through"]:
            raise Expired(
                f"events {after + 1}..{row['pruned_through']} were pruned before they were read; "
                f"resume from {row['pruned_through']} and reconcile"
            )
        return tuple(_event(e) for e in row["events"])

    return plan


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
