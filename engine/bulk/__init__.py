"""Bulk data: import rows from CSV or JSON Lines files in batches, and export every kind back."""

from mutuals.bulk.export import ExportSummary, export
from mutuals.bulk.offline import OfflineSummary, import_offline
from mutuals.bulk.rows import KINDS, ORDER
from mutuals.bulk.run import DEFAULT_BATCH, ImportProgress, ImportSummary, rejects_path, run

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
