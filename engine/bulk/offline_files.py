"""The files of an offline load: reading the CSV files of DIR, and writing the input files of
Neo4j's batch importer (one per node or relationship group, header first).

Reading comes in two forms that give the same rows. :func:`chunks` reads a file in blocks of
lines and hands the preparation plain lines wherever no CSV parsing is needed (no quote, and a
carriage return only before a newline: then a record is a line and a field is what lies between
two commas, exactly what the csv module would read), so that the common rows can be checked in
bulk; from the first block that holds a quote or a lone carriage return on, the csv module reads
the rest (a quoted field may span lines). :func:`csv_rows` reads a whole file with the csv module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Any, Final

from mutuals.base.errors import InvalidInput
from mutuals.bulk.rows import KINDS, check_header

EVENT_FILES: Final = ("events", "event", "event_seq")  # written by EventsWriter
HEADERS: Final = {
    "accounts": "id:ID(Account),private:boolean,dm_policy,comment_policy,duet_policy,stitch_policy,created_at:datetime",
    "posts": "id:ID(Post),author,visibility,created_at:datetime,duet_policy,stitch_policy",
    "posted": ":START_ID(Account),:END_ID(Post)",
    "follows": ":START_ID(Account),:END_ID(Account),src,dst,since:datetime",
    "requests": ":START_ID(Account),:END_ID(Account),src,dst,at:datetime",
    "blocks": ":START_ID(Account),:END_ID(Account),src,dst,at:datetime",
    "post_interactions": ":START_ID(Account),:END_ID(Post),kind,src,dst,post,at:datetime",
    "messages": ":START_ID(Account),:END_ID(Account),kind,src,dst,at:datetime",
    # the event outbox (mutuals.ops.events): numbered change sets, as parallel lists ...
    "events": "seq:long,last:long,types:string[],actors:string[],subjects:string[],posts:string[],details:string[]"
    ",at:datetime",
    # ... and a set of one change as single values (see EventsWriter), and the counter
    "event": "seq:long,last:long,type,actor,subject,post,detail,at:datetime",
    "event_seq": "id,n:long",
}
GROUPS: Final = {
    "accounts": ("nodes", "Account"),
    "posts": ("nodes", "Post"),
    "events": ("nodes", "Event"),
    "event": ("nodes", "Event"),
    "event_seq": ("nodes", "EventSeq"),
    "posted": ("relationships", "POSTED"),
    "follows": ("relationships", "FOLLOWS"),
    "requests": ("relationships", "REQUESTED"),
    "blocks": ("relationships", "BLOCKS"),
    "post_interactions": ("relationships", "INTERACTED"),
    "messages": ("relationships", "INTERACTED"),
}
ARRAY_DELIMITER: Final = ";"  # the importer's `--array-delimiter` (its default, passed explicitly)
BLOCK_CHARS: Final = 1 << 22  # characters read at a time by chunks()
RECORDS_PER_CHUNK: Final = 100_000  # rows of one chunk once the csv module reads


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            return
        for number, values in enumerate(reader, start=2):
            if values:
                yield number, dict(zip(header, values, strict=False))


def header(path: Path, kind: str) -> list[str]:
    """The checked header row of ``path`` (the columns of its rejects file, as online)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), None)
    if header is None:
        raise InvalidInput("directory", f"{path.name}: a CSV file needs a header row naming its columns")
    check_header(KINDS[kind], header)
    return header


class Lines:
    """Consecutive lines of a file that need no CSV parsing (no quote, no carriage return but in
    a CRLF): ``text``, each line ended by a newline, the first one record ``start``; ``columns``:
    the header's width. An empty line is a blank line, which the csv module skips."""

    __slots__ = ("_lines", "_numbers", "columns", "start", "text")

    def __init__(self, start: int, text: str, columns: int) -> None:
        self.start, self.text, self.columns = start, text, columns
        self._lines: list[str] | None = None
        self._numbers: list[int] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")[:-1]
        return self._lines

    def split(self) -> list[list[str]] | None:
        """The values of the lines that are not blank, by column (``[column][row]``; row ``i`` is
        record :meth:`number` ``(i)``), when each has exactly the header's number of fields; else
        None (take the lines one by one)."""
        text = self.text
        if text.startswith("\n") or "\n\n" in text:
            kept = [i for i, line in enumerate(self.lines) if line]
            self._numbers = [self.start + i for i in kept]
            text = "".join(self.lines[i] + "\n" for i in kept)
        k, n = self.columns, text.count("\n")
        if text.count(",") != (k - 1) * n:
            return None
        flat = text.replace("\n", ",").split(",")
        flat.pop()
        _check_size(flat)
        return [flat[j::k] for j in range(k)]

    def number(self, i: int) -> int:
        """The record number of row ``i`` of :meth:`split`."""
        return self.start + i if self._numbers is None else self._numbers[i]

    def fields(self, i: int, columns: list[str]) -> dict[str, str]:
        """The fields of row ``i`` of :meth:`split`, as the csv module reads them."""
        return dict(zip(columns, self.values(self.number(i) - self.start), strict=False))

    def values(self, i: int) -> list[str]:
        """The values of line ``i``, as the csv module reads them."""
        values = self.lines[i].split(",")
        _check_size(values)
        return values


def _check_size(values: list[str]) -> None:
    """The csv module's own refusal of a field longer than its limit."""
    limit = csv.field_size_limit()
    if values and max(map(len, values)) > limit:
        raise csv.Error(f"field larger than field limit ({limit})")


@dataclass(frozen=True, slots=True)
class Records:
    """Rows the csv module read: (record number, fields by column), blank records left out."""

    rows: list[tuple[int, dict[str, str]]]


def chunks(path: Path, columns: Sequence[str]) -> Iterator[Lines | Records]:
    """The data rows of ``path`` (after its header row ``columns``), a block at a time, as
    :class:`Lines` while no CSV parsing is needed, then as :class:`Records` (the rows
    :func:`csv_rows` yields, numbered alike)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        first = handle.readline()
        if '"' in first or _plain(first) is None:  # a quoted header, or a lone CR: the csv module reads it all
            yield from _records(chain([first], handle), None, 1)
            return
        number, carry = 2, ""
        while True:
            piece = handle.read(BLOCK_CHARS)
            text = carry + piece
            if piece:
                cut = text.rfind("\n") + 1
                if cut == 0:
                    carry = text
                    continue
                text, carry = text[:cut], text[cut:]
            elif not text:
                return
            else:
                text += "\n"  # the last line had no newline
            plain = _plain(text)
            if plain is None or '"' in plain:
                rest = io.StringIO(text + carry + handle.readline(), newline="")  # up to a line end
                yield from _records(chain(rest, handle), list(columns), number)
                return
            yield Lines(number, plain, len(columns))
            number += plain.count("\n")
            if not piece:
                return


def _plain(text: str) -> str | None:
    """``text`` with its CRLF line ends as LF, or None when it holds a carriage return elsewhere
    (the csv module ends a record there)."""
    if "\r" not in text:
        return text
    if text.count("\r") != text.count("\r\n"):
        return None
    return text.replace("\r\n", "\n")


def _records(source: Iterator[str], columns: list[str] | None, start: int) -> Iterator[Records]:
    """The rows of ``source`` read by the csv module, from record number ``start`` (``columns``
    None: its first record is the header)."""
    reader = csv.reader(source)
    if columns is None:
        columns = next(reader, None)
        if columns is None:
            return
        start += 1
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(reader, start=start):
        if values:
            rows.append((number, dict(zip(columns, values, strict=False))))
            if len(rows) >= RECORDS_PER_CHUNK:
                yield Records(rows)
                rows = []
    if rows:
        yield Records(rows)


def joined(columns: Sequence[Sequence[str] | str], n: int) -> str:
    """``n`` rows of the importer's CSV, each ``columns[0][i],columns[1][i],...`` (a str: the same
    value in every row), ended by newlines: values that need no quoting (ids, words, times)."""
    k = 2 * len(columns)
    out = [","] * (k * n)
    for j, column in enumerate(columns):
        out[2 * j :: k] = [column] * n if isinstance(column, str) else column
    out[k - 1 :: k] = ["\n"] * n
    return "".join(out)


def cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return f'"{text}"' if "," in text or '"' in text else text


class Writer:
    """One input file of the batch importer (header first)."""

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / f"{name}.csv"
        self.handle: IO[str] = self.path.open("w", encoding="utf-8", newline="")
        self.handle.write(HEADERS[name] + "\n")
        self.rows = 0

    def write(self, *cells: Any) -> None:
        self.handle.write(",".join(cell(c) for c in cells) + "\n")
        self.rows += 1

    def write_lines(self, text: str, rows: int) -> None:
        """``rows`` rows, already formatted (each ended by a newline)."""
        self.handle.write(text)
        self.rows += rows


class EventsWriter:
    """The event outbox of the store: the changes of the load, numbered 1, 2, 3... in the order
    they are given, as ``:Event {seq, last, types, actors, subjects, posts, details, at}`` nodes of
    ``chunk`` changes each (the parallel lists of mutuals.ops.events, '' for an empty field),
    then the counter ``:EventSeq {id: 'events', n}``.

    The importer reads a ``string[]`` field by splitting it at each ``;`` and keeps empty
    elements (``;`` is two empty strings), but an empty field is no property at all: a list of
    one '' would be lost. So a set of one change is written in the outbox's one-change form
    (``:Event {seq, type, actor...}``, an empty field left out), which the outbox reads as the
    same event (tests/test_offline.py proves both forms round-trip)."""

    def __init__(self, directory: Path, at: str, chunk: int = 10_000) -> None:
        self.sets = Writer(directory, "events")
        self.ones = Writer(directory, "event")
        self.counter = Writer(directory, "event_seq")
        self.at, self.chunk = at, chunk
        self.total = 0  # the seq of the last change written
        self.pending: tuple[list[str], list[str], list[str], list[str], list[str]] = ([], [], [], [], [])

    def extend(
        self,
        types: Sequence[str],
        actors: Sequence[str],
        subjects: Sequence[str] | None = None,
        posts: Sequence[str] | None = None,
        details: Sequence[str] | None = None,
    ) -> None:
        """Changes in order: ``types[i]`` by ``actors[i]``...; None: that field is empty in every one."""
        n = len(types)
        for column, values in zip(self.pending, (types, actors, subjects, posts, details), strict=True):
            column.extend([""] * n if values is None else values)
        held = len(self.pending[0])
        if held >= self.chunk:
            full = held - held % self.chunk
            for start in range(0, full, self.chunk):
                self._write([column[start : start + self.chunk] for column in self.pending])
            for column in self.pending:
                del column[:full]

    def _write(self, taken: list[list[str]]) -> None:
        n = len(taken[0])
        seq, last = self.total + 1, self.total + n
        self.total = last
        if n == 1:
            self.ones.write(seq, last, *(column[0] or None for column in taken), self.at)
            return
        fields = []
        for values in taken:
            if not any(values):  # a field empty in every change (the post of a follow...)
                fields.append(ARRAY_DELIMITER * (n - 1))
                continue
            joined = ARRAY_DELIMITER.join(values)
            # ids and words (taken from lines, checked): never a delimiter, a quote or a line end;
            # a detail may hold a comma
            if joined.count(ARRAY_DELIMITER) != n - 1:
                raise ValueError(f"an event field holds the importer's array delimiter {ARRAY_DELIMITER!r}")
            fields.append(f'"{joined}"' if "," in joined else joined)
        self.sets.write_lines(f"{seq},{last},{','.join(fields)},{self.at}\n", 1)

    def close(self) -> int:
        """Write what is left and the counter; the number of changes written."""
        if self.pending[0]:
            self._write(list(self.pending))
        self.counter.write("events", self.total)
        for w in (self.sets, self.ones, self.counter):
            w.handle.close()
        return self.total
