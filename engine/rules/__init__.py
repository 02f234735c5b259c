"""The rules of docs/rules.md as pure code: who may see or do what, follow admission, depth and ranking.

Nothing here does I/O; everything above (the plans of ops/, the bulk paths, the reports) asks these
modules and never restates a rule.
"""

from mutuals.rules.permissions import Decision, PostFacts, comment, duet, message, no_such_post, stitch, view
from mutuals.rules.public import NOT_AVAILABLE, public_reason
from mutuals.rules.ranking import (
    DEPTH_WINDOW_DAYS,
    FOR_YOU_DEPTH_WEIGHT,
    FOR_YOU_HALF_LIFE_HOURS,
    FOR_YOU_RECENCY_MAX,
    FOR_YOU_WINDOW_DAYS,
    FRIEND_BONUS,
    INTERACTION_CAP,
    INTERACTION_WEIGHTS,
    TOP_FRIEND_DEPTH,
    depth,
    depth_params,
    discovery_params,
    discovery_score,
    for_you_score,
    points,
)

__all__ = [
    "DEPTH_WINDOW_DAYS",
    "FOR_YOU_DEPTH_WEIGHT",
    "FOR_YOU_HALF_LIFE_HOURS",
    "FOR_YOU_RECENCY_MAX",
    "FOR_YOU_WINDOW_DAYS",
    "FRIEND_BONUS",
    "INTERACTION_CAP",
    "INTERACTION_WEIGHTS",
    "NOT_AVAILABLE",
    "TOP_FRIEND_DEPTH",
    "Decision",
    "PostFacts",
    "comment",
    "depth",
    "depth_params",
    "discovery_params",
    "discovery_score",
    "duet",
    "for_you_score",
    "message",
    "no_such_post",
    "points",
    "public_reason",
    "stitch",
    "view",
]
