"""mutuals: a relationship engine for follower graphs, on Neo4j.

>>> from mutuals import Engine
>>> with Engine.from_env() as engine:                 # doctest: +SKIP
...     engine.follow("alice", "bob")
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mutuals.aio import AsyncEngine
    from mutuals.base.errors import (
        AuthenticationFailed,
        Blocked,
        Conflict,
        DatabaseUnavailable,
        Expired,
        InvalidInput,
        MissingExtra,
        MutualsError,
        NotAllowed,
        NotFound,
        QueryError,
        ReadOnly,
        TransactionTooLarge,
    )
    from mutuals.base.models import (
        AccessChange,
        Account,
        AccountSet,
        Audience,
        Event,
        FeedItem,
        Outcome,
        Page,
        Post,
        Preview,
        Profile,
        Relationship,
        SegmentCounts,
        Suggestion,
        ViewerProfile,
    )
    from mutuals.bulk import ExportSummary, ImportProgress, ImportSummary, OfflineSummary, import_offline
    from mutuals.core import Engine, QueryResult
    from mutuals.io.config import Config
    from mutuals.ops.preview import WhatIf
    from mutuals.ops.reset import ResetProgress, ResetSummary
    from mutuals.rules import Decision
    from mutuals.views.ego import EgoPicture
    from mutuals.views.reports import Report, ReportParam, ReportResult

# each public name and the module it comes from, imported on first use: `mutuals --help` and
# `from mutuals.cli...` do not load the driver, numpy or matplotlib (docs/decisions.md)
_WHERE = {
    "AsyncEngine": "mutuals.aio",
    "AuthenticationFailed": "mutuals.base.errors",
    "Blocked": "mutuals.base.errors",
    "Conflict": "mutuals.base.errors",
    "DatabaseUnavailable": "mutuals.base.errors",
    "Expired": "mutuals.base.errors",
    "InvalidInput": "mutuals.base.errors",
    "MissingExtra": "mutuals.base.errors",
    "MutualsError": "mutuals.base.errors",
    "NotAllowed": "mutuals.base.errors",
    "NotFound": "mutuals.base.errors",
    "QueryError": "mutuals.base.errors",
    "ReadOnly": "mutuals.base.errors",
    "TransactionTooLarge": "mutuals.base.errors",
    "ResetProgress": "mutuals.ops.reset",
    "ResetSummary": "mutuals.ops.reset",
    "AccessChange": "mutuals.base.models",
    "Account": "mutuals.base.models",
    "AccountSet": "mutuals.base.models",
    "Audience": "mutuals.base.models",
    "Event": "mutuals.base.models",
    "FeedItem": "mutuals.base.models",
    "Outcome": "mutuals.base.models",
    "Page": "mutuals.base.models",
    "Post": "mutuals.base.models",
    "Profile": "mutuals.base.models",
    "Relationship": "mutuals.base.models",
    "SegmentCounts": "mutuals.base.models",
    "Suggestion": "mutuals.base.models",
    "Preview": "mutuals.base.models",
    "ViewerProfile": "mutuals.base.models",
    "WhatIf": "mutuals.ops.preview",
    "ExportSummary": "mutuals.bulk",
    "ImportProgress": "mutuals.bulk",
    "ImportSummary": "mutuals.bulk",
    "OfflineSummary": "mutuals.bulk",
    "import_offline": "mutuals.bulk",
    "Engine": "mutuals.core",
    "QueryResult": "mutuals.core",
    "Config": "mutuals.io.config",
    "Decision": "mutuals.rules",
    "EgoPicture": "mutuals.views.ego",
    "Report": "mutuals.views.reports",
    "ReportParam": "mutuals.views.reports",
    "ReportResult": "mutuals.views.reports",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'mutuals' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


__version__ = "0.1.0"

__all__ = [
    "AccessChange",
    "Account",
    "AccountSet",
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
    "MissingExtra",
    "MutualsError",
    "NotAllowed",
    "NotFound",
    "OfflineSummary",
    "Outcome",
    "Page",
    "Post",
    "Preview",
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
    "ViewerProfile",
    "WhatIf",
    "import_offline",
]
