"""Accounts: add, set, show, delete. Each function validates its input and returns a plan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import NotFound
from mutuals.base.models import Account, Outcome, Profile, SegmentCounts
from mutuals.io.plan import Plan, PlanFactory, Result, Run
from mutuals.ops.events import Change, emit
from mutuals.rules import lists as list_rule
from mutuals.rules import visibility

DELETED_DETAIL = "follows,requests,blocks,posts,interactions"  # what account_deleted removes


def account_from(row: dict[str, Any]) -> Account:
    """An :class:`Account` from the properties of an Account node (defaults for missing policies)."""
    created = row.get("created_at")
    return Account(
        id=row["id"],
        private=bool(row.get("private", False)),
        dm_policy=row.get("dm_policy") or v.DEFAULT_POLICIES["dm_policy"],
        comment_policy=row.get("comment_policy") or v.DEFAULT_POLICIES["comment_policy"],
        duet_policy=row.get("duet_policy") or v.DEFAULT_POLICIES["duet_policy"],
        stitch_policy=row.get("stitch_policy") or v.DEFAULT_POLICIES["stitch_policy"],
        created_at=created.to_native() if created is not None and hasattr(created, "to_native") else created,
        followers_visibility=row.get("followers_visibility") or list_rule.DEFAULT,
        following_visibility=row.get("following_visibility") or list_rule.DEFAULT,
    )


def _list_settings(followers_visibility: Any, following_visibility: Any) -> dict[str, str]:
    """The list settings that were given (None: not given), each checked."""
    given = {"followers_visibility": followers_visibility, "following_visibility": following_visibility}
    return {k: v.choice(k, val, list_rule.SETTINGS) for k, val in given.items() if val is not None}


def lock(ids: list[str]) -> Plan[dict[str, Account]]:
    """Take the write locks of these accounts in id order; return the ones that exist."""
    result = yield Run("lock_accounts", {"ids": sorted(set(ids))})
    return {row["account"]["id"]: account_from(row["account"]) for row in result.rows}


def user_add(
    user_id: Any,
    *,
    private: Any = False,
    dm_policy: Any = None,
    comment_policy: Any = None,
    duet_policy: Any = None,
    stitch_policy: Any = None,
    followers_visibility: Any = None,
    following_visibility: Any = None,
) -> PlanFactory[Outcome]:
    """Create an account: ``created``, or ``already_exists`` (its settings are left as they are)."""
    uid = v.ident("id", user_id)
    props: dict[str, Any] = {"private": v.flag("private", private), **v.DEFAULT_POLICIES}
    props.update(v.policies(locals()))  # the four policy arguments, by their names
    props.update(_list_settings(followers_visibility, following_visibility))

    def plan() -> Plan[Outcome]:
        result = yield Run("user_create", {"id": uid, "props": props})
        if not result.nodes_created:
            return Outcome("already_exists")
        yield from emit(Change("account_created", uid))
        return Outcome("created")

    return plan


def user_set(
    user_id: Any,
    *,
    private: Any = None,
    dm_policy: Any = None,
    comment_policy: Any = None,
    duet_policy: Any = None,
    stitch_policy: Any = None,
    followers_visibility: Any = None,
    following_visibility: Any = None,
) -> PlanFactory[Outcome]:
    """Change settings: ``updated`` or ``unchanged``. Going public approves every pending request."""
    uid = v.ident("id", user_id)
    wanted: dict[str, Any] = {}
    if private is not None:
        wanted["private"] = v.flag("private", private)
    wanted.update(v.policies(locals()))  # the four policy arguments, by their names
    wanted.update(_list_settings(followers_visibility, following_visibility))

    def plan() -> Plan[Outcome]:
        found = yield from lock([uid])
        if uid not in found:
            raise NotFound("account", uid)
        current = found[uid]
        changes = {k: val for k, val in wanted.items() if getattr(current, k) != val}
        if not changes:
            return Outcome("unchanged")
        yield Run("user_update", {"id": uid, "changes": changes})
        approved: tuple[str, ...] = ()
        changed = [Change("account_updated", uid, detail=updated_detail(changes))]
        if "private" in changes:  # the effective audience of its public posts changes with it
            result = yield Run("posts_by_author", {"authors": [uid]})
            for row in result.rows:
                if row["visibility"] == "public":
                    word = visibility.effective_audience("public", changes["private"])
                    changed.append(Change("visibility_changed", uid, post=row["id"], detail=word))
        if current.private and changes.get("private") is False:
            result = yield Run("requests_approve_all", {"id": uid})
            approved = tuple(row["requester"] for row in result.rows)
            for row in result.rows:
                changed.append(Change("approved", uid, row["requester"]))
                if row["mutual"]:
                    changed.append(Change("became_friends", uid, row["requester"]))
        yield from emit(*changed)
        return Outcome("updated", approved=approved)

    return plan


def updated_detail(changes: dict[str, Any]) -> str:
    """The names of the changed settings, and which way ``private`` went: ``private=true,dm_policy``."""
    return ",".join(f"{k}={'true' if val else 'false'}" if k == "private" else k for k, val in sorted(changes.items()))


def user_delete(user_id: Any) -> PlanFactory[Outcome]:
    """Delete an account and every relationship it has: ``deleted`` or ``not_found``."""
    uid = v.ident("id", user_id)

    def plan() -> Plan[Outcome]:
        # Lock first: a post_add holding the account's lock finishes before the posts are
        # looked up, so its post is deleted with the account instead of being left without one.
        found = yield from lock([uid])
        if uid not in found:
            return Outcome("not_found")
        result = yield Run("user_delete", {"id": uid})
        if not result.nodes_deleted:
            return Outcome("not_found")
        # account_deleted implies the removal of every follow, request, block and interaction
        # of the account (docs/services.md); each of its posts gets its own post_deleted
        row = result.one()
        gone = [Change("post_deleted", uid, post=pid) for pid in (row["posts"] if row else [])]
        yield from emit(*gone, Change("account_deleted", uid, detail=DELETED_DETAIL))
        return Outcome("deleted")

    return plan


def _counts(user_id: str) -> Plan[dict[str, Any]]:
    (row,) = yield from _counts_many([user_id])
    return row


def _counts_many(user_ids: list[str]) -> Plan[list[dict[str, Any]]]:
    result: Result = yield Run("account_counts", {"users": user_ids})
    for row in result.rows:
        if row["account"] is None:
            raise NotFound("account", row["user"])
    return result.rows


def _profile(row: dict[str, Any]) -> Profile:
    return Profile(account_from(row["account"]), row["followers"], row["following"], row["friends"])


def profiles(user_ids: Any, viewer: Any = None) -> PlanFactory[list[Profile]]:
    """Settings and counts of many accounts (up to 500) in one round trip, in the order given.
    For a ``viewer``: the counts are shown even when a list is hidden (as TikTok does), but not
    across an active block either way (None)."""
    ids = v.idents("ids", user_ids, max_items=500)
    vid = None if viewer is None else v.ident("viewer", viewer)

    def plan() -> Plan[list[Profile]]:
        if not ids:
            return []
        rows = yield from _counts_many(ids)
        out = [_profile(row) for row in rows]
        if vid is None:
            return out
        result = yield Run("blocked_either_many", {"viewer": vid, "users": ids})
        if not all(r["viewer_found"] for r in result.rows):
            raise NotFound("account", vid)
        return [
            Profile(p.account, None, None, None) if r["blocked"] else p for p, r in zip(out, result.rows, strict=True)
        ]

    return plan


def user_show(user_id: Any) -> PlanFactory[Profile]:
    """An account's settings and its follower, following and friend counts."""
    uid = v.ident("id", user_id)

    def plan() -> Plan[Profile]:
        row = yield from _counts(uid)
        return _profile(row)

    return plan


def segments(user_id: Any) -> PlanFactory[SegmentCounts]:
    """How many accounts are in each segment of an account's audience (one statement)."""
    uid = v.ident("user", user_id)

    def plan() -> Plan[SegmentCounts]:
        result = yield Run("segment_counts", {"user": uid, **rules.depth_params(datetime.now(UTC))})
        row = result.one()
        if row is None or not row["found"]:
            raise NotFound("account", uid)
        return SegmentCounts(
            friends=row["friends"],
            followers_only=row["followers_only"],
            following_only=row["following_only"],
            requests_in=row["requests_in"],
            requests_out=row["requests_out"],
            blocked=row["blocked"],
            top_friends=row["top_friends"],
            engaged_followers=row["engaged"],
            passive_followers=row["passive_followers"],
            close_friends=row["close_friends"],
        )

    return plan
