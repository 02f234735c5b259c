"""The bounds and names the command line shows in its options (page sizes, tabs, segments, the
outbox's reads): defined here, in the base layer, so that the CLI can build its options without
importing the operations (a fast `mutuals --help`); the operations import them from here."""

from __future__ import annotations

from typing import Final

from mutuals.base.validate import MAX_PAGE

# lists of account ids (ops/lists.py)
DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = MAX_PAGE
SEGMENTS: Final = (
    "friends",
    "followers_only",
    "following_only",
    "requests_in",
    "requests_out",
    "blocked",
    "top_friends",
    "engaged_followers",
    "passive_followers",
    "close_friends",
)

# feeds (ops/feeds.py)
TABS: Final = ("following", "friends", "for_you")
DEFAULT_FEED_LIMIT: Final = 20
MAX_FEED_LIMIT: Final = 200

# suggestions (ops/social.py)
DEFAULT_SUGGEST: Final = 10
MAX_SUGGEST: Final = 100

# the event outbox (ops/events.py)
DEFAULT_RETENTION_DAYS: Final = 7
DEFAULT_READ: Final = 100
MAX_READ: Final = 1000
MIN_POLL: Final = 0.05
MAX_POLL: Final = 3600.0
MAX_RETENTION_DAYS: Final = 36_500

# the ego-network picture (views/ego.py)
EGO_DEFAULT_LIMIT: Final = 120
EGO_MAX_LIMIT: Final = 500
