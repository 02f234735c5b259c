"""The importer: read a file, validate each row in Python, write batches (one transaction each),
count every row, and write every refused row with its reason to a rejects file.

Re-running an import writes nothing new (every row is then ``unchanged`` or rejected again), so
an import that was interrupted (Ctrl-C, a killed database) is completed by running it again.

The import is an operation of :mod:`mutuals.io.runner` (a generator of I/O requests): the batch
loop below exists once and runs on the sync or the async connection, each batch a write of the
runner (retried and replayed as any write). The summary's ``token`` is the last round's (the
bookmarks of its one or two batches, which commit after every batch before), so
``after=summary.token`` reads see the import on any engine.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.bulk import load
from mutuals.bulk.formats import Reader, Writer, detect, detect_or_none
from mutuals.bulk.lanes import CLASSES, Lanes, classes
from mutuals.bulk.prefetch import Parsed, Prefetch
from mutuals.bulk.rows import KINDS, Kind, PairRow, PostRow, Row, UserRow, check_header, kind
from mutuals.io import tokens
from mutuals.io.plan import PlanFactory
from mutuals.io.runner import Blocking, Concurrently, Op, Runner

DEFAULT_BATCH: Final = v.IMPORT_BATCH
MAX_BATCH: Final = v.MAX_IMPORT_BATCH
META_COLUMNS: Final = ("_line", "_reason", "_detail", "_raw")


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Where an import is, after each batch."""

    read: int
    written: int
    unchanged: int
    rejected: int
    bytes_read: int
    bytes_total: int
    seconds: float


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: every row read is written, unchanged or rejected (``reasons`` counts
    the rejects by reason; ``rejects_file`` holds them, or is None when there were none).
    ``token`` is the consistency token of the last round of batches written (None when nothing
    was written): pass it as ``after=`` to a read to see the import."""

    kind: str
    file: str
    read: int
    written: int
    unchanged: int
    rejected: int
    reasons: dict[str, int] = field(default_factory=dict)
    rejects_file: str | None = None
    batches: int = 0
    seconds: float = 0.0
    token: str | None = None

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "read": self.read,
            "written": self.written,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "reasons": dict(self.reasons),
            "rejects_file": self.rejects_file,
            "batches": self.batches,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
        }


def rejects_path(path: Path, fmt: str) -> Path:
    """The default rejects file of ``path``: ``follows.csv`` -> ``follows.rejects.csv`` (the
    input's extension when it names the format, else ``.csv`` or ``.jsonl``)."""
    suffix = path.suffix if detect_or_none(path) == fmt else f".{fmt}"
    return path.with_name(f"{path.stem}.rejects{suffix}")


class _Rejects:
    """The rejects file, opened at the first reject: the input's columns plus line, reason, detail and raw text."""

    def __init__(self, path: Path, fmt: str, columns: list[str]) -> None:
        self.path = path
        self.format = fmt
        self.columns = [c for c in columns if not c.startswith("_")] + list(META_COLUMNS)
        self.writer: Writer | None = None
        self.reasons: Counter[str] = Counter()

    def add(self, number: int, fields: dict[str, Any] | None, reason: str, detail: str, raw: str = "") -> None:
        if self.writer is None:
            self.writer = Writer(self.path, self.format, self.columns)
        self.reasons[reason] += 1
        row = {k: val for k, val in (fields or {}).items() if not str(k).startswith("_")}
        row.update(_line=number, _reason=reason, _detail=detail, _raw=raw or None)
        if self.format == "jsonl":
            self.writer.write_object(row)
        else:
            self.writer.write(row)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class Importer:
    """One import of one file (see :func:`run`)."""

    def __init__(
        self,
        runner: Runner,
        spec: Kind,
        reader: Reader,
        rejects: _Rejects,
        *,
        batch_size: int,
        checks: bool,
        progress: Callable[[ImportProgress], None] | None,
    ) -> None:
        self.runner, self.spec, self.reader, self.rejects = runner, spec, reader, rejects
        self.batch_size, self.checks, self.progress = batch_size, checks, progress
        self.read = self.written = self.unchanged = self.batches = self.offset = 0
        self.start = time.perf_counter()
        self.rows: Lanes[Row] = Lanes()
        self.refused: list[tuple[int, dict[str, Any] | None, str, str, str]] = []
        self.fields: dict[int, dict[str, Any]] = {}
        self.keys: set[tuple[Any, ...]] = set()
        self.token: str | None = None

    @property
    def rejected(self) -> int:
        return sum(self.rejects.reasons.values()) + len(self.refused)

    def run(self) -> Op[None]:
        lines = Prefetch(self.reader, self.spec)
        try:
            while (chunk := (yield Blocking(lines.next_chunk))) is not None:
                for item in chunk:
                    self.read += 1
                    self.offset = item.line.offset
                    yield from self.take(item)
            yield from self.flush()
        finally:
            lines.close()

    def take(self, item: Parsed) -> Op[None]:
        line, row = item.line, item.row
        if row is None:
            raw = line.raw if line.fields is None else ""
            yield from self.refuse((line.number, line.fields, item.reason, item.detail, raw))
            return
        if row.key in self.keys:
            if not self.spec.repeat_splits_batch:
                self.unchanged += 1  # the same follow (like, block...) twice: the second changes nothing
                return
            yield from self.flush()  # the same account or post again: apply the rows in file order
        self.rows.add(row, touched(row))
        self.fields[line.number] = line.fields or {}
        self.keys.add(row.key)
        if self.rows.size >= 4 * self.batch_size:  # enough waiting to pair full batches
            yield from self.write(2 * self.batch_size)

    def refuse(self, refused: tuple[int, dict[str, Any] | None, str, str, str]) -> Op[None]:
        self.refused.append(refused)
        if len(self.refused) >= self.batch_size:
            yield from self.flush()

    def flush(self) -> Op[None]:
        """Write every row waiting, then every row refused since, in line order."""
        yield from self.write(0)
        for refused in sorted(self.refused, key=lambda item: item[0]):
            self.rejects.add(*refused)
        self.refused = []
        self.fields, self.keys = {}, set()

    def write(self, keep: int) -> Op[None]:
        """Write rounds of batches until at most ``keep`` rows wait: a round is one batch, or two
        on accounts that share none (:mod:`mutuals.bulk.lanes`), written at the same time."""
        while self.rows.size > keep and (batches := self.rows.round(self.batch_size)):
            commits = tuple(self.runner.commit(self.plan(rows)) for rows in batches)
            if len(commits) == 1:
                done = [(yield from commits[0])]
            else:
                done = yield Concurrently(commits)
            # a round's batches start after the round before committed: their bookmarks cover it
            # (one database's transactions are applied in order), so the token is this round's alone
            self.token = tokens.merged(*(token for _, token in done)) or self.token
            for rows, (batch, _) in zip(batches, done, strict=True):
                self.written += batch.written
                self.unchanged += batch.unchanged
                self.refused.extend(
                    (r.line, self.fields.pop(r.line, None), reason, detail, "") for r, reason, detail in batch.rejects
                )
                for r in rows:
                    self.fields.pop(r.line, None)
                    self.keys.discard(r.key)
                self.batches += 1
            self.report()

    def report(self) -> None:
        if self.progress is not None:
            self.progress(
                ImportProgress(
                    self.read,
                    self.written,
                    self.unchanged,
                    self.rejected,
                    self.offset,
                    self.reader.size,
                    time.perf_counter() - self.start,
                )
            )

    def plan(self, rows: list[Row]) -> PlanFactory[load.Batch]:
        return load.batch(self.spec.name, rows, datetime.now(UTC), checks=self.checks)


def touched(row: Row) -> frozenset[int]:
    """The account classes a row's batch locks (an interaction's post author is known only to the
    database: interactions run one batch at a time)."""
    if isinstance(row, PairRow):
        return classes((row.a, row.b))
    if isinstance(row, UserRow):
        return classes((row.id,))
    if isinstance(row, PostRow):
        return classes((row.author,))
    return frozenset(range(CLASSES))  # every class: never alongside another batch


def run(
    runner: Runner,
    kind_name: Any,
    file: Any,
    *,
    format: str | None = None,
    batch_size: Any = DEFAULT_BATCH,
    rejects: Any = None,
    checks: bool = True,
    progress: Callable[[ImportProgress], None] | None = None,
) -> Op[ImportSummary]:
    """The import of one file of ``kind_name`` rows (see :class:`ImportSummary`): the arguments
    are checked at once; the operation runs on the engine's connection (``conn.execute(...)``)."""
    spec = kind(kind_name)
    path = v.path("file", file)
    if not path.is_file():
        raise InvalidInput("file", f"{path} is not a file")
    fmt = detect(path, format)
    size = v.limit("batch_size", batch_size, maximum=MAX_BATCH)
    v.flag("checks", checks)
    if progress is not None and not callable(progress):
        raise InvalidInput("progress", f"must be a function of ImportProgress, got {v.shown(progress)}")
    rejects_file = v.path("rejects", rejects) if rejects is not None else rejects_path(path, fmt)
    if rejects_file.resolve() == path.resolve():
        raise InvalidInput("rejects", "must differ from the file being imported")
    return _run(runner, spec, path, fmt, size, rejects_file, checks, progress)


def _run(
    runner: Runner,
    spec: Kind,
    path: Path,
    fmt: str,
    size: int,
    rejects_file: Path,
    checks: bool,
    progress: Callable[[ImportProgress], None] | None,
) -> Op[ImportSummary]:
    reader = Reader(path, fmt)
    try:
        if reader.columns is not None:
            check_header(spec, reader.columns)
        rejects_file.unlink(missing_ok=True)  # a stale file from an earlier run would mislead
        sink = _Rejects(rejects_file, fmt, reader.columns or list(spec.columns))
        importer = Importer(runner, spec, reader, sink, batch_size=size, checks=checks, progress=progress)
        try:
            yield from importer.run()
        finally:
            sink.close()
    finally:
        reader.close()
    return ImportSummary(
        spec.name,
        str(path),
        importer.read,
        importer.written,
        importer.unchanged,
        importer.rejected,
        dict(sorted(sink.reasons.items())),
        str(rejects_file) if sink.writer is not None else None,
        importer.batches,
        time.perf_counter() - importer.start,
        importer.token,
    )


__all__ = ["DEFAULT_BATCH", "KINDS", "ImportProgress", "ImportSummary", "rejects_path", "run"]
