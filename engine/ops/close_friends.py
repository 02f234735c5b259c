"""The close-friends list an owner curates: add, remove, list (with its size).

Members need not be friends: any account but a blocked one (a block either way refuses the add,
and a block deletes the membership both ways). A ``close_friends`` post is visible to its author
and the members (engine/rules/visibility.py). Each write runs under the locks of both accounts.
"""

from __future__ import annotations

from typing import Any

from mutuals.base import validate as v
from mutuals.base.errors import NotFound
from mutuals.base.models import Outcome, Page
from mutuals.io.cursor import Cursors
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.follows import pair
from mutuals.ops.lists import after_key, page_of


def _pair_ids(owner: Any, member: Any) -> tuple[str, str]:
    o = v.ident("owner", owner)
    m = v.ident("member", member)
    v.distinct("owner", o, "member", m)
    return o, m


def close_friends_add(owner: Any, member: Any) -> PlanFactory[Outcome]:
    """``added``, ``already_close_friend``, or ``blocked`` (refused: a block either way; nothing written)."""
    o, m = _pair_ids(owner, member)

    def plan() -> Plan[Outcome]:
        s = yield from pair(o, m)
        if s.blocked:
            who = f"{o} has blocked {m}" if s.a_blocks_b else f"{m} has blocked {o}"
            return Outcome("blocked", refused=True, reasons=(f"{who}; a blocked account cannot be a close friend",))
        result = yield Run("close_friend_create", {"owner": o, "member": m})
        return Outcome("added" if result.relationships_created else "already_close_friend")

    return plan


def close_friends_remove(owner: Any, member: Any) -> PlanFactory[Outcome]:
    """``removed`` or ``not_close_friend``."""
    o, m = _pair_ids(owner, member)

    def plan() -> Plan[Outcome]:
        yield from pair(o, m)
        result = yield Run("close_friend_delete", {"owner": o, "member": m})
        return Outcome("removed" if result.relationships_deleted else "not_close_friend")

    return plan


def close_friends(owner: Any, *, limit: Any, cursor: Any, cursors: Cursors) -> PlanFactory[Page[str]]:
    """One page of the owner's close-friends list, by id, with the list's size as ``total``."""
    uid = v.ident("owner", owner)
    size = v.limit("limit", limit)
    scope = f"close_friends:{uid}"
    after = after_key(cursors, scope, cursor)

    def plan() -> Plan[Page[str]]:
        result = yield Run("list_close_friends", {"user": uid, "after": after, "limit": size + 1})
        row = result.one()
        if row is None or not row["found"]:
            raise NotFound("account", uid)
        return page_of(row["ids"], size, cursors, scope, total=row["total"])

    return plan
