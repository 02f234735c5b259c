"""Keyset-paginated lists of account ids: followers, following, friends and every segment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput, NotAllowed, NotFound
from mutuals.base.limits import DEFAULT_LIMIT as DEFAULT_LIMIT  # defined once, in base
from mutuals.base.limits import MAX_LIMIT as MAX_LIMIT
from mutuals.base.limits import SEGMENTS as SEGMENTS
from mutuals.base.models import Page
from mutuals.io.cursor import Cursors
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.rules import lists as list_rule

# segment name -> statement; every list is ordered by account id.
LISTS: Final = {
    "followers": "list_followers",
    "following": "list_following",
    "friends": "list_friends",
    "followers_only": "list_followers_only",
    "following_only": "list_following_only",
    "requests_in": "list_requests_in",
    "requests_out": "list_requests_out",
    "blocked": "list_blocked",
    "top_friends": "list_top_friends",
    "muted": "list_muted",
    "close_friends": "list_close_friends",
    "engaged_followers": "list_engaged_followers",
    "passive_followers": "list_passive_followers",
}
# segments whose membership depends on interactions in the depth window
ENGAGEMENT: Final = frozenset({"top_friends", "engaged_followers", "passive_followers"})


def segment_name(name: Any) -> str:
    """A segment name, accepting ``followers-only`` as well as ``followers_only``."""
    if not isinstance(name, str):
        raise InvalidInput("segment", f"must be one of {', '.join(SEGMENTS)}")
    key = name.strip().lower().replace("-", "_")
    if key not in SEGMENTS:
        raise InvalidInput(
            "segment", f"must be one of {', '.join(s.replace('_', '-') for s in SEGMENTS)}, got {v.shown(name)}"
        )
    return key


def after_key(cursors: Cursors, scope: str, cursor: Any) -> str:
    """The id a cursor resumes after ('' for the first page)."""
    key = cursors.read(scope, cursor)
    if key is None:
        return ""
    if not isinstance(key, str) or not v.is_ident(key):
        raise InvalidInput("cursor", "is not a cursor of this list")
    return key


def page_of(ids: list[str], size: int, cursors: Cursors, scope: str, total: int | None = None) -> Page[str]:
    """A page from ``size + 1`` fetched ids: the extra one only tells that another page exists."""
    more = len(ids) > size
    return Page(tuple(ids[:size]), cursors.make(scope, ids[size - 1]) if more else None, total)


# the lists a viewer may ask for, and the list settings each needs the viewer to pass
VIEWER_LISTS: Final = {"followers": ("followers",), "following": ("following",), "friends": ("followers", "following")}


def access(user: str, viewer: str, needs: tuple[str, ...]) -> Plan[None]:
    """Check that ``viewer`` may see each list of ``needs`` of ``user`` (engine/rules/lists.py):
    NotFound for an unknown account, NotAllowed with the reason when a list is hidden."""
    result = yield Run("list_facts", {"user": user, "viewer": viewer})
    row = result.one()
    assert row is not None
    if not row["found"]:
        raise NotFound("account", user)
    if not row["viewer_found"]:
        raise NotFound("account", viewer)
    decisions = [
        list_rule.decide(
            list_rule.ListFacts(
                owner=user,
                viewer=viewer,
                list=name,
                setting=row[f"{name}_visibility"] or list_rule.DEFAULT,
                owner_private=bool(row["owner_private"]),
                viewer_follows_owner=bool(row["viewer_follows_owner"]),
                owner_follows_viewer=bool(row["owner_follows_viewer"]),
                blocked=bool(row["blocked"]),
            )
        )
        for name in needs
    ]
    decision = decisions[0] if len(decisions) == 1 else list_rule.both(*decisions)
    if not decision.allowed:
        raise NotAllowed(f"{viewer} may not see this list of {user}", decision.reasons)


def id_list(
    list_name: str, user: Any, *, limit: Any, cursor: Any, cursors: Cursors, viewer: Any = None
) -> PlanFactory[Page[str]]:
    """One page of the list ``list_name`` of ``user``; with ``viewer``, only when the viewer may
    see it (followers, following and friends: engine/rules/lists.py), else NotAllowed."""
    uid = v.ident("user", user)
    vid = None if viewer is None else v.ident("viewer", viewer)
    if vid is not None and list_name not in VIEWER_LISTS:
        raise InvalidInput("viewer", f"only the {', '.join(VIEWER_LISTS)} lists are read for a viewer")
    size = v.limit("limit", limit)
    scope = f"{list_name}:{uid}"
    after = after_key(cursors, scope, cursor)
    statement = LISTS[list_name]
    params = {"user": uid, "after": after, "limit": size + 1}
    if list_name in ENGAGEMENT:
        params.update(rules.depth_params(datetime.now(UTC)))

    def plan() -> Plan[Page[str]]:
        if vid is not None:
            yield from access(uid, vid, VIEWER_LISTS[list_name])
        result = yield Run(statement, params)
        row = result.one()
        if row is None or not row["found"]:
            raise NotFound("account", uid)
        return page_of(row["ids"], size, cursors, scope)

    return plan
