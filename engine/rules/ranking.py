"""Relationship depth and the for-you score (documented in docs/ranking.md): the constants live here only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

INTERACTION_WEIGHTS: dict[str, int] = {"like": 1, "comment": 2, "message": 3, "duet": 4, "stitch": 4}
FRIEND_BONUS = 10
INTERACTION_CAP = 90
DEPTH_WINDOW_DAYS = 90
TOP_FRIEND_DEPTH = 20
FOR_YOU_DEPTH_WEIGHT = 3.0
FOR_YOU_RECENCY_MAX = 20.0
FOR_YOU_HALF_LIFE_HOURS = 24.0
FOR_YOU_WINDOW_DAYS = 30

# Discovery in for-you (docs/ranking.md#discovery): public posts of public accounts the viewer does
# not follow. Two tiers, each score bounded so that every tier sits strictly below the next:
#   friends of friends: FOF_BASE + min(mutual friends, MUTUAL_CAP) + FOF_RECENCY_MAX * decay  in (12, 24]
#   most interactions:  POPULAR_WEIGHT * min(interactions, POPULAR_CAP) + POPULAR_RECENCY_MAX * decay  in (0.5, 10]
# and DISCOVERY_MAX (24) < FOR_YOU_DEPTH_WEIGHT * FRIEND_BONUS (30) <= the score of any post of a
# followed friend, or of a followed account with a depth of at least a friendship's worth.
DISCOVERY_FOF_BASE = 11.0
DISCOVERY_MUTUAL_WEIGHT = 1.0
DISCOVERY_MUTUAL_CAP = 4
DISCOVERY_FOF_RECENCY_MAX = 9.0
DISCOVERY_POPULAR_WEIGHT = 0.5
DISCOVERY_POPULAR_CAP = 10
DISCOVERY_POPULAR_RECENCY_MAX = 5.0
# bounds on the candidate sets, so the feed stays cheap whatever the degrees
DISCOVERY_FRIENDS = 100  # the viewer's most recent friendships whose friends are looked at
DISCOVERY_FRIENDS_OF_EACH = 50  # each such friend's most recent friendships
DISCOVERY_AUTHORS = 100  # friends-of-friends authors kept (most mutual friends first)
DISCOVERY_SCAN = 500  # the newest public posts of the window weighed for the most-interactions tier
DISCOVERY_FOF_MIN = DISCOVERY_FOF_BASE + DISCOVERY_MUTUAL_WEIGHT  # a friend of friends has at least one mutual
DISCOVERY_POPULAR_MAX = DISCOVERY_POPULAR_WEIGHT * DISCOVERY_POPULAR_CAP + DISCOVERY_POPULAR_RECENCY_MAX
DISCOVERY_MAX = DISCOVERY_FOF_BASE + DISCOVERY_MUTUAL_WEIGHT * DISCOVERY_MUTUAL_CAP + DISCOVERY_FOF_RECENCY_MAX


def depth(points: int, friends: bool) -> int:
    """Relationship depth: 10 for a friendship plus the interaction points of the window, capped at 90."""
    return (FRIEND_BONUS if friends else 0) + min(points, INTERACTION_CAP)


def for_you_score(depth_value: int, age_hours: float) -> float:
    """The for-you score of a post: depth outweighs recency (a friendship alone beats any recency)."""
    recency: float = FOR_YOU_RECENCY_MAX * 0.5 ** (max(age_hours, 0.0) / FOR_YOU_HALF_LIFE_HOURS)
    return FOR_YOU_DEPTH_WEIGHT * depth_value + recency


def _decay(age_hours: float) -> float:
    return float(0.5 ** (max(age_hours, 0.0) / FOR_YOU_HALF_LIFE_HOURS))


def discovery_score(tier: str, signal: int, age_hours: float) -> float:
    """The for-you score of a discovered post: ``tier`` is ``friends_of_friends`` (``signal``: the
    mutual friends, at least 1) or ``popular`` (``signal``: its interactions in the window)."""
    if tier == "friends_of_friends":
        mutual = min(signal, DISCOVERY_MUTUAL_CAP)
        return DISCOVERY_FOF_BASE + DISCOVERY_MUTUAL_WEIGHT * mutual + DISCOVERY_FOF_RECENCY_MAX * _decay(age_hours)
    popular = min(signal, DISCOVERY_POPULAR_CAP)
    return DISCOVERY_POPULAR_WEIGHT * popular + DISCOVERY_POPULAR_RECENCY_MAX * _decay(age_hours)


def discovery_params() -> dict[str, Any]:
    """The parameters of discovery in the for-you statement (the constants live here only)."""
    return {
        "fof_base": DISCOVERY_FOF_BASE,
        "mutual_weight": DISCOVERY_MUTUAL_WEIGHT,
        "mutual_cap": DISCOVERY_MUTUAL_CAP,
        "fof_recency_max": DISCOVERY_FOF_RECENCY_MAX,
        "popular_weight": DISCOVERY_POPULAR_WEIGHT,
        "popular_cap": DISCOVERY_POPULAR_CAP,
        "popular_recency_max": DISCOVERY_POPULAR_RECENCY_MAX,
        "discovery_friends": DISCOVERY_FRIENDS,
        "discovery_friends_of_each": DISCOVERY_FRIENDS_OF_EACH,
        "discovery_authors": DISCOVERY_AUTHORS,
        "discovery_scan": DISCOVERY_SCAN,
        "discoverable": ["public"],
    }


# The tiers, proved from the constants: discovered < friend or deep followed; popular < friends of friends.
assert DISCOVERY_MAX < FOR_YOU_DEPTH_WEIGHT * FRIEND_BONUS
assert DISCOVERY_POPULAR_MAX < DISCOVERY_FOF_MIN


def depth_params(now: datetime) -> dict[str, Any]:
    """The parameters every depth computation in Cypher takes (the constants live here only)."""
    return {
        "now": now,
        "since": now - timedelta(days=DEPTH_WINDOW_DAYS),
        "weights": INTERACTION_WEIGHTS,
        "cap": INTERACTION_CAP,
        "friend_bonus": FRIEND_BONUS,
        "min_points": TOP_FRIEND_DEPTH - FRIEND_BONUS,
    }


def points(counts: dict[str, int]) -> int:
    """Interaction points from counts by kind."""
    return sum(INTERACTION_WEIGHTS.get(kind, 0) * n for kind, n in counts.items())
