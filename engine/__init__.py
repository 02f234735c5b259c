"""mutuals: a relationship engine for follower graphs, on Neo4j.

>>> from engine import Engine
>>> with Engine.from_env() as engine:                 # doctest: +SKIP
...     engine.follow("alice", "bob")
"""

from .aio import AsyncEngine
from .bulk import ExportSummary, ImportProgress, ImportSummary, OfflineSummary, import_offline
from .config import Config
from .core import Engine, QueryResult
from .ego import EgoPicture
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
from .reports import Report, ReportParam, ReportResult
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
    "EgoPicture",
    "Engine",
    "Event",
    "Expired",
    "ExportSummary",
    "FeedItem",
    "ImportProgress",
    "ImportSummary",
    "InvalidInput",
    "MutualsError",
    "NotAllowed",
    "NotFound",
    "OfflineSummary",
    "Outcome",
    "Page",
    "Post",
    "Profile",
    "QueryError",
    "QueryResult",
    "ReadOnly",
    "Relationship",
    "Report",
    "ReportParam",
    "ReportResult",
    "SegmentCounts",
    "Suggestion",
    "import_offline",
]
