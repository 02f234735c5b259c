"""The rules of an offline load: the rows of DIR checked in Python under the rules of the online
import, as if imported in that order (follows by :func:`mutuals.rules.admission.admit`,
interactions by the checks, unless ``checks=False``: restoring an export, whose interactions
were allowed when they were made), and the accepted ones written as the batch importer's input,
with the events the online import would append for them (the same words, in the same order).
A refused row goes to the rejects file as the online import writes it: the file's own columns
with the row's values, then ``_line``, ``_reason``, ``_detail``, ``_raw``.

Two lanes give the same result. The general lane takes a row at a time: :func:`rows.parse
<mutuals.bulk.rows.parse>`, then the decision. The fast lane takes a block of lines split into
columns at once and decides it with whole-column operations (``map`` over lists, numpy over
account numbers), looking values up in tables built once by the general lane's own functions:
each column's parse remembered by value, :func:`admit` over every state of a pair, a check
remembered by the facts without the ids. A row the fast lane does not take (an odd value, an
unknown id...) goes through the general lane, in its place in the file. ``fast=False`` sends every
row through the general lane (tests/test_offline.py compares both on messy files).

One job per module: this one runs the kinds in import order (:class:`Preparer`);
:mod:`.offline_lane` holds what they share, :mod:`.offline_accounts`, :mod:`.offline_pairs` and
:mod:`.offline_interactions` take the rows of their kinds, :mod:`.offline_columns` and
:mod:`.offline_tables` are the fast lane's column helpers and lookup tables, and
:mod:`.offline_readers` the reader processes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Final

from mutuals.bulk.offline_accounts import Accounts
from mutuals.bulk.offline_files import GROUPS, header
from mutuals.bulk.offline_interactions import Interactions
from mutuals.bulk.offline_lane import Tally
from mutuals.bulk.offline_pairs import Pairs
from mutuals.bulk.offline_tables import check_key as check_key
from mutuals.bulk.offline_tables import check_of_key as check_of_key
from mutuals.bulk.offline_tables import message_allowed as message_allowed
from mutuals.bulk.rows import ORDER
from mutuals.bulk.run import _Rejects

EVENT_CHUNK: Final = 10_000  # changes per :Event node of the store


class Preparer(Accounts, Pairs, Interactions):
    """Checks the rows of DIR under the import's rules and writes the batch importer's files."""

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
        event_chunk: int | None = None,
    ) -> None:
        super().__init__(
            source, work, now, rejects, checks=checks, fast=fast, parallel=parallel,
            event_chunk=event_chunk or EVENT_CHUNK,
        )  # fmt: skip

    def run(self) -> Tally:
        steps: dict[str, Callable[[Path, list[str], _Rejects], None]] = {
            "users": self._users,
            "posts": self._posts,
            "follows": self._follows,
            "requests": self._requests,
            "blocks": self._blocks,
            "interactions": self._interactions,
        }
        try:
            for kind in ORDER:
                self._ready(kind)
                path = self.source / f"{kind}.csv"
                if not path.is_file():
                    continue
                columns = header(path, kind)
                rejects_file = self.rejects / f"{kind}.rejects.csv"
                rejects_file.unlink(missing_ok=True)
                sink = _Rejects(rejects_file, "csv", columns)
                try:
                    steps[kind](path, columns, sink)
                finally:
                    sink.close()
                self.summary.rejected[kind] = sum(sink.reasons.values())
                if sink.writer is not None:
                    self.summary.rejects_files[kind] = str(rejects_file)
        finally:
            for reader in self.readers.values():
                reader.close()
        self._flush()
        for w in self.writers.values():
            w.handle.close()
        self.summary.events = self.events.close()
        self.summary.nodes = self.writers["accounts"].rows + self.writers["posts"].rows
        self.summary.relationships = sum(w.rows for n, w in self.writers.items() if GROUPS[n][0] == "relationships")
        return self.summary

    def _ready(self, kind: str) -> None:
        """Before the rows of ``kind``: start each reader as soon as what it reads with is known
        (the accounts for posts and follows, with the blocks for follows; the posts for interactions)."""
        if kind == "users":
            self._start("users", self._read_users)
        elif kind == "posts":
            self._read_blocks()
            self._start("posts", self._read_posts)
            if self._follows_bulk_holds():
                self._start("follows", self._read_follows)
        elif kind == "follows":
            self._post_table()
            self._start("interactions", self._read_interactions)
