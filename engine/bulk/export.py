"""Export: every kind of row, in the columns and formats the importer reads, so that importing
the files into an empty database (in the order of :data:`mutuals.bulk.rows.ORDER`) rebuilds the graph.

Each file streams from one read transaction (constant memory, whatever the graph's size) into
a temporary file renamed into place when complete, so a failed export never leaves a partial
file under the final name. The export is an operation of :mod:`mutuals.io.runner`, so the sync
and the async engine run the same code on their own connection.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from functools import partial
from pathlib import Path
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.bulk.formats import FORMATS, Writer
from mutuals.bulk.rows import KINDS, ORDER
from mutuals.io.plan import Run
from mutuals.io.runner import Op, Runner

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


class _File:
    """The sink of one kind's rows: a temporary file, started afresh if the transaction is retried."""

    def __init__(self, temporary: Path, fmt: str, columns: Sequence[str]) -> None:
        self.writer = Writer(temporary, fmt, columns)

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.writer.write({key: cell(value) for key, value in row.items()})

    def finish(self) -> int:
        self.writer.close()
        return self.writer.count

    def discard(self) -> None:
        self.writer.close()


def export(runner: Runner, directory: Any, fmt: str = "csv") -> Op[ExportSummary]:
    """Write the ``users``, ``posts``, ``follows``, ``requests``, ``blocks`` and ``interactions``
    files into ``directory`` (created when missing); the arguments are checked at once, the
    operation runs on the engine's connection (``conn.execute(...)``)."""
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise InvalidInput("format", f"must be csv or jsonl, got {v.shown(fmt)}")
    out = v.path("directory", directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InvalidInput("directory", f"cannot create {out}: {e.strerror or e}") from None
    return _export(runner, out, fmt)


def _export(runner: Runner, out: Path, fmt: str) -> Op[ExportSummary]:
    start = time.perf_counter()
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    for name in ORDER:
        target = out / f"{name}.{fmt}"
        temporary = target.with_name(target.name + ".tmp")
        columns = KINDS[name].columns
        counts[name] = yield from runner.stream(STATEMENTS[name], partial(_File, temporary, fmt, columns))
        temporary.replace(target)
        files[name] = str(target)
    return ExportSummary(str(out), fmt, files, counts, time.perf_counter() - start)
