"""mutuals: a relationship engine for follower graphs, on Neo4j.

>>> from engine import Engine
>>> with Engine.from_env() as engine:                 # doctest: +SKIP
...     engine.follow("alice", "bob")
"""

from .aio import AsyncEngine
from .config import Config
from .core import Engine, QueryResult
from .errors import (
    AuthenticationFailed,
    Blocked,
    Conflict,
    DatabaseUnavailable,
    Expired,
    InvalidInput,
    MutualsError,
    NotAllowed,
    NotFound,
    QueryError,
    ReadOnly,
)
from .models import (
    Account,
    Audience,
    Event,
    FeedItem,
    Outcome,
    Page,
    Post,
    Profile,
    Relationship,
    SegmentCounts,
    Suggestion,
)
from .rules import Decision

__version__ = "0.1.0"

__all__ = [
    "Account",
    "AsyncEngine",
    "Audience",
    "AuthenticationFailed",
    "Blocked",
    "Config",
    "Conflict",
    "DatabaseUnavailable",
    "Decision",
    "Engine",
    "Event",
    "Expired",
    "FeedItem",
    "InvalidInput",
    "MutualsError",
    "NotAllowed",
    "NotFound",
    "Outcome",
    "Page",
    "Post",
    "Profile",
    "QueryError",
    "QueryResult",
    "ReadOnly",
    "Relationship",
    "SegmentCounts",
    "Suggestion",
]
