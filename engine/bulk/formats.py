"""Files of rows: CSV with a header row, or JSON Lines (one JSON object a line).

Reading yields every data line as a :class:`Line` (its number, its fields or why it could not be
read, and how many bytes of the file have been read so far, for a progress bar). Writing keeps
the columns in a fixed order. Nothing here knows what the rows mean.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput

FORMATS: Final = ("csv", "jsonl")
_EXTENSIONS: Final = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def detect(path: Path, given: str | None) -> str:
    """The format of ``path``: ``given`` (csv or jsonl), else from the extension."""
    if given is not None:
        if not isinstance(given, str) or given not in FORMATS:
            raise InvalidInput("format", f"must be csv or jsonl, got {v.shown(given)}")
        return given
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise InvalidInput(
            "format", f"cannot tell the format of {path.name} from its extension (.csv, .jsonl): give --format"
        )
    return found


def detect_or_none(path: Path) -> str | None:
    """The format the extension of ``path`` names, if any."""
    return _EXTENSIONS.get(path.suffix.lower())


@dataclass(frozen=True, slots=True)
class Line:
    """One data line: its fields (None when it could not be read: ``problem`` says why)."""

    number: int
    fields: dict[str, Any] | None
    problem: str | None
    offset: int
    raw: str = ""


class Reader:
    """Iterates the data lines of a CSV or JSON Lines file; ``columns`` is the CSV header (or None)."""

    def __init__(self, path: Path, fmt: str) -> None:
        try:
            self._handle: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as e:
            raise InvalidInput("file", f"cannot open {path}: {e.strerror or e}") from None
        self.format = fmt
        self.offset = 0
        self.size = path.stat().st_size
        self.columns: list[str] | None = None
        self._number = 0
        self._pending: list[str] = []
        if fmt == "csv":
            self._csv = csv.reader(self._text_lines())
            try:
                header = next(self._csv)
            except StopIteration:
                header = []
            except csv.Error as e:
                raise InvalidInput("file", f"{path.name}: the header row cannot be read ({e})") from None
            self._take_raw()
            self.columns = [name.strip().lstrip("\ufeff").strip() for name in header]
            if not any(self.columns):
                self.close()
                raise InvalidInput("file", f"{path.name}: a CSV file needs a header row naming its columns")

    def _text_lines(self) -> Iterator[str]:
        for raw in self._handle:
            self.offset += len(raw)
            self._number += 1
            text = raw.decode("utf-8", errors="replace")
            self._pending.append(text)
            yield text

    def _take_raw(self) -> str:
        raw = "".join(self._pending).rstrip("\r\n")
        self._pending.clear()
        return raw

    def __iter__(self) -> Iterator[Line]:
        return self._csv_lines() if self.format == "csv" else self._json_lines()

    def _csv_lines(self) -> Iterator[Line]:
        assert self.columns is not None
        width = len(self.columns)
        while True:
            try:
                values = next(self._csv)
            except StopIteration:
                return
            except csv.Error as e:
                yield Line(self._number, None, f"malformed CSV: {e}", self.offset, self._take_raw())
                continue
            raw = self._take_raw()
            if not values or (len(values) == 1 and not values[0].strip()):
                continue  # blank line
            if len(values) != width:
                problem = f"malformed CSV: {len(values)} fields, the header has {width}"
                yield Line(self._number, None, problem, self.offset, raw)
                continue
            yield Line(self._number, dict(zip(self.columns, values, strict=True)), None, self.offset)

    def _json_lines(self) -> Iterator[Line]:
        for line in self._text_lines():
            raw = self._take_raw()
            text = line.lstrip("\ufeff") if self._number == 1 else line
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except ValueError as e:
                problem = f"malformed JSON: {e.args[0] if e.args else e}"
                yield Line(self._number, None, problem, self.offset, raw)
                continue
            if not isinstance(value, dict):
                yield Line(self._number, None, "malformed JSON: the line is not an object", self.offset, raw)
                continue
            yield Line(self._number, value, None, self.offset)

    def close(self) -> None:
        self._handle.close()


class Writer:
    """Writes rows (dicts) with fixed columns as CSV (header first) or JSON Lines."""

    def __init__(self, path: Path, fmt: str, columns: Sequence[str]) -> None:
        self.path = path
        self.format = fmt
        self.columns = list(columns)
        try:
            self._handle: IO[str] = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as e:
            raise InvalidInput("file", f"cannot write {path}: {e.strerror or e}") from None
        self.count = 0
        if fmt == "csv":
            self._csv = csv.writer(self._handle, lineterminator="\n")
            self._csv.writerow(self.columns)

    def write(self, row: dict[str, Any]) -> None:
        self.count += 1
        if self.format == "csv":
            self._csv.writerow([_csv_cell(row.get(c)) for c in self.columns])
        else:
            cells = {c: row[c] for c in self.columns if row.get(c) is not None}
            self._handle.write(json.dumps(cells, ensure_ascii=False, default=str) + "\n")

    def write_object(self, row: dict[str, Any]) -> None:
        """JSON Lines only: the whole object, whatever its keys (None values left out)."""
        self.count += 1
        cells = {str(k): val for k, val in row.items() if val is not None}
        self._handle.write(json.dumps(cells, ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        self._handle.close()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
