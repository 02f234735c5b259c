"""Bulk data: import rows from CSV or JSON Lines files in batches, and export every kind back."""

from typing import TYPE_CHECKING, Any

from mutuals.bulk.export import ExportSummary, export
from mutuals.bulk.rows import KINDS, ORDER
from mutuals.bulk.run import DEFAULT_BATCH, ImportProgress, ImportSummary, rejects_path, run

if TYPE_CHECKING:
    from mutuals.bulk.offline import OfflineSummary, import_offline


def __getattr__(name: str) -> Any:
    """The offline importer (and numpy with it) is imported on first use."""
    if name in ("OfflineSummary", "import_offline"):
        from mutuals.bulk import offline

        return getattr(offline, name)
    raise AttributeError(f"module 'mutuals.bulk' has no attribute {name!r}")


__all__ = [
    "DEFAULT_BATCH",
    "KINDS",
    "ORDER",
    "ExportSummary",
    "ImportProgress",
    "ImportSummary",
    "OfflineSummary",
    "export",
    "import_offline",
    "rejects_path",
    "run",
]
