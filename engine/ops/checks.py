"""Permission checks: can_view (one post or a page), can_comment, can_duet, can_stitch, can_message.

Each reads the facts in one statement and decides with the pure rules of :mod:`mutuals.rules`,
so every answer can explain itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import NotFound
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.posts import facts, facts_from
from mutuals.rules import Decision, PostFacts

MAX_BATCH = 500

POST_RULES: dict[str, Callable[[PostFacts], Decision]] = {
    "view": rules.view,
    "comment": rules.comment,
    "duet": rules.duet,
    "stitch": rules.stitch,
}


def viewer_id(field: str, value: Any) -> str | None:
    """An account id, or None for a logged-out viewer."""
    return None if value is None else v.ident(field, value)


def post_check(action: str, actor: Any, post: Any) -> PlanFactory[Decision]:
    """can_<action>(actor, post) for view, comment, duet or stitch."""
    who = viewer_id("viewer" if action == "view" else "actor", actor)
    pid = v.ident("post", post)
    rule = POST_RULES[action]

    def plan() -> Plan[Decision]:
        (f,) = yield from facts(who, [pid])
        return rule(f)

    return plan


def can_view_many(viewer: Any, posts: Any) -> PlanFactory[dict[str, Decision]]:
    """can_view for a page of posts in one round trip: post id -> decision (unknown posts denied)."""
    who = viewer_id("viewer", viewer)
    ids = v.idents("posts", posts, max_items=MAX_BATCH)

    def plan() -> Plan[dict[str, Decision]]:
        if not ids:
            return {}
        result = yield Run("view_facts", {"viewer": who, "posts": ids})
        answers: dict[str, Decision] = {}
        for row in result.rows:
            if who is not None and not row["viewer_found"]:
                raise NotFound("account", who)
            if not row["found"]:
                answers[row["post"]] = rules.no_such_post(row["post"])
                continue
            answers[row["post"]] = rules.view(facts_from(row, who))
        return answers

    return plan


def message_decision(sender: str, recipient: str) -> Plan[Decision]:
    """Read the pair and decide can_message (NotFound for a missing account)."""
    result = yield Run("pair_state", {"a": sender, "b": recipient})
    row = result.one()
    assert row is not None
    if not row["a_found"]:
        raise NotFound("account", sender)
    if not row["b_found"]:
        raise NotFound("account", recipient)
    return rules.message(
        sender,
        recipient,
        sender_blocks=row["a_blocks_b"],
        recipient_blocks=row["b_blocks_a"],
        dm_policy=row["b_dm_policy"],
        friends=row["a_follows_b"] and row["b_follows_a"],
    )


def can_message(sender: Any, recipient: Any) -> PlanFactory[Decision]:
    """can_message(A, B)."""
    a = v.ident("sender", sender)
    b = v.ident("recipient", recipient)

    def plan() -> Plan[Decision]:
        return (yield from message_decision(a, b))

    return plan
