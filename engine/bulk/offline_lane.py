"""What every kind of the offline preparation shares: the state and counts, the importer's
writers, the chunks of a file (from a reader process when one reads ahead), the general lane's
parse, and the facts the rules read.
"""

from __future__ import annotations

import multiprocessing
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.bulk.offline_columns import Bools, _State, _where
from mutuals.bulk.offline_files import (
    EVENT_FILES,
    HEADERS,
    EventsWriter,
    Lines,
    Records,
    Writer,
    chunks,
    csv_rows,
    header,
    joined,
)
from mutuals.bulk.offline_readers import _Ahead, _cores
from mutuals.bulk.offline_tables import _BAD, _MISS, _admissions, _column, _Memo, _Posts, check_of_key, message_allowed
from mutuals.bulk.rows import KINDS, PairRow, RowError, parse
from mutuals.bulk.run import _Rejects
from mutuals.ops.interactions import KINDS as INTERACTION_KINDS
from mutuals.rules.visibility import effective_audience


@dataclass
class Tally:
    """The counts of a preparation, as the rows are taken."""

    read: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    nodes: int = 0
    relationships: int = 0
    events: int = 0
    rejects_files: dict[str, str] = field(default_factory=dict)


class Lane:
    """The state of a preparation and what its kinds share (:class:`.offline_prepare.Preparer`
    is one lane per kind on top of it)."""

    def __init__(
        self,
        source: Path,
        work: Path,
        now: datetime,
        rejects: Path | None = None,
        *,
        checks: bool = True,
        fast: bool = True,
        parallel: bool | None = None,
        event_chunk: int,
    ) -> None:
        self.source, self.work, self.now = source, work, now.isoformat()
        self.rejects = rejects or work
        self.checks, self.fast = checks, fast
        self.parallel = (
            _cores() > 1 and "fork" in multiprocessing.get_all_start_methods() if parallel is None else parallel
        )
        self.readers: dict[str, _Ahead] = {}
        self._blocks_read = False
        self.state = _State()
        self.summary = Tally()
        self.writers = {name: Writer(work, name) for name in HEADERS if name not in EVENT_FILES}
        self.events = EventsWriter(work, self.now, event_chunk)
        self.memos: dict[str, _Memo] = {}
        self.moments = _Memo(_column("created_at"))  # every time column: the same parse
        self.iso: dict[str, Any] = {}  # a time's text -> as the importer's input
        self.audience: dict[tuple[str, bool], str] = {}
        self.checked: dict[tuple[Any, ...], bool] = {}
        self.admissions = _admissions()
        self._posts_table: _Posts | None = None
        self._private: Bools = np.zeros(0, np.bool_)
        self._follow_words: npt.NDArray[np.object_] = np.zeros(0, object)
        self._ids: npt.NDArray[np.object_] = np.zeros(0, object)  # account ids by number

    def files(self) -> dict[str, int]:
        """The batch importer's input files written (by name), and their rows."""
        events = self.events
        return {
            **{name: w.rows for name, w in self.writers.items()},
            "events": events.sets.rows,
            "event": events.ones.rows,
            "event_seq": events.counter.rows,
        }

    # -- reading ---------------------------------------------------------------------------
    def _chunks(self, path: Path, columns: list[str]) -> Iterator[tuple[Lines | Records, list[list[str]] | None]]:
        """The chunks of a file, each with its values by column when the fast lane takes it."""
        if not self.fast:
            yield Records(list(csv_rows(path))), None
            return
        for chunk in chunks(path, columns):
            yield chunk, chunk.split() if isinstance(chunk, Lines) else None

    def _read(
        self, kind: str, path: Path, columns: list[str], read: Callable[[Lines | Records, list[str]], Any] | None
    ) -> Iterator[tuple[Lines | Records, Any]]:
        """The chunks of a file, each with what ``read`` makes of it for the fast lane (None: the
        general lane takes it): from its reader process when one was started (:meth:`_start`)."""
        if kind in self.readers:
            yield from self.readers.pop(kind)
        elif not self.fast:
            yield Records(list(csv_rows(path))), None
        elif read is None:
            for chunk in chunks(path, columns):
                yield chunk, None
        else:
            for chunk in chunks(path, columns):
                yield chunk, read(chunk, columns)

    def _start(self, kind: str, read: Callable[[Lines | Records, list[str]], Any]) -> None:
        """With two cores or more, a reader process for ``kind`` (forked now: it knows what this
        process knows now), which reads ahead while this one decides the rows before."""
        path = self.source / f"{kind}.csv"
        if not (self.fast and self.parallel and path.is_file()) or kind in self.readers:
            return
        try:
            columns = header(path, kind)
        except InvalidInput:
            return  # refused when its turn comes
        self.readers[kind] = _Ahead(path, columns, read)

    @staticmethod
    def _rows(chunk: Lines | Records, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
        """Every row of a chunk with its fields, as the csv module reads them."""
        if isinstance(chunk, Records):
            return chunk.rows
        return [
            (chunk.start + i, dict(zip(columns, chunk.values(i), strict=False)))
            for i, line in enumerate(chunk.lines)
            if line
        ]

    @staticmethod
    def _fields(columns: list[str], values: list[list[str]], i: int) -> dict[str, str]:
        return {name: values[j][i] for j, name in enumerate(columns)}

    def _times(self, values: list[str]) -> list[Any]:
        """The times of a column as the importer's input ('' for none given, None for one that
        does not parse), remembered by text."""
        times: list[Any] = list(map(self.iso.get, values, repeat(_MISS)))
        if _MISS in times:
            for i in _where(times, _MISS):
                text = values[i]
                found = self.iso.get(text, _MISS)
                if found is _MISS:
                    moment = self.moments(text)
                    found = "" if moment is None else None if moment is _BAD else moment.isoformat()
                    if len(self.iso) < self.moments.size:
                        self.iso[text] = found
                times[i] = found
        return times

    def _memo(self, name: str) -> _Memo:
        if name == "created_at":
            return self.moments
        if name not in self.memos:
            self.memos[name] = _Memo(_column(name))
        return self.memos[name]

    def _count(self, kind: str, read: int = 1, written: int = 0) -> None:
        self.summary.read[kind] = self.summary.read.get(kind, 0) + read
        self.summary.written[kind] = self.summary.written.get(kind, 0) + written

    def _parse(self, kind: str, number: int, fields: dict[str, str], sink: _Rejects) -> Any:
        """The general lane's parse: the row, or None when refused (counted and written to the rejects)."""
        try:
            return parse(KINDS[kind], number, fields)
        except RowError as e:
            self._count(kind)
            sink.add(number, fields, e.reason, e.detail)
            return None

    def _optional(
        self, columns: list[str], values: list[list[str]], names: Sequence[str]
    ) -> dict[str, list[Any]] | None:
        """The parsed values of the optional columns ``names`` present, or None when one does not parse."""
        parsed = {}
        for name in names:
            if name in columns:
                column = self._memo(name).column(values[columns.index(name)])
                if _BAD in column:
                    return None
                parsed[name] = column
        return parsed

    def _column_of(self, name: str, values: list[str]) -> tuple[list[Any], Bools]:
        """The parsed values of a column (None where empty; a time as ISO text), and which parse."""
        n = len(values)
        if name == "created_at":
            times = self._times(values)
            ok = ~np.fromiter(map(operator.is_, times, repeat(None)), np.bool_, n)
            return [t or None for t in times], ok
        column = self._memo(name).column(values)
        if _BAD not in column:
            return column, np.ones(n, np.bool_)
        ok = np.fromiter(map(operator.is_not, column, repeat(_BAD)), np.bool_, n)
        return [None if value is _BAD else value for value in column], ok

    def _audience(self, visibility: str, private: bool) -> str:
        key = (visibility, private)
        if key not in self.audience:
            self.audience[key] = effective_audience(visibility, private)
        return self.audience[key]

    # -- relationships between accounts ------------------------------------------------------
    def _pair(self, kind: str, number: int, fields: dict[str, str], sink: _Rejects) -> tuple[str, str, str] | None:
        """The general lane of a pair kind: (a, b, the row's time for the importer) when the row
        parses and both accounts are known; else None (refused)."""
        row = self._parse(kind, number, fields, sink)
        if row is None:
            return None
        assert isinstance(row, PairRow)
        missing = next((uid for uid in (row.a, row.b) if uid not in self.state.index), None)
        if missing is not None:
            self._count(kind)
            sink.add(number, fields, "unknown_account", f"account not found: {missing}")
            return None
        return row.a, row.b, self.now if row.at is None else row.at.isoformat()

    def _pairs(
        self, kind: str, columns: list[str], chunk: Lines | Records, sink: _Rejects
    ) -> Iterator[tuple[int, dict[str, str], str, str, str]]:
        """The rows of a pair kind that parse, with both accounts known: (number, fields, a, b, time)."""
        for number, row_fields in self._rows(chunk, columns):
            known = self._pair(kind, number, row_fields, sink)
            if known is not None:
                yield number, row_fields, *known

    def _read_blocks(self) -> None:
        """The blocks of blocks.csv, read before the follows: a block deletes the follows and
        requests of its pair (rows that cannot be imported are refused later, by ``_blocks``)."""
        path, index = self.source / "blocks.csv", self.state.index
        if not path.is_file() or self._blocks_read:
            return
        self._blocks_read = True
        for _, row_fields in csv_rows(path):
            a, b = row_fields.get("blocker", ""), row_fields.get("blocked", "")
            if a in index and b in index and a != b:
                self.state.directed.add(self.state.code(a, b))
                self.state.blocked.update((self.state.code(a, b), self.state.code(b, a)))

    def _post_table(self) -> _Posts:
        """The posts and accounts as numbers, for the fast lane of interactions (built once: they
        do not change after posts.csv)."""
        if self._posts_table is None:
            self._posts_table = _Posts(self.state)
            self._ids = np.array(list(self.state.index) or [""], object)
        return self._posts_table

    def _check(self, key: int, posts: _Posts) -> bool:
        """The rule's answer for a key of :meth:`_interactions_run`."""
        bits = []
        for _ in range(5):
            key, bit = divmod(key, 2)
            bits.append(bool(bit))
        behind_blocked, ahead_blocked, behind, ahead, is_author = bits
        kind, facts = divmod(key, posts.width)
        word = INTERACTION_KINDS[kind]
        if word == "message":
            return message_allowed(ahead_blocked, behind_blocked, posts.table[facts][0], ahead and behind)
        return check_of_key((word, posts.table[facts], is_author, ahead, behind, ahead_blocked, behind_blocked, False))

    # -- the general lane's facts --------------------------------------------------------------
    def _facts(self, viewer: str, pid: str, post: dict[str, Any]) -> rules.PostFacts:
        state, author = self.state, post["author"]
        owner = state.users[author]
        return rules.PostFacts(
            post=pid,
            author=author,
            visibility=post["visibility"],
            author_private=bool(owner["private"]),
            comment_policy=owner["comment_policy"],
            duet_policy=post.get("duet_policy") or owner["duet_policy"],
            stitch_policy=post.get("stitch_policy") or owner["stitch_policy"],
            viewer=viewer,
            viewer_follows_author=state.code(viewer, author) in state.follows,
            author_follows_viewer=state.code(author, viewer) in state.follows,
            viewer_blocks_author=self._blocks_dir(viewer, author),
            author_blocks_viewer=self._blocks_dir(author, viewer),
        )

    def _blocks_dir(self, a: str, b: str) -> bool:
        return self.state.code(a, b) in self.state.directed

    def _message(self, actor: str, target: str) -> rules.Decision:
        state = self.state
        return rules.message(
            actor,
            target,
            sender_blocks=self._blocks_dir(actor, target),
            recipient_blocks=self._blocks_dir(target, actor),
            dm_policy=state.users[target]["dm_policy"],
            friends=state.code(actor, target) in state.follows and state.code(target, actor) in state.follows,
        )

    # -- the nodes, once every update is known ---------------------------------------------
    def _flush(self) -> None:
        accounts, posts, posted = self.writers["accounts"], self.writers["posts"], self.writers["posted"]
        users, now = self.state.users, self.now
        ids = list(users)
        columns: list[Sequence[str] | str] = [ids]
        columns.append(["true" if u["private"] else "false" for u in users.values()])
        columns.extend([u[name] for u in users.values()] for name in v.POLICY_CHOICES)
        columns.append([u["created_at"] or now for u in users.values()])
        accounts.write_lines(joined(columns, len(ids)), len(ids))
        items = self.state.posts
        pids = list(items)
        authors = [p["author"] for p in items.values()]
        columns = [pids, authors, [p["visibility"] for p in items.values()]]
        columns.append([p["created_at"] or now for p in items.values()])
        columns.extend([p.get(name) or "" for p in items.values()] for name in ("duet_policy", "stitch_policy"))
        posts.write_lines(joined(columns, len(pids)), len(pids))
        posted.write_lines(joined([authors, pids], len(pids)), len(pids))
