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
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import operator
import os
import pickle
import queue
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.bulk.offline_files import (
    EVENT_FILES,
    GROUPS,
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
from mutuals.bulk.rows import (
    KINDS,
    ORDER,
    InteractionRow,
    PairRow,
    PostRow,
    RowError,
    UserRow,
    _bool,
    _policy,
    _time,
    parse,
)
from mutuals.bulk.run import _Rejects
from mutuals.ops.accounts import updated_detail
from mutuals.ops.interactions import BLOCK_RULES, CHECK, PAST
from mutuals.ops.interactions import KINDS as INTERACTION_KINDS
from mutuals.rules.admission import Admission, Pair, admit
from mutuals.rules.visibility import effective_audience

EVENT_CHUNK: Final = 10_000  # changes per :Event node of the store
_BAD: Final = object()  # a value whose parse fails: the row takes the general lane
_MISS: Final = object()  # a value not parsed yet
_IDS: Final = re.compile(f"(?:{v.ID_PATTERN}\n)*")  # ids, each ended by a newline
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


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


def _member(reference: Ints, queries: Ints, ordered: bool = False) -> Bools:
    """Whether each query is in the sorted ``reference``: queries in sorted order when both are
    large (a binary search then walks the reference in one direction: far fewer cache misses);
    ``ordered``: they are sorted already."""
    found: Bools = np.zeros(len(queries), np.bool_)
    if not len(reference) or not len(queries):
        return found
    if not ordered and len(reference) > 1 << 16 and len(queries) > 1 << 10:
        order = np.argsort(queries)
        found[order] = _member(reference, queries[order], ordered=True)
        return found
    at = np.minimum(np.searchsorted(reference, queries), len(reference) - 1)
    return reference[at] == queries  # type: ignore[no-any-return]


class Follows:
    """The follows written so far, as pair codes (``a << 32 | b`` of the account numbers): sorted
    runs, which the fast lane adds (a run merged with the one before it once it is as long, so
    there are few runs and an addition seldom copies much), and a set, which single rows add."""

    def __init__(self) -> None:
        self.runs: list[Ints] = []
        self.single: set[int] = set()

    def __contains__(self, code: int) -> bool:
        if code in self.single:
            return True
        for run in self.runs:
            at = int(np.searchsorted(run, code))
            if at < len(run) and int(run[at]) == code:
                return True
        return False

    def add(self, code: int) -> None:
        self.single.add(code)

    def contains(self, codes: Ints) -> Bools:
        """Whether each code is a follow."""
        if self.single:
            self.extend(np.fromiter(self.single, np.int64, len(self.single)))
            self.single = set()
        found: Bools = np.zeros(len(codes), np.bool_)
        if self.runs and len(codes):
            order = np.argsort(codes)  # searched in order: each search walks a run one way
            ordered = codes[order]
            for run in self.runs:
                found[order] |= _member(run, ordered, ordered=True)
        return found

    def extend(self, codes: Ints) -> None:
        """Add codes not held yet (distinct)."""
        self.runs.append(np.sort(codes))
        while len(self.runs) > 1 and len(self.runs[-2]) <= len(self.runs[-1]):
            last = self.runs.pop()
            self.runs[-1] = np.insert(self.runs[-1], np.searchsorted(self.runs[-1], last), last)


class _State:
    """What the rules need, as the rows are taken in import order (accounts as small ints)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.follows = Follows()
        self.requests: set[int] = set()
        self.blocked: set[int] = set()  # both directions of every block
        self.directed: set[int] = set()  # blocker -> blocked

    def code(self, a: str, b: str) -> int:
        return self.index[a] << 32 | self.index[b]


class _Memo:
    """A parse of one column's value, remembered by value (at most ``size`` values): the parsed
    value, or ``_BAD`` when the parse refuses it (the row then takes the general lane, which
    says why)."""

    def __init__(self, convert: Callable[[str], Any], size: int = 200_000) -> None:
        self.convert, self.size = convert, size
        self.known: dict[str, Any] = {}

    def __call__(self, value: str) -> Any:
        found = self.known.get(value, _MISS)
        if found is not _MISS:
            return found
        try:
            out = self.convert(value)
        except RowError:
            out = _BAD
        if len(self.known) < self.size:
            self.known[value] = out
        return out

    def column(self, values: list[str]) -> list[Any]:
        """The parse of every value of a column."""
        out = list(map(self.known.get, values, repeat(_MISS)))
        if _MISS in out:
            for i in _where(out, _MISS):
                out[i] = self(values[i])
        return out


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


class _Failure:
    """An exception of the reader process, for the process it reads for."""

    def __init__(self, error: BaseException) -> None:
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
        self.error = error


def _reader(path: Path, columns: list[str], read: Callable[[Lines | Records, list[str]], Any], out: Any) -> None:
    """The reader process: each chunk of ``path`` and what ``read`` makes of it, then None."""
    try:
        for chunk in chunks(path, columns):
            out.put((chunk, read(chunk, columns)))
        out.put(None)
    except BaseException as e:
        out.put(_Failure(e))
    finally:
        out.close()
        out.join_thread()


class _Ahead:
    """A reader process (forked when made) and the chunks it reads, two ahead at most."""

    def __init__(self, path: Path, columns: list[str], read: Callable[[Lines | Records, list[str]], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self.path = path
        self.results: Any = context.Queue(maxsize=2)
        self.process = context.Process(target=_reader, args=(path, columns, read, self.results), daemon=True)
        self.process.start()

    def __iter__(self) -> Iterator[tuple[Lines | Records, Any]]:
        try:
            while True:
                try:
                    item = self.results.get(timeout=1.0)
                except queue.Empty:
                    if not self.process.is_alive():
                        raise RuntimeError(
                            f"the reader of {self.path.name} stopped (exit code {self.process.exitcode})"
                        ) from None
                    continue
                if item is None:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
        finally:
            self.close()

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.results.close()


def _where(values: list[Any], mark: object) -> list[int]:
    """The positions of ``mark`` in ``values``."""
    return np.flatnonzero(np.fromiter(map(operator.is_, values, repeat(mark)), np.bool_, len(values))).tolist()


def _column(name: str) -> Callable[[str], Any]:
    """The parse of one optional column of users.csv or posts.csv, as :mod:`.rows` does it."""
    if name == "private":
        return lambda value: _bool({name: value}, name)
    if name == "created_at":
        return lambda value: _time({name: value}, name)
    choices = v.MEDIA_POLICIES if name in ("duet_policy", "stitch_policy") else v.POLICY_CHOICES[name]
    return lambda value: _policy({name: value}, name, choices)


def _idents(ids: list[str]) -> bool:
    """Whether every value is an id (:func:`mutuals.base.validate.is_ident`)."""
    return _IDS.fullmatch("\n".join(ids) + "\n") is not None and v.LOGGED_OUT not in ids


# The fast lane remembers a permission check by the facts without the ids: the rules read an id
# only to say who (in the reasons) and whether the viewer is the author. A new fact must be
# added to the key (tests/test_offline.py checks the key against the rules on every state).
_FACTS: Final = frozenset(f.name for f in dataclasses.fields(rules.PostFacts))
_KEYED: Final = frozenset(
    {
        "post",
        "author",
        "viewer",
        "visibility",
        "author_private",
        "comment_policy",
        "duet_policy",
        "stitch_policy",
        "viewer_follows_author",
        "author_follows_viewer",
        "viewer_blocks_author",
        "author_blocks_viewer",
        "viewer_close_friend",
    }
)
if _FACTS != _KEYED:
    raise RuntimeError(f"PostFacts changed ({sorted(_FACTS ^ _KEYED)}): update check_key of the offline preparation")


def check_key(kind: str, f: rules.PostFacts) -> tuple[Any, ...]:
    """What the check of an interaction of ``kind`` depends on: the facts but the ids (and whether
    the viewer is the author)."""
    return (
        kind,
        (f.visibility, f.author_private, f.comment_policy, f.duet_policy, f.stitch_policy),
        f.viewer == f.author,
        f.viewer_follows_author,
        f.author_follows_viewer,
        f.viewer_blocks_author,
        f.author_blocks_viewer,
        f.viewer_close_friend,
    )


def check_of_key(key: tuple[Any, ...]) -> bool:
    """The check of :func:`check_key`'s facts, with stand-in ids: whether it allows."""
    kind, post, is_author, follows, back, blocks, blocked, close = key
    visibility, private, comment, duet, stitch = post
    facts = rules.PostFacts(
        post="p",
        author="a",
        visibility=visibility,
        author_private=private,
        comment_policy=comment,
        duet_policy=duet,
        stitch_policy=stitch,
        viewer="a" if is_author else "v",
        viewer_follows_author=follows,
        author_follows_viewer=back,
        viewer_blocks_author=blocks,
        author_blocks_viewer=blocked,
        viewer_close_friend=close,
    )
    return CHECK[kind](facts).allowed


def message_allowed(sender_blocks: bool, recipient_blocks: bool, dm_policy: str, friends: bool) -> bool:
    """:func:`mutuals.rules.message` of two distinct accounts, with stand-in ids."""
    return rules.message(
        "s", "r", sender_blocks=sender_blocks, recipient_blocks=recipient_blocks, dm_policy=dm_policy, friends=friends
    ).allowed


def _admissions() -> dict[tuple[bool, ...], Admission]:
    """:func:`admit` of an imported follow, for every state of the pair (stand-in ids):
    (b_private, a_follows_b, b_follows_a, a_requested_b, a_blocks_b, b_blocks_a) -> decision."""
    table: dict[tuple[bool, ...], Admission] = {}
    for n in range(64):
        flags = tuple(bool(n >> k & 1) for k in range(6))
        private, follows, back, requested, blocks, blocked = flags
        table[flags] = admit(
            Pair("a", "b", b_private=private, a_follows_b=follows, b_follows_a=back, a_requested_b=requested,
                 a_blocks_b=blocks, b_blocks_a=blocked),
            approved=True,
        )  # fmt: skip
    return table


def _parses(ids: list[str], oks: list[Bools]) -> Bools:
    """Rows whose id is valid and whose other values parse (``oks``: by column)."""
    n = len(ids)
    ok: Bools = np.ones(n, np.bool_) if _idents(ids) else np.fromiter(map(v.is_ident, ids), np.bool_, n)
    for column in oks:
        ok &= column
    return ok


def _first(keys: list[str], among: Bools) -> Bools:
    """Rows ``among`` whose key is not in an earlier row ``among``."""
    rows = np.flatnonzero(among).tolist()
    chosen = [keys[i] for i in rows]
    first = dict(zip(reversed(chosen), reversed(rows), strict=True))
    out: Bools = np.zeros(len(keys), np.bool_)
    out[list(first.values())] = True
    return out


def _merge(
    changes: _Out,
    rows: list[int],
    types: list[str],
    actors: list[str],
    subjects: list[str] | None,
    posts: list[str] | None,
    details: list[str],
    general: _Out,
) -> None:
    """Add to ``changes`` the changes of the fast lane's rows and those of the general lane's
    (``general.places``: the row of each change), in the order of the rows."""
    n = len(rows)
    columns = [types, actors, subjects or [""] * n, posts or [""] * n, details]
    others = [general.types, general.actors, general.subjects or [""] * len(general.types),
              general.posts or [""] * len(general.types), general.details]  # fmt: skip
    if general.types:
        order = np.argsort(np.array(rows + general.places, np.int64), kind="stable").tolist()
        columns = [[(mine + theirs)[k] for k in order] for mine, theirs in zip(columns, others, strict=True)]
    for target, column in zip(
        (changes.types, changes.actors, changes.subjects, changes.posts, changes.details), columns, strict=True
    ):
        target.extend(column)


def _taken(values: Sequence[str], rows: Ints, n: int) -> Sequence[str]:
    """``values`` at ``rows`` (all of them when ``rows`` is every row)."""
    if len(rows) == n:
        return values
    return [values[i] for i in rows.tolist()]


@dataclass
class _Out:
    """What one chunk of rows gives: the importer's rows, counts, and the changes, in order."""

    rows: list[str] = field(default_factory=list)
    post_rows: list[str] = field(default_factory=list)
    read: int = 0
    written: int = 0
    messages: int = 0
    types: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    places: list[int] = field(default_factory=list)  # the row of each change (the general lane's, in a fast chunk)


class Preparer:
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
        self.events = EventsWriter(work, self.now, event_chunk or EVENT_CHUNK)
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

    # -- accounts ----------------------------------------------------------------------------
    def _users(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        for chunk, read in self._read("users", path, columns, self._read_users):
            changes = _Out()
            if read is None:
                for number, row_fields in self._rows(chunk, columns):
                    self._user(number, row_fields, sink, changes)
            else:
                assert isinstance(chunk, Lines)
                self._users_chunk(chunk, columns, read, sink, changes)
            self.events.extend(changes.types, changes.actors, details=changes.details)

    def _read_users(self, chunk: Lines | Records, columns: list[str]) -> dict[str, Any] | None:
        """What the fast lane reads of a chunk of users.csv (in a reader process): the ids, the
        parsed values of the other columns (a time as ISO text), and which rows parse."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            return None
        ids = values[columns.index("id")]
        names = [name for name in ("private", *v.POLICY_CHOICES, "created_at") if name in columns]
        parsed = [self._column_of(name, values[columns.index(name)]) for name in names]
        ok = _parses(ids, [column_ok for _, column_ok in parsed])
        return {"ids": ids, "ok": ok, "parsed": {name: column for name, (column, _) in zip(names, parsed, strict=True)}}

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

    def _users_chunk(
        self, chunk: Lines, columns: list[str], read: dict[str, Any], sink: _Rejects, changes: _Out
    ) -> None:
        """The fast lane: the first row of each new account whose values all parse creates it
        from them; any other row (a repeat, an odd value: none of them creates an account)
        through the general lane, after them, its change in its place."""
        users, index = self.state.users, self.state.index
        ids, parsed = read["ids"], read["parsed"]
        n = len(ids)
        simple = read["ok"] & ~np.fromiter(map(users.__contains__, ids), np.bool_, n)
        simple &= _first(ids, simple)
        rows = np.flatnonzero(simple).tolist()
        taken = np.array(rows, np.int64)
        created = _taken(ids, taken, n)
        made = [{"private": False, **v.DEFAULT_POLICIES, "created_at": None} for _ in rows]
        for name, column in parsed.items():
            for settings, value in zip(made, _taken(column, taken, n), strict=True):
                if value is not None:
                    settings[name] = value
        users.update(zip(created, made, strict=True))
        index.update(zip(created, range(len(index), len(index) + len(rows)), strict=True))
        self._count("users", len(rows), len(rows))
        general = _Out()
        for i in np.flatnonzero(~simple).tolist():
            before = len(general.types)
            self._user(chunk.number(i), chunk.fields(i, columns), sink, general)
            general.places.extend([i] * (len(general.types) - before))
        _merge(changes, rows, ["account_created"] * len(rows), list(created), None, None, [""] * len(rows), general)

    def _user(self, number: int, row_fields: dict[str, str], sink: _Rejects, changes: _Out) -> None:
        """The general lane: one account row."""
        state = self.state
        r = self._parse("users", number, row_fields, sink)
        if r is None:
            return
        assert isinstance(r, UserRow)
        wanted: dict[str, Any] = dict(r.policies)
        if r.private is not None:
            wanted["private"] = r.private
        current = state.users.get(r.id)
        if current is None:
            state.index[r.id] = len(state.index)
            state.users[r.id] = {"private": False, **v.DEFAULT_POLICIES, **wanted, "created_at": _iso(r.created_at)}
            self._count("users", 1, 1)
            changes.types.append("account_created")
            changes.actors.append(r.id)
            changes.details.append("")
            return
        changed = {k: value for k, value in wanted.items() if current[k] != value}
        current.update(wanted)
        self._count("users", 1, int(bool(changed)))
        if changed:
            changes.types.append("account_updated")
            changes.actors.append(r.id)
            changes.details.append(updated_detail(changed))

    # -- posts -------------------------------------------------------------------------------
    def _posts(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        for chunk, read in self._read("posts", path, columns, self._read_posts):
            changes = _Out()
            if read is None:
                for number, row_fields in self._rows(chunk, columns):
                    self._post(number, row_fields, sink, changes)
            else:
                assert isinstance(chunk, Lines)
                self._posts_chunk(chunk, columns, read, sink, changes)
            self.events.extend(changes.types, changes.actors, posts=changes.posts, details=changes.details)

    def _read_posts(self, chunk: Lines | Records, columns: list[str]) -> dict[str, Any] | None:
        """What the fast lane reads of a chunk of posts.csv (in a reader process): the ids, authors
        and visibilities, the parsed values of the other columns (a time as ISO text), and which
        rows parse with a known author."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            return None
        pids, authors, visibilities = (values[columns.index(name)] for name in ("id", "author", "visibility"))
        n = len(pids)
        names = [name for name in ("created_at", "duet_policy", "stitch_policy") if name in columns]
        parsed = [self._column_of(name, values[columns.index(name)]) for name in names]
        ok = _parses(pids, [column_ok for _, column_ok in parsed])
        ok &= np.fromiter(map(self.state.users.__contains__, authors), np.bool_, n)
        ok &= np.fromiter(map(set(v.VISIBILITIES).__contains__, visibilities), np.bool_, n)
        return {"ids": pids, "authors": authors, "visibilities": visibilities, "ok": ok,
                "parsed": {name: column for name, (column, _) in zip(names, parsed, strict=True)}}  # fmt: skip

    def _posts_chunk(
        self, chunk: Lines, columns: list[str], read: dict[str, Any], sink: _Rejects, changes: _Out
    ) -> None:
        """The fast lane: the first row of each new post of a known account whose values all
        parse creates it from them; any other row (a repeat, an odd value: none of them creates a
        post) through the general lane, after them, its change in its place."""
        state = self.state
        users, posts = state.users, state.posts
        pids, authors, visibilities, given = read["ids"], read["authors"], read["visibilities"], read["parsed"]
        n = len(pids)
        simple = read["ok"] & ~np.fromiter(map(posts.__contains__, pids), np.bool_, n)
        simple &= _first(pids, simple)
        rows = np.flatnonzero(simple).tolist()
        taken = np.array(rows, np.int64)
        by, ids, seen = _taken(authors, taken, n), _taken(pids, taken, n), _taken(visibilities, taken, n)
        created = _taken(given["created_at"], taken, n) if "created_at" in given else repeat(None)
        made = [{"author": a, "created_at": c, "visibility": w} for a, c, w in zip(by, created, seen, strict=False)]
        for name in ("duet_policy", "stitch_policy"):
            for post, value in zip(made, _taken(given.get(name, ()), taken, n) if name in given else (), strict=False):
                if value is not None:
                    post[name] = value
        posts.update(zip(ids, made, strict=True))
        audience = {(w, p): self._audience(w, p) for w in v.VISIBILITIES for p in (False, True)}
        words = list(map(audience.__getitem__, zip(seen, (bool(users[a]["private"]) for a in by), strict=True)))
        self._count("posts", len(rows), len(rows))
        general = _Out()
        for i in np.flatnonzero(~simple).tolist():
            before = len(general.types)
            self._post(chunk.number(i), chunk.fields(i, columns), sink, general)
            general.places.extend([i] * (len(general.types) - before))
        _merge(changes, rows, ["post_created"] * len(rows), list(by), None, list(ids), words, general)

    def _post(self, number: int, row_fields: dict[str, str], sink: _Rejects, changes: _Out) -> None:
        """The general lane: one post row."""
        state = self.state
        r = self._parse("posts", number, row_fields, sink)
        if r is None:
            return
        assert isinstance(r, PostRow)
        current = state.posts.get(r.id)
        if r.author not in state.users:
            self._count("posts")
            sink.add(number, row_fields, "unknown_account", f"account not found: {r.author}")
            return
        if current is not None and current["author"] != r.author:
            self._count("posts")
            sink.add(number, row_fields, "post_conflict", f"post {r.id} exists, by {current['author']}")
            return
        given: dict[str, Any] = {"visibility": r.visibility}
        for name in ("duet_policy", "stitch_policy"):
            if getattr(r, name) is not None:
                given[name] = getattr(r, name)
        if current is None:
            state.posts[r.id] = {"author": r.author, "created_at": _iso(r.created_at), **given}
            self._count("posts", 1, 1)
            changes.types.append("post_created")
        else:  # as the online import: written when a value changes, unchanged otherwise
            changed = {k: value for k, value in given.items() if current.get(k) != value}
            moved = r.created_at is not None and current["created_at"] != _iso(r.created_at)
            current.update(given)
            if moved:
                current["created_at"] = _iso(r.created_at)
            self._count("posts", 1, int(bool(changed or moved)))
            if "visibility" not in changed:
                return
            changes.types.append("visibility_changed")
        changes.actors.append(r.author)
        changes.posts.append(r.id)
        changes.details.append(self._audience(r.visibility, bool(state.users[r.author]["private"])))

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

    def _follows(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        self._read_blocks()
        bulk = self._follows_bulk_holds() and not self.state.requests
        users = self.state.users
        self._private = np.fromiter((users[uid]["private"] for uid in self.state.index), np.bool_, len(users))
        self._ids = np.array(list(self.state.index) or [""], object)
        # the outcome of a written follow, by (b_private, b_follows_a)
        self._follow_words = np.array(
            [self.admissions[(bool(p), False, bool(b), False, False, False)].outcome for p in (0, 1) for b in (0, 1)],
            dtype=object,
        )
        for chunk, read in self._read("follows", path, columns, self._read_follows if bulk else None):
            out = _Out()
            if read is not None and bulk:
                assert isinstance(chunk, Lines)
                self._follows_run(chunk, columns, read, sink, out)
            else:
                for number, row_fields, a, b, at in self._pairs("follows", columns, chunk, sink):
                    self._follow(number, row_fields, a, b, at, sink, out)
            self.writers["follows"].write_lines("".join(out.rows), out.written)
            self._count("follows", out.read, out.written)
            self.events.extend(out.types, out.actors, out.subjects)

    def _follows_bulk_holds(self) -> bool:
        """Whether :func:`admit` decides the rows of a chunk the way the fast lane does: across a
        block, refused whatever else; else a pair followed already is unchanged; else written,
        ``became_friends`` or ``followed`` by whether the reverse pair is followed."""
        table = self.admissions
        for private, follows, back, blocks, blocked in np.ndindex(2, 2, 2, 2, 2):
            d = table[(bool(private), bool(follows), bool(back), False, bool(blocks), bool(blocked))]
            if blocks or blocked:
                if not d.refused:
                    return False
            elif follows:
                if d.refused or d.writes_follow:
                    return False
            elif not d.writes_follow or d.consumes_request:
                return False
        return True

    def _read_follows(self, chunk: Lines | Records, columns: list[str]) -> dict[str, Any] | None:
        """What the fast lane reads of a chunk of follows (in the reader process): each row's
        account numbers, pair code (``a << 32 | b``) and its reverse, time for the importer, and
        whether it is odd (an unknown or repeated account, a time that does not parse: the
        general lane refuses it) or across a block. None: the general lane takes the chunk."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            return None
        state = self.state
        first, second, at_name = KINDS["follows"].columns
        a_ids, b_ids = values[columns.index(first)], values[columns.index(second)]
        n = len(a_ids)
        x = np.fromiter(map(state.index.get, a_ids, repeat(-1)), np.int64, n)
        y = np.fromiter(map(state.index.get, b_ids, repeat(-1)), np.int64, n)
        odd = (x < 0) | (y < 0) | (x == y)
        times = None
        if at_name in columns:
            times = self._times(values[columns.index(at_name)])
            odd |= np.fromiter(map(operator.is_, times, repeat(None)), np.bool_, n)
        code, back = x << 32 | y, y << 32 | x
        blocked = ~odd & _member(np.sort(np.fromiter(state.blocked, np.int64, len(state.blocked))), code)
        return {"y": y, "code": code, "back": back, "times": times, "odd": odd, "blocked": blocked}

    def _follows_run(self, chunk: Lines, columns: list[str], read: dict[str, Any], sink: _Rejects, out: _Out) -> None:
        """The fast lane of a chunk of follows: the rows of two known, distinct accounts and a time
        that parses, decided at once (numpy over pair codes); the others, all refused, through the
        general lane, and the refusals written in the order of the file."""
        state, follows = self.state, self.state.follows
        y, code, back_code, times, odd, blocked = (read[k] for k in ("y", "code", "back", "times", "odd", "blocked"))
        n = len(code)
        live = np.flatnonzero(~odd & ~blocked)
        if len(live):
            codes, backs = code[live], back_code[live]
            position = np.arange(len(live))
            # the first row of each pair; a later row of it, or of a pair followed before, changes nothing
            order = np.argsort(codes, kind="stable")
            ordered = codes[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            unique, first_row = ordered[starts], order[starts]
            again = (first_row[np.searchsorted(unique, codes)] != position) | follows.contains(codes)
            # b follows a before this row: before the chunk, or in an earlier row of it
            at = np.minimum(np.searchsorted(unique, backs), len(unique) - 1)
            back = follows.contains(backs) | ((unique[at] == backs) & (first_row[at] < position))
            rows = live[~again]
            words = self._follow_words[self._private[y[rows]] * 2 + back[~again]].tolist()
            follows.extend(codes[~again])
            k = len(rows)
            written = code[rows]
            a_written, b_written = self._ids[written >> 32].tolist(), self._ids[written & 0xFFFFFFFF].tolist()
            when = self.now if times is None else [t or self.now for t in _taken(times, rows, n)]
            out.rows.append(joined([a_written, b_written, a_written, b_written, when], k))
            out.types.extend(words)
            out.actors.extend(a_written)
            out.subjects.extend(b_written)
            out.written += k
        out.read += n - int(odd.sum())  # the odd rows are counted by the general lane
        for i in np.flatnonzero(odd | blocked).tolist():
            number, row_fields = chunk.number(i), chunk.fields(i, columns)
            if odd[i]:
                known = self._pair("follows", number, row_fields, sink)
                assert known is None, "a row the fast lane leaves is refused"
                continue
            a, b = self._ids[code[i] >> 32], self._ids[code[i] & 0xFFFFFFFF]
            decision = admit(
                Pair(a, b, b_private=bool(self._private[y[i]]), a_blocks_b=int(code[i]) in state.directed,
                     b_blocks_a=int(back_code[i]) in state.directed),
                approved=True,
            )  # fmt: skip
            sink.add(number, row_fields, decision.reason, decision.detail)

    def _follow(
        self, number: int, row_fields: dict[str, str], a: str, b: str, at: str, sink: _Rejects, out: _Out
    ) -> None:
        """The general lane: one follow of two known, distinct accounts, as :func:`admit` decides it."""
        state = self.state
        c, back = state.code(a, b), state.code(b, a)
        decision = admit(
            Pair(a, b, b_private=bool(state.users[b]["private"]), a_follows_b=c in state.follows,
                 b_follows_a=back in state.follows, a_requested_b=c in state.requests, a_blocks_b=c in state.directed,
                 b_blocks_a=back in state.directed),
            approved=True,
        )  # fmt: skip
        out.read += 1
        if decision.refused:
            sink.add(number, row_fields, decision.reason, decision.detail)
        elif decision.writes_follow:
            state.follows.add(c)
            if decision.consumes_request:
                state.requests.discard(c)
            out.rows.append(f"{a},{b},{a},{b},{at}\n")
            out.written += 1
            out.types.append(decision.outcome)
            out.actors.append(a)
            out.subjects.append(b)

    def _requests(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        state = self.state
        for chunk, _ in self._chunks(path, columns):
            out = _Out()
            for number, row_fields, a, b, at in self._pairs("requests", columns, chunk, sink):
                c = state.code(a, b)
                out.read += 1
                if not state.users[b]["private"]:
                    reason, detail = "target_public", f"{b} is public: a request to a public account would be a follow"
                elif c in state.blocked:
                    blocker, blocked = (b, a) if state.code(b, a) in state.directed else (a, b)
                    reason, detail = "blocked_pair", f"{blocker} has blocked {blocked}"
                elif c in state.follows:
                    reason, detail = "already_following", f"{a} already follows {b}"
                elif c in state.requests:
                    continue
                else:
                    state.requests.add(c)
                    out.rows.append(f"{a},{b},{a},{b},{at}\n")
                    out.written += 1
                    out.types.append("requested")
                    out.actors.append(a)
                    out.subjects.append(b)
                    continue
                sink.add(number, row_fields, reason, detail)
            self.writers["requests"].write_lines("".join(out.rows), out.written)
            self._count("requests", out.read, out.written)
            self.events.extend(out.types, out.actors, out.subjects)

    def _blocks(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        seen: set[int] = set()
        for chunk, _ in self._chunks(path, columns):
            out = _Out()
            for _, _, a, b, at in self._pairs("blocks", columns, chunk, sink):
                c = self.state.code(a, b)
                out.read += 1
                if c in seen:
                    continue
                seen.add(c)
                out.rows.append(f"{a},{b},{a},{b},{at}\n")
                out.written += 1
                out.types.append("blocked")
                out.actors.append(a)
                out.subjects.append(b)
                # no friendship_ended: a follow across a block of blocks.csv was refused, so the
                # pair were never friends in this load (the online import writes it, then unlinks)
                assert not (c in self.state.follows and self.state.code(b, a) in self.state.follows)
            self.writers["blocks"].write_lines("".join(out.rows), out.written)
            self._count("blocks", out.read, out.written)
            self.events.extend(out.types, out.actors, out.subjects)

    # -- interactions -------------------------------------------------------------------------
    def _interactions(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        seen: set[tuple[int, int, int, str | None]] = set()
        self._post_table()  # before the reader starts: it reads with it
        for chunk, read in self._read("interactions", path, columns, self._read_interactions):
            out = _Out()
            if read is not None:
                assert isinstance(chunk, Lines)
                self._interactions_run(chunk, columns, read, seen, sink, out)
            else:
                for number, row_fields in self._rows(chunk, columns):
                    self._interaction(number, row_fields, seen, sink, out)
            self.writers["post_interactions"].write_lines("".join(out.post_rows), out.written)
            self.writers["messages"].write_lines("".join(out.rows), out.messages)
            self._count("interactions", out.read, out.written + out.messages)
            self.events.extend(out.types, out.actors, out.subjects, out.posts)

    def _key(self, kind: str, actor: str, target: str, at: str | None) -> tuple[int, int, int, str | None] | None:
        """What makes an interaction the same as another (numbers: kind, actor, target post or
        account; the time but for a like), or None when an id is unknown (it cannot be written)."""
        posts = self._post_table()
        x = self.state.index.get(actor, -1)
        t = (self.state.index if kind == "message" else posts.number).get(target, -1)
        if x < 0 or t < 0:
            return None
        return _KIND_NUMBER[kind], x, t, None if kind == "like" else at

    def _interaction(
        self,
        number: int,
        row_fields: dict[str, str],
        seen: set[tuple[int, int, int, str | None]],
        sink: _Rejects,
        out: _Out,
    ) -> None:
        """The general lane: one interaction, checked unless ``checks`` is off."""
        state = self.state
        r = self._parse("interactions", number, row_fields, sink)
        if r is None:
            return
        assert isinstance(r, InteractionRow)
        at = None if r.at is None else r.at.isoformat()
        key = self._key(r.kind, r.actor, r.target, at)
        out.read += 1
        if key in seen:
            return
        at = at or self.now
        if r.actor not in state.users:
            reason, detail = "unknown_account", f"account not found: {r.actor}"
        elif r.kind == "message":
            decision = self._message(r.actor, r.target) if r.target in state.users else None
            if decision is None:
                reason, detail = "unknown_account", f"account not found: {r.target}"
            elif not self.checks or decision.allowed:
                assert key is not None
                seen.add(key)
                out.rows.append(f"{r.actor},{r.target},message,{r.actor},{r.target},{at}\n")
                out.messages += 1
                out.types.append("messaged")
                out.actors.append(r.actor)
                out.subjects.append(r.target)
                out.posts.append("")
                return
            else:
                reason, detail = _refusal(r.kind, decision)
        elif r.target not in state.posts:
            reason, detail = "unknown_post", f"post not found: {r.target}"
        else:
            post = state.posts[r.target]
            decision = CHECK[r.kind](self._facts(r.actor, r.target, post))
            if not self.checks or decision.allowed:
                assert key is not None
                seen.add(key)
                author = post["author"]
                out.post_rows.append(f"{r.actor},{r.target},{r.kind},{r.actor},{author},{r.target},{at}\n")
                out.written += 1
                out.types.append(PAST[r.kind])
                out.actors.append(r.actor)
                out.subjects.append(author)
                out.posts.append(r.target)
                return
            reason, detail = _refusal(r.kind, decision)
        sink.add(number, row_fields, reason, detail)

    def _read_interactions(self, chunk: Lines | Records, columns: list[str]) -> dict[str, Any] | None:
        """What the fast lane reads of a chunk of interactions (in the reader process): each row's
        kind, actor, target (a post's or an account's number), the other party (the author or the
        recipient), the facts of its check but the pair's, time for the importer, and whether it
        is odd (an unknown kind or id, a message to oneself, a missing time or one that does not
        parse: the general lane refuses it). None: the general lane takes the chunk."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            return None
        state, posts = self.state, self._post_table()
        kinds, actors, targets = (values[columns.index(name)] for name in ("kind", "actor", "target"))
        n = len(kinds)
        times = self._times(values[columns.index("at")]) if "at" in columns else [""] * n
        kind = np.fromiter(map(_KIND_NUMBER.get, kinds, repeat(-1)), np.int64, n)
        x = np.fromiter(map(state.index.get, actors, repeat(-1)), np.int64, n)
        message, like = kind == _KIND_NUMBER["message"], kind == _KIND_NUMBER["like"]
        post = np.fromiter(map(posts.number.get, targets, repeat(-1)), np.int64, n)
        account = np.full(n, -1, np.int64)
        to = np.flatnonzero(message)
        account[to] = np.fromiter(map(state.index.get, _taken(targets, to, n), repeat(-1)), np.int64, len(to))
        timed = np.fromiter(map(operator.is_not, times, repeat("")), np.bool_, n)
        bad = np.fromiter(map(operator.is_, times, repeat(None)), np.bool_, n)
        known = np.where(message, (account >= 0) & (account != x), post >= 0)
        odd = (kind < 0) | (x < 0) | bad | ~(timed | like) | ~known
        post, account = np.where(odd | message, 0, post), np.where(odd | ~message, 0, account)
        y = np.where(message, account, posts.author[post])
        facts = np.where(message, posts.dm[account], posts.facts[post])
        target = np.where(message, account, post)
        return {"kind": kind, "x": x, "y": y, "target": target, "facts": facts, "times": times, "odd": odd}

    def _interactions_run(
        self,
        chunk: Lines,
        columns: list[str],
        read: dict[str, Any],
        seen: set[tuple[int, int, int, str | None]],
        sink: _Rejects,
        out: _Out,
    ) -> None:
        """The fast lane of a chunk of interactions: rows of a known kind, actor and target, and a
        time that parses (or a like without one), checked at once by their facts without the ids
        (the rule asked once per distinct key); the others, all refused, through the general lane,
        and the refusals written in the order of the file."""
        state, posts = self.state, self._post_table()
        kind, x, y, target, facts, times, odd = (read[k] for k in ("kind", "x", "y", "target", "facts", "times", "odd"))
        n = len(kind)
        message, like = kind == _KIND_NUMBER["message"], kind == _KIND_NUMBER["like"]
        ahead, behind = x << 32 | y, y << 32 | x
        directed = np.sort(np.fromiter(state.directed, np.int64, len(state.directed)))
        flags = (state.follows.contains(ahead), state.follows.contains(behind), _member(directed, ahead),
                 _member(directed, behind))  # fmt: skip
        allowed: Bools = np.ones(n, np.bool_)
        if self.checks:  # the rule, once per distinct key (the facts without the ids)
            key = kind * posts.width + facts
            for part in (x == y, *flags):
                key = key * 2 + part
            distinct, where = np.unique(np.where(odd, -1, key), return_inverse=True)
            answers = [k >= 0 and self._check(k, posts) for k in distinct.tolist()]
            allowed = np.array(answers, np.bool_)[where.reshape(-1)]
        # a row whose key (kind, actor, target, time but for a like) was written before changes
        # nothing; a refused one is refused again
        rows = np.flatnonzero(~odd)
        when = np.array(times, object)
        key_times = when[rows]
        key_times[like[rows]] = None  # a like is the same like at any time
        keys = list(zip(kind[rows].tolist(), x[rows].tolist(), target[rows].tolist(), key_times.tolist(), strict=True))
        places = rows.tolist()
        first = dict(zip(reversed(keys), reversed(places), strict=True))
        again = np.zeros(n, np.bool_)
        again[rows] = np.fromiter(map(operator.ne, map(first.__getitem__, keys), places), np.bool_, len(rows))
        again[rows] |= np.fromiter(map(seen.__contains__, keys), np.bool_, len(rows))
        taken = ~odd & allowed & ~again
        seen.update(key for key, take in zip(keys, taken[rows].tolist(), strict=True) if take)
        written = np.flatnonzero(taken)
        out.read += len(rows)  # the odd rows are counted by the general lane
        # the rows written, and their changes in the order of the file
        when[when == ""] = self.now
        actor = self._ids[x[written]]
        other = self._ids[y[written]]
        on_post = ~message[written]
        target_id = np.where(on_post, posts.pids[np.where(on_post, target[written], 0)], other)
        out.types.extend(_PAST[kind[written]].tolist())
        out.actors.extend(actor.tolist())
        out.subjects.extend(other.tolist())
        out.posts.extend(np.where(on_post, target_id, "").tolist())
        if on_post.any():
            a, t, by = actor[on_post].tolist(), target_id[on_post].tolist(), other[on_post].tolist()
            words = _KINDS[kind[written][on_post]].tolist()
            out.post_rows.append(joined([a, t, words, a, by, t, when[written[on_post]].tolist()], len(a)))
            out.written += len(a)
        if (~on_post).any():
            a, t = actor[~on_post].tolist(), other[~on_post].tolist()
            out.rows.append(joined([a, t, "message", a, t, when[written[~on_post]].tolist()], len(a)))
            out.messages += len(a)
        for i in np.flatnonzero(odd | ~allowed).tolist():
            number, row_fields = chunk.number(i), chunk.fields(i, columns)
            if odd[i]:
                before = out.written + out.messages
                self._interaction(number, row_fields, seen, sink, out)
                assert out.written + out.messages == before, "a row the fast lane leaves is refused"
            elif message[i]:
                actor_id, target_id_ = str(self._ids[x[i]]), str(self._ids[y[i]])
                sink.add(number, row_fields, *_refusal("message", self._message(actor_id, target_id_)))
            else:
                word, actor_id, pid = INTERACTION_KINDS[int(kind[i])], str(self._ids[x[i]]), str(posts.pids[target[i]])
                facts_ = self._facts(actor_id, pid, state.posts[pid])
                sink.add(number, row_fields, *_refusal(word, CHECK[word](facts_)))

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


class _Posts:
    """The posts and accounts as numbers: each post's number, author (its number and id), and
    facts (a number into ``table``: visibility, author_private, comment_policy, the effective duet
    and stitch policies); each account's dm_policy (a number into ``table`` too, after the facts)."""

    def __init__(self, state: _State) -> None:
        users, index = state.users, state.index
        self.number = dict(zip(state.posts, range(len(state.posts)), strict=True))
        authors = [p["author"] for p in state.posts.values()]
        self.pids = np.array(list(state.posts) or [""], object)
        self.author = np.fromiter(map(index.__getitem__, authors), np.int64, len(authors))
        numbers: dict[tuple[Any, ...], int] = {}
        owners = {
            uid: (bool(u["private"]), u["comment_policy"], u["duet_policy"], u["stitch_policy"])
            for uid, u in users.items()
        }
        facts = []
        for p in state.posts.values():
            private, comment, duet, stitch = owners[p["author"]]
            about = (p["visibility"], private, comment, p.get("duet_policy") or duet, p.get("stitch_policy") or stitch)
            facts.append(numbers.setdefault(about, len(numbers)))
        self.facts = np.array(facts or [0], np.int64)
        self.table: list[tuple[Any, ...]] = list(numbers)
        dm = {(policy,): len(numbers) + i for i, policy in enumerate(v.DM_POLICIES)}
        self.table.extend(dm)
        self.dm = np.fromiter((dm[(users[uid]["dm_policy"],)] for uid in index), np.int64, len(index))
        if not len(self.dm):
            self.dm = np.zeros(1, np.int64)
        if not len(self.author):
            self.author = np.zeros(1, np.int64)
        self.width = len(self.table)


_KIND_NUMBER: Final = {kind: i for i, kind in enumerate(INTERACTION_KINDS)}
_PAST: Final = np.array([PAST[kind] for kind in INTERACTION_KINDS], object)
_KINDS: Final = np.array(INTERACTION_KINDS, object)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _refusal(kind: str, decision: rules.Decision) -> tuple[str, str]:
    reason = "blocked_pair" if decision.rule in BLOCK_RULES else "not_allowed"
    return reason, f"{kind} refused: {'; '.join(decision.reasons)}"
