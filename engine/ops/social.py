"""Questions about pairs and neighbourhoods: relationship(A, B), suggestions, known followers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput, NotFound
from mutuals.base.limits import DEFAULT_SUGGEST as DEFAULT_SUGGEST  # defined once, in base
from mutuals.base.limits import MAX_SUGGEST as MAX_SUGGEST
from mutuals.base.models import Page, Profile, Relationship, Suggestion, ViewerProfile
from mutuals.io.cursor import Cursors
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.accounts import account_from
from mutuals.ops.lists import after_key, page_of
from mutuals.ops.posts import native

VIA: Final = 3
FOLLOW_BACK_WINDOW: Final = 1000


def _relationship(first: str, row: dict[str, Any]) -> Relationship:
    second = row["b_id"]
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
    outgoing = {kind: n for is_out, kind, n in row["interactions"] if is_out}
    incoming = {kind: n for is_out, kind, n in row["interactions"] if not is_out}
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
        depth=rules.depth(rules.points(outgoing) + rules.points(incoming), friends),
        interactions_out=outgoing,
        interactions_in=incoming,
        blocking_until=native(row["blocking_until"]),
        blocked_by_until=native(row["blocked_by_until"]),
        muting=bool(row["muting"]),
        muting_until=native(row["muting_until"]),
    )


def relationships(a: Any, others: Any) -> PlanFactory[list[Relationship]]:
    """How ``a`` relates to each of ``others`` (up to 500), in one round trip, in the order given."""
    first = v.ident("a", a)
    seconds = v.idents("others", others, max_items=500)
    for i, second in enumerate(seconds):
        v.distinct("a", first, f"others[{i}]", second)

    def plan() -> Plan[list[Relationship]]:
        if not seconds:
            return []
        params = {"a": first, "others": seconds, **rules.depth_params(datetime.now(UTC))}
        result = yield Run("relationship", params)
        return [_relationship(first, row) for row in result.rows]

    return plan


def relationship(a: Any, b: Any) -> PlanFactory[Relationship]:
    """How ``a`` relates to ``b``: follows both ways, requests, blocks, can_message, mutual friends,
    relationship depth and the interactions between them."""
    first = v.ident("a", a)
    second = v.ident("b", b)
    v.distinct("a", first, "b", second)

    def plan() -> Plan[Relationship]:
        params = {"a": first, "others": [second], **rules.depth_params(datetime.now(UTC))}
        result = yield Run("relationship", params)
        return _relationship(first, result.rows[0])

    return plan


def profile_for(viewer: Any, user: Any) -> PlanFactory[ViewerProfile]:
    """``user`` as shown to ``viewer`` (None: logged out): a missing account and one that blocks
    the viewer give the same answer, ``available`` false (NotFound only for a missing viewer)."""
    who = None if viewer is None else v.ident("viewer", viewer)
    uid = v.ident("user", user)

    def plan() -> Plan[ViewerProfile]:
        unavailable = ViewerProfile(uid, False)
        rel: Relationship | None = None
        if who is not None and who != uid:
            params = {"a": who, "others": [uid], **rules.depth_params(datetime.now(UTC))}
            row = (yield Run("relationship", params)).rows[0]
            if not row["a_found"]:
                raise NotFound("account", who)
            if not row["b_found"] or row["blocked_by"]:
                return unavailable
            rel = _relationship(who, row)
        counts = (yield Run("account_counts", {"users": [uid]})).rows[0]
        if counts["account"] is None:
            return unavailable
        profile = Profile(account_from(counts["account"]), counts["followers"], counts["following"], counts["friends"])
        if rel is None:
            return ViewerProfile(uid, True, profile)
        return ViewerProfile(
            uid,
            True,
            profile,
            following=rel.following,
            followed_by=rel.followed_by,
            friends=rel.friends,
            requested=rel.requested,
            blocking=rel.blocking,
            can_message=rel.can_message,
            mutual_friends=rel.mutual_friends,
        )

    return plan


def suggest(
    user: Any, *, follow_back: bool = False, close_friends: bool = False, limit: Any = DEFAULT_SUGGEST
) -> PlanFactory[list[Suggestion]]:
    """People you may know (friends of friends, ranked by mutual friends, ties by id) or, with
    ``follow_back``, followers not followed back (ranked by depth, then mutual friends, then id),
    or, with ``close_friends``, "add to close friends?": top friends not yet on the user's
    close-friends list (ranked by depth, then mutual friends, then id); each with a few of the
    mutual friends."""
    uid = v.ident("user", user)
    size = v.limit("limit", limit, maximum=MAX_SUGGEST)
    back = v.flag("follow_back", follow_back)
    close = v.flag("close_friends", close_friends)
    if back and close:
        raise InvalidInput("close_friends", "cannot be combined with follow_back")
    name = "suggest_close_friends" if close else "suggest_follow_back" if back else "suggest_people"

    def plan() -> Plan[list[Suggestion]]:
        params = {"user": uid, "limit": size, "via": VIA, "window": FOLLOW_BACK_WINDOW}
        params.update(rules.depth_params(datetime.now(UTC)))
        result = yield Run(name, params)
        row = result.one()
        if row is None or not row["found"]:
            raise NotFound("account", uid)
        return [Suggestion(r["id"], r["mutual_friends"], tuple(r["via"]), r.get("depth")) for r in row["rows"]]

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
