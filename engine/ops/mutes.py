"""Mute (docs/rules.md, "Mute"): V mutes U, so U's posts leave V's feeds and U leaves V's
suggestions, with no follow undone and no check changed.

A mute is stored as ``(v)-[:MUTES {src, dst, at, until}]->(u)`` and applies while it is active
(:mod:`mutuals.rules.expiry`). No event is emitted for a mute or an unmute: the event outbox is
readable by any consumer, and U must never learn that V muted them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mutuals.base import validate as v
from mutuals.base.errors import NotFound
from mutuals.base.models import Outcome
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.accounts import lock
from mutuals.ops.posts import native


def _ids(muter: Any, muted: Any) -> tuple[str, str]:
    a = v.ident("muter", muter)
    b = v.ident("muted", muted)
    v.distinct("muter", a, "muted", b)
    return a, b


def _state(a: str, b: str) -> Plan[dict[str, Any]]:
    found = yield from lock([a, b])
    for uid in (a, b):
        if uid not in found:
            raise NotFound("account", uid)
    result = yield Run("mute_state", {"a": a, "b": b})
    row = result.one()
    assert row is not None
    return row


def mute(muter: Any, muted: Any, until: Any = None) -> PlanFactory[Outcome]:
    """``muted`` (also when an expired mute is renewed), ``until_updated`` (an active mute now
    ends at ``until``) or ``already_muted``. ``until``: None (until unmuted), ISO-8601, or a
    duration such as ``7d``."""
    a, b = _ids(muter, muted)
    end = v.until("until", until, datetime.now(UTC))

    def plan() -> Plan[Outcome]:
        row = yield from _state(a, b)
        if row["active"] and native(row["until"]) == end:
            return Outcome("already_muted")
        yield Run("mute_set", {"a": a, "b": b, "until": end})
        return Outcome("until_updated" if row["active"] else "muted")

    return plan


def unmute(muter: Any, muted: Any) -> PlanFactory[Outcome]:
    """``unmuted``, or ``not_muted`` (no mute, or only an expired one, which is deleted)."""
    a, b = _ids(muter, muted)

    def plan() -> Plan[Outcome]:
        row = yield from _state(a, b)
        if row["stored"]:
            yield Run("mute_delete", {"a": a, "b": b})
        return Outcome("unmuted" if row["active"] else "not_muted")

    return plan
