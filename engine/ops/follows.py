"""The relationship operations of docs/rules.md: follow, unfollow, approve, deny, remove_follower, block, unblock.

Each runs in one write transaction: lock both accounts (in id order, so concurrent operations
on the same pair queue instead of racing), read the pair's state, decide, write. Every
operation is idempotent and answers with an :class:`Outcome`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mutuals.base import validate as v
from mutuals.base.errors import MutualsError, NotFound
from mutuals.base.models import Account, Outcome
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.accounts import account_from
from mutuals.ops.events import Change, change_set, emit_with, ended_friendship
from mutuals.rules.admission import FOLLOW, REQUEST, Pair, admit


@dataclass(frozen=True, slots=True)
class PairState:
    """Everything between accounts a and b, read under their locks."""

    a: Account
    b: Account
    a_follows_b: bool
    b_follows_a: bool
    a_requested_b: bool
    b_requested_a: bool
    a_blocks_b: bool
    b_blocks_a: bool
    a_blocks_b_until: datetime | None = None  # when a's (active) block of b ends; None: never

    @property
    def blocked(self) -> bool:
        return self.a_blocks_b or self.b_blocks_a


def pair(a: str, b: str) -> Plan[PairState]:
    """Lock a and b (in id order) and read their state, in one statement; NotFound names the
    first missing account."""
    result = yield Run("pair_lock", {"ids": sorted({a, b}), "a": a, "b": b})
    row = result.one()
    assert row is not None
    for uid, key in ((a, "a"), (b, "b")):
        if row[key] is None:
            raise NotFound("account", uid)
    flags = ("a_follows_b", "b_follows_a", "a_requested_b", "b_requested_a", "a_blocks_b", "b_blocks_a")
    until = row["a_blocks_b_until"]
    return PairState(
        account_from(row["a"]),
        account_from(row["b"]),
        **{name: bool(row[name]) for name in flags},
        a_blocks_b_until=until.to_native() if until is not None and hasattr(until, "to_native") else until,
    )


def _pair_ids(field_a: str, a: Any, field_b: str, b: Any) -> tuple[str, str]:
    first = v.ident(field_a, a)
    second = v.ident(field_b, b)
    v.distinct(field_a, first, field_b, second)
    return first, second


def follow(follower: Any, followee: Any) -> PlanFactory[Outcome]:
    """``followed``, ``became_friends``, ``requested`` (private followee), ``already_following``,
    ``already_requested``, or ``blocked`` (refused: a block exists either way; nothing written),
    as :func:`mutuals.rules.admission.admit` decides; NotFound for an unknown account.

    One statement (``follow_apply``): the locks, the pair's state, the decision (the
    ``follow_admission`` fragment, the truth table of ``admit``), the write and its change set;
    the change set of each outcome that writes is built here, and the outcome the statement took
    is decided again here from the state it read (a difference rolls the transaction back)."""
    a, b = _pair_ids("follower", follower, "followee", followee)
    changes = {outcome: change_set([Change(outcome, a, b)]) for outcome in (*FOLLOW, *REQUEST)}

    def plan() -> Plan[Outcome]:
        result = yield Run("follow_apply", {"ids": sorted({a, b}), "a": a, "b": b, "changes": changes})
        row = result.one()
        assert row is not None
        decision = admit(
            Pair(
                a,
                b,
                a_found=row["a_found"],
                b_found=row["b_found"],
                b_private=row["b_private"],
                a_follows_b=row["a_follows_b"],
                b_follows_a=row["b_follows_a"],
                a_requested_b=row["a_requested_b"],
                a_blocks_b=row["a_blocks_b"],
                b_blocks_a=row["b_blocks_a"],
            )
        )
        if decision.reason == "unknown_account":
            raise NotFound("account", a if not row["a_found"] else b)
        if decision.outcome != row["outcome"]:  # rolls the transaction back
            raise MutualsError(f"follow_apply took {row['outcome']!r} where admission says {decision.outcome!r}")
        if decision.refused:
            return Outcome(decision.outcome, refused=True, reasons=(decision.detail,))
        return Outcome(decision.outcome)

    return plan


def admission_pair(s: PairState) -> Pair:
    """The facts follow admission reads, from the state of a locked pair."""
    return Pair(
        s.a.id,
        s.b.id,
        b_private=s.b.private,
        a_follows_b=s.a_follows_b,
        b_follows_a=s.b_follows_a,
        a_requested_b=s.a_requested_b,
        a_blocks_b=s.a_blocks_b,
        b_blocks_a=s.b_blocks_a,
    )


def unfollow(follower: Any, followee: Any) -> PlanFactory[Outcome]:
    """``unfollowed``, ``request_cancelled`` (a pending request withdrawn), or ``not_following``."""
    a, b = _pair_ids("follower", follower, "followee", followee)

    def plan() -> Plan[Outcome]:
        s = yield from pair(a, b)
        if s.a_follows_b:
            changes = (Change("unfollowed", a, b), *ended_friendship(a, b, s.b_follows_a))
            yield from emit_with(Run("follow_delete", {"a": a, "b": b}), *changes)
            return Outcome("unfollowed")
        if s.a_requested_b:
            yield from emit_with(Run("request_delete", {"a": a, "b": b}), Change("request_cancelled", a, b))
            return Outcome("request_cancelled")
        return Outcome("not_following")

    return plan


def approve(owner: Any, requester: Any) -> PlanFactory[Outcome]:
    """The requester's pending request to the owner becomes a follow: ``approved`` or ``no_request``."""
    o, r = _pair_ids("owner", owner, "requester", requester)

    def plan() -> Plan[Outcome]:
        s = yield from pair(r, o)
        if not s.a_requested_b:
            return Outcome("no_request")
        friends = (Change("became_friends", o, r),) if s.b_follows_a else ()
        yield from emit_with(Run("follow_create", {"a": r, "b": o}), Change("approved", o, r), *friends)
        return Outcome("approved")

    return plan


def deny(owner: Any, requester: Any) -> PlanFactory[Outcome]:
    """The requester's pending request to the owner is deleted: ``denied`` or ``no_request``."""
    o, r = _pair_ids("owner", owner, "requester", requester)

    def plan() -> Plan[Outcome]:
        s = yield from pair(r, o)
        if not s.a_requested_b:
            return Outcome("no_request")
        yield from emit_with(Run("request_delete", {"a": r, "b": o}), Change("denied", o, r))
        return Outcome("denied")

    return plan


def remove_follower(owner: Any, follower: Any) -> PlanFactory[Outcome]:
    """The follower stops following the owner, at the owner's wish: ``removed`` or ``not_following``."""
    o, f = _pair_ids("owner", owner, "follower", follower)

    def plan() -> Plan[Outcome]:
        s = yield from pair(f, o)
        if not s.a_follows_b:
            return Outcome("not_following")
        changes = (Change("follower_removed", o, f), *ended_friendship(o, f, s.b_follows_a))
        yield from emit_with(Run("follow_delete", {"a": f, "b": o}), *changes)
        return Outcome("removed")

    return plan


def block(blocker: Any, blocked: Any, until: Any = None) -> PlanFactory[Outcome]:
    """Delete every follow and request between the two, both ways, and record the block, until
    ``until`` (None: until unblocked; an expired block no longer applies, engine/rules/expiry.py):
    ``blocked``, ``until_updated`` (an active block now ends at ``until``) or ``already_blocked``."""
    a, b = _pair_ids("blocker", blocker, "blocked", blocked)
    end = v.until("until", until, datetime.now(UTC))

    def plan() -> Plan[Outcome]:
        s = yield from pair(a, b)
        if s.a_blocks_b:
            if s.a_blocks_b_until == end:
                return Outcome("already_blocked")
            yield Run("block_until", {"a": a, "b": b, "until": end})
            return Outcome("until_updated")
        changes = (Change("blocked", a, b), *ended_friendship(a, b, s.a_follows_b and s.b_follows_a))
        yield from emit_with(Run("block_create", {"a": a, "b": b, "until": end}), *changes)
        return Outcome("blocked")

    return plan


def unblock(blocker: Any, blocked: Any) -> PlanFactory[Outcome]:
    """Delete the block only (nothing it removed comes back): ``unblocked`` or ``not_blocked``."""
    a, b = _pair_ids("blocker", blocker, "blocked", blocked)

    def plan() -> Plan[Outcome]:
        s = yield from pair(a, b)
        if not s.a_blocks_b:
            return Outcome("not_blocked")
        yield from emit_with(Run("block_delete", {"a": a, "b": b}), Change("unblocked", a, b))
        return Outcome("unblocked")

    return plan
