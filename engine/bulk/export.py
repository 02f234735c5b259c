"""Export: every kind of row, in the columns and formats the importer reads, so that importing
the files into an empty database (in the order of :data:`engine.bulk.rows.ORDER`) rebuilds the graph.

Each file streams from one read transaction (constant memory, whatever the graph's size) into
a temporary file renamed into place when complete, so a failed export never leaves a partial
file under the final name.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.bulk.formats import FORMATS, Writer
from mutuals.bulk.rows import KINDS, ORDER
from mutuals.io.plan import Run

if TYPE_CHECKING:
    from mutuals.io.connection import Connection

STATEMENTS: Final = {
    "users": Run("bulk/export_users"),
    "posts": Run("bulk/export_posts"),
    "follows": Run("bulk/export_follows"),
    "requests": Run("bulk/export_requests"),
    "blocks": Run("bulk/export_blocks"),
    "interactions": Run("bulk/export_interactions"),
}


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """The files written (kind -> path) and how many rows each holds."""

    directory: str
    format: str
    files: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "format": self.format,
            "files": dict(self.files),
            "rows": dict(self.rows),
            "seconds": round(self.seconds, 3),
        }


def cell(value: Any) -> Any:
    """A value as the importer reads it back: times as ISO-8601 in UTC."""
    if hasattr(value, "to_native"):
        value = value.to_native()
    if hasattr(value, "astimezone") and hasattr(value, "isoformat"):
        return value.astimezone(UTC).isoformat()
    return value


def export(conn: Connection, directory: Any, fmt: str = "csv") -> ExportSummary:
    """Write the ``users``, ``posts``, ``follows``, ``requests``, ``blocks`` and ``interactions``
    files into ``directory`` (created when missing)."""
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise InvalidInput("format", f"must be csv or jsonl, got {v.shown(fmt)}")
    out = v.path("directory", directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InvalidInput("directory", f"cannot create {out}: {e.strerror or e}") from None
    start = time.perf_counter()
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    for name in ORDER:
        target = out / f"{name}.{fmt}"
        temporary = target.with_name(target.name + ".tmp")
        columns = KINDS[name].columns

        def write(
            rows: Iterator[dict[str, Any]], temporary: Path = temporary, columns: tuple[str, ...] = columns
        ) -> int:
            writer = Writer(temporary, fmt, columns)  # (re)started from scratch if the transaction is retried
            try:
                for row in rows:
                    writer.write({key: cell(value) for key, value in row.items()})
            finally:
                writer.close()
            return writer.count

        counts[name] = conn.stream(STATEMENTS[name], write)
        temporary.replace(target)
        files[name] = str(target)
    return ExportSummary(str(out), fmt, files, counts, time.perf_counter() - start)
