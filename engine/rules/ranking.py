"""Relationship depth and the for-you score (documented in docs/ranking.md): the constants live here only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

INTERACTION_WEIGHTS: dict[str, int] = {"like": 1, "comment": 2, "message": 3, "duet": 4, "stitch": 4}
FRIEND_BONUS = 10
INTERACTION_CAP = 90
DEPTH_WINDOW_DAYS = 90
CLOSE_FRIEND_DEPTH = 20
FOR_YOU_DEPTH_WEIGHT = 3.0
FOR_YOU_RECENCY_MAX = 20.0
FOR_YOU_HALF_LIFE_HOURS = 24.0
FOR_YOU_WINDOW_DAYS = 30


def depth(points: int, friends: bool) -> int:
    """Relationship depth: 10 for a friendship plus the interaction points of the window, capped at 90."""
    return (FRIEND_BONUS if friends else 0) + min(points, INTERACTION_CAP)


def for_you_score(depth_value: int, age_hours: float) -> float:
    """The for-you score of a post: depth outweighs recency (a friendship alone beats any recency)."""
    recency: float = FOR_YOU_RECENCY_MAX * 0.5 ** (max(age_hours, 0.0) / FOR_YOU_HALF_LIFE_HOURS)
    return FOR_YOU_DEPTH_WEIGHT * depth_value + recency


def depth_params(now: datetime) -> dict[str, Any]:
    """The parameters every depth computation in Cypher takes (the constants live here only)."""
    return {
        "now": now,
        "since": now - timedelta(days=DEPTH_WINDOW_DAYS),
        "weights": INTERACTION_WEIGHTS,
        "cap": INTERACTION_CAP,
        "friend_bonus": FRIEND_BONUS,
        "min_points": CLOSE_FRIEND_DEPTH - FRIEND_BONUS,
    }


def points(counts: dict[str, int]) -> int:
    """Interaction points from counts by kind."""
    return sum(INTERACTION_WEIGHTS.get(kind, 0) * n for kind, n in counts.items())
