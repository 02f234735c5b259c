"""Interactions: like, comment, duet, stitch (on a post) and message (to an account).

Each is allowed only when the matching check allows it: like needs can_view, comment
can_comment, duet can_duet, stitch can_stitch, message can_message. The check and the write
happen in one transaction under the locks of both accounts and the post, so a block or a
visibility change cannot slip in between. A refusal raises :class:`NotAllowed` (or
:class:`Blocked`) with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import Blocked, NotAllowed, NotFound
from mutuals.base.models import Outcome
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.accounts import lock
from mutuals.ops.checks import message_decision
from mutuals.ops.events import Change, emit, emit_with
from mutuals.ops.posts import facts_from

KINDS: Final = ("like", "comment", "message", "duet", "stitch")
PAST: Final = {"like": "liked", "comment": "commented", "message": "messaged", "duet": "dueted", "stitch": "stitched"}
CHECK: Final = {"like": rules.view, "comment": rules.comment, "duet": rules.duet, "stitch": rules.stitch}
BLOCK_RULES: Final = frozenset({"blocked_by_author", "blocking_author", "blocked_by_target", "blocking_target"})


def refuse(kind: str, decision: rules.Decision) -> NotAllowed:
    """The error for a refused interaction, naming the reason."""
    cls = Blocked if decision.rule in BLOCK_RULES else NotAllowed
    return cls(f"{kind} refused: {'; '.join(decision.reasons)}", decision.reasons, decision.public_reason)


def interact(kind: Any, actor: Any, target: Any, *, at: Any = None) -> PlanFactory[Outcome]:
    """Record one interaction: ``liked``/``commented``/... or ``already_liked``/``already_recorded``.

    ``target`` is a post id, or an account id for ``message``. ``at`` (default now) identifies
    a comment, message, duet or stitch, so re-recording the same one changes nothing."""
    what = v.choice("kind", kind, KINDS)
    who = v.ident("actor", actor)
    target_id = v.ident("recipient" if what == "message" else "post", target)
    moment = datetime.now(UTC) if at is None else v.timestamp("at", at)
    if what == "message":
        v.distinct("actor", who, "recipient", target_id)

    def plan() -> Plan[Outcome]:
        if what == "message":
            found = yield from lock([who, target_id])
            for uid in (who, target_id):
                if uid not in found:
                    raise NotFound("account", uid)
            decision = yield from message_decision(who, target_id)
            if not decision.allowed:
                raise refuse(what, decision)
            result = yield Run("interaction_message", {"actor": who, "recipient": target_id, "at": moment})
            if not result.relationships_created:
                return Outcome("already_recorded")
            yield from emit(Change("messaged", who, target_id))
            return Outcome(PAST[what])
        locked = yield Run("interaction_lock", {"post": target_id, "actor": who})
        row = locked.one()
        if row is None:
            raise NotFound("post", target_id)
        if who not in row["found"]:
            raise NotFound("account", who)
        params = {"actor": [who], "post": [target_id], "kind": [what], "at": [moment.isoformat()]}
        result = yield Run("bulk/post_interaction_facts", params)
        if not result.rows:  # the author's account is gone
            raise NotFound("account", row["author"])
        (found,) = result.rows
        f = facts_from(found, who)
        decision = CHECK[what](f)
        if not decision.allowed:
            raise refuse(what, decision)
        if found["recorded"]:
            return Outcome("already_liked" if what == "like" else "already_recorded")
        change = Change(PAST[what], who, f.author, post=target_id)
        if what == "like":
            yield from emit_with(Run("interaction_like", {"actor": who, "post": target_id, "at": moment}), change)
        else:
            write = Run("interaction_post", {"actor": who, "post": target_id, "kind": what, "at": moment})
            yield from emit_with(write, change)
        return Outcome(PAST[what])

    return plan
