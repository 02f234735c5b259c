"""mutuals: a relationship engine for follower graphs, on Neo4j.

>>> from mutuals import Engine
>>> with Engine.from_env() as engine:                 # doctest: +SKIP
...     engine.follow("alice", "bob")
"""

from mutuals.aio import AsyncEngine
from mutuals.base.errors import (
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
    TransactionTooLarge,
)
from mutuals.base.models import (
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
from mutuals.bulk import ExportSummary, ImportProgress, ImportSummary, OfflineSummary, import_offline
from mutuals.core import Engine, QueryResult
from mutuals.io.config import Config
from mutuals.ops.reset import ResetProgress, ResetSummary
from mutuals.rules import Decision
from mutuals.views.ego import EgoPicture
from mutuals.views.reports import Report, ReportParam, ReportResult

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
    "ResetProgress",
    "ResetSummary",
    "SegmentCounts",
    "Suggestion",
    "TransactionTooLarge",
    "import_offline",
]
