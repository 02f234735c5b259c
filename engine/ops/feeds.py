"""Feeds: following, friends and for-you, keyset-paginated with opaque cursors.

following/friends: newest first, ties by post id descending; the cursor is the last
(created_at, id), so posts added while a reader pages never cause duplicates or gaps among
the posts that existed. for-you: the score of docs/ranking.md; the cursor also carries the
reference time of the first page, so every page of one walk is scored against the same clock.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput, NotFound
from mutuals.base.limits import DEFAULT_FEED_LIMIT as DEFAULT_FEED_LIMIT  # defined once, in base
from mutuals.base.limits import MAX_FEED_LIMIT as MAX_FEED_LIMIT
from mutuals.base.limits import TABS as TABS
from mutuals.base.models import FeedItem, Page
from mutuals.io.cursor import Cursors
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.posts import native

_END: Final = "~"  # sorts after every id character
_TOP_SCORE: Final = 1e18


def tab_name(tab: Any) -> str:
    """A feed tab, accepting ``for-you`` as well as ``for_you``."""
    key = tab.strip().lower().replace("-", "_") if isinstance(tab, str) else tab
    return v.choice("tab", key, TABS)


def _moment(field: str, iso: Any) -> datetime:
    if not isinstance(iso, str):
        raise InvalidInput("cursor", "is not a cursor of this feed")
    try:
        return v.timestamp(field, iso)
    except InvalidInput:
        raise InvalidInput("cursor", "is not a cursor of this feed") from None


def _items(rows: list[dict[str, Any]]) -> list[FeedItem]:
    return [
        FeedItem(
            r["id"],
            r["author"],
            r["visibility"],
            native(r["created_at"]),
            r.get("score"),
            r.get("depth"),
            r.get("source"),
        )
        for r in rows
    ]


def feed(viewer: Any, *, tab: Any, limit: Any, cursor: Any, cursors: Cursors) -> PlanFactory[Page[FeedItem]]:
    """One page of a viewer's feed."""
    who = v.ident("viewer", viewer)
    which = tab_name(tab)
    size = v.limit("limit", limit, maximum=MAX_FEED_LIMIT)
    scope = f"feed:{which}:{who}"
    key = cursors.read(scope, cursor)
    if which == "for_you":
        return _for_you(who, size, scope, key, cursors)
    if key is None:
        before_at, before_id = datetime(9999, 12, 31, tzinfo=UTC), _END
    else:
        if not (isinstance(key, list) and len(key) == 2 and isinstance(key[1], str)):
            raise InvalidInput("cursor", "is not a cursor of this feed")
        before_at, before_id = _moment("cursor", key[0]), v.ident("cursor", key[1])
    params = {
        "viewer": who,
        "friends_only": which == "friends",
        "before_at": before_at,
        "before_id": before_id,
        "limit": size + 1,
    }

    def plan() -> Plan[Page[FeedItem]]:
        result = yield Run("feed_following", params)
        row = result.one()
        if row is None:
            raise NotFound("account", who)
        items = _items(row["posts"])
        more = len(items) > size
        last = items[size - 1] if more else None
        nxt = cursors.make(scope, [last.created_at.isoformat(), last.id]) if last else None
        return Page(tuple(items[:size]), nxt)

    return plan


def _for_you(who: str, size: int, scope: str, key: Any, cursors: Cursors) -> PlanFactory[Page[FeedItem]]:
    if key is None:
        now = datetime.now(UTC)
        after = (_TOP_SCORE, now + timedelta(days=1), _END)
    else:
        if not (
            isinstance(key, list)
            and len(key) == 4
            and isinstance(key[1], (int, float))
            and not isinstance(key[1], bool)
            and math.isfinite(key[1])
        ):
            raise InvalidInput("cursor", "is not a cursor of this feed")
        now = _moment("cursor", key[0])
        after = (float(key[1]), _moment("cursor", key[2]), v.ident("cursor", key[3]))
    params = {
        **rules.depth_params(now),
        **rules.discovery_params(),
        "viewer": who,
        "window_start": now - timedelta(days=rules.FOR_YOU_WINDOW_DAYS),
        "depth_weight": rules.FOR_YOU_DEPTH_WEIGHT,
        "recency_max": rules.FOR_YOU_RECENCY_MAX,
        "half_life": rules.FOR_YOU_HALF_LIFE_HOURS,
        "after_score": after[0],
        "after_at": after[1],
        "after_id": after[2],
        "limit": size + 1,
    }

    def plan() -> Plan[Page[FeedItem]]:
        result = yield Run("feed_for_you", params)
        row = result.one()
        if row is None:
            raise NotFound("account", who)
        items = _items(row["posts"])
        more = len(items) > size
        last = items[size - 1] if more else None
        nxt = cursors.make(scope, [now.isoformat(), last.score, last.created_at.isoformat(), last.id]) if last else None
        return Page(tuple(items[:size]), nxt)

    return plan
