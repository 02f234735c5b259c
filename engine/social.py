"""Questions about pairs and neighbourhoods: relationship(A, B), suggestions, known followers."""

from __future__ import annotations

from typing import Any, Final

from . import rules
from . import validate as v
from .cursor import Cursors
from .errors import NotFound
from .lists import after_key, page_of
from .models import Page, Relationship, Suggestion
from .plan import Plan, PlanFactory, Run

VIA: Final = 3
FOLLOW_BACK_WINDOW: Final = 1000


def relationship(a: Any, b: Any) -> PlanFactory[Relationship]:
    """How ``a`` relates to ``b``: follows both ways, requests, blocks, can_message, mutual friends."""
    first = v.ident("a", a)
    second = v.ident("b", b)
    v.distinct("a", first, "b", second)

    def plan() -> Plan[Relationship]:
        result = yield Run("relationship", {"a": first, "b": second})
        row = result.one()
        assert row is not None
        if not row["a_found"]:
            raise NotFound("account", first)
        if not row["b_found"]:
            raise NotFound("account", second)
        friends = row["following"] and row["followed_by"]
        decision = rules.message(
            first,
            second,
            sender_blocks=row["blocking"],
            recipient_blocks=row["blocked_by"],
            dm_policy=row["b_dm_policy"],
            friends=friends,
        )
        return Relationship(
            a=first,
            b=second,
            following=row["following"],
            followed_by=row["followed_by"],
            friends=friends,
            requested=row["requested"],
            requested_by=row["requested_by"],
            blocking=row["blocking"],
            blocked_by=row["blocked_by"],
            can_message=decision.allowed,
            mutual_friends=row["mutual"],
        )

    return plan


def suggest(user: Any, *, follow_back: bool = False, limit: Any = 10) -> PlanFactory[list[Suggestion]]:
    """People you may know (friends of friends) or, with ``follow_back``, followers not followed back;
    ranked by mutual friends (ties by id), each with a few of those friends."""
    uid = v.ident("user", user)
    size = v.limit("limit", limit, maximum=100)
    name = "suggest_follow_back" if v.flag("follow_back", follow_back) else "suggest_people"

    def plan() -> Plan[list[Suggestion]]:
        result = yield Run(name, {"user": uid, "limit": size, "via": VIA, "window": FOLLOW_BACK_WINDOW})
        row = result.one()
        if row is None or not row["found"]:
            raise NotFound("account", uid)
        return [Suggestion(r["id"], r["mutual_friends"], tuple(r["via"])) for r in row["rows"]]

    return plan


def known_followers(viewer: Any, target: Any, *, limit: Any, cursor: Any, cursors: Cursors) -> PlanFactory[Page[str]]:
    """Accounts the viewer follows that follow the target, with their total; empty when the viewer
    may not see the target's followers (a block, or a private target the viewer does not follow)."""
    vid = v.ident("viewer", viewer)
    tid = v.ident("target", target)
    size = v.limit("limit", limit)
    scope = f"known_followers:{vid}:{tid}"
    after = after_key(cursors, scope, cursor)

    def plan() -> Plan[Page[str]]:
        result = yield Run("known_followers", {"viewer": vid, "target": tid, "after": after, "limit": size + 1})
        row = result.one()
        assert row is not None
        if not row["viewer_found"]:
            raise NotFound("account", vid)
        if not row["target_found"]:
            raise NotFound("account", tid)
        return page_of(row["ids"], size, cursors, scope, total=row["total"])

    return plan
