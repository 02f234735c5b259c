"""The rules of an offline load: the rows of DIR checked in Python under the rules of the online
import, as if imported in that order (follows by :func:`mutuals.rules.admission.admit`,
interactions by the checks, unless ``checks=False``: restoring an export, whose interactions
were allowed when they were made), and the accepted ones written as the batch importer's input,
with the events the online import would append for them (the same words, in the same order).
A refused row goes to the rejects file as the online import writes it: the file's own columns
with the row's values, then ``_line``, ``_reason``, ``_detail``, ``_raw``.

Two lanes give the same result. A row in its common form (every id known, every value one that
parses) takes the fast lane: its values are looked up in tables built once by the very
functions of the general lane (a column's parse, :func:`admit`, a check over the facts with the
ids left out), and a run of follows that no block, duplicate or odd row touches is decided in
bulk. Any other row takes the general lane: :func:`mutuals.bulk.rows.parse` and the decision
row by row. ``fast=False`` sends every row through the general lane (tests/test_offline.py
compares both on messy files).
"""

from __future__ import annotations

import dataclasses
import operator
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from pathlib import Path
from typing import Any, Final

from mutuals import rules
from mutuals.base import validate as v
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


class _State:
    """What the rules need, as the rows are taken in import order (accounts as small ints)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.private: list[bool] = []  # by account index, once the accounts are read
        self.users: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.follows: set[int] = set()
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
        try:
            return self.known[value]
        except KeyError:
            pass
        try:
            out = self.convert(value)
        except RowError:
            out = _BAD
        if len(self.known) < self.size:
            self.known[value] = out
        return out


def _column(name: str) -> Callable[[str], Any]:
    """The parse of one optional column of users.csv or posts.csv, as :mod:`.rows` does it."""
    if name == "private":
        return lambda value: _bool({name: value}, name)
    if name == "created_at":
        return lambda value: _time({name: value}, name)
    choices = v.MEDIA_POLICIES if name in ("duet_policy", "stitch_policy") else v.POLICY_CHOICES[name]
    return lambda value: _policy({name: value}, name, choices)


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
        f.visibility,
        f.author_private,
        f.comment_policy,
        f.duet_policy,
        f.stitch_policy,
        f.viewer == f.author,
        f.viewer_follows_author,
        f.author_follows_viewer,
        f.viewer_blocks_author,
        f.author_blocks_viewer,
        f.viewer_close_friend,
    )


def check_of_key(key: tuple[Any, ...]) -> bool:
    """The check of :func:`check_key`'s facts, with stand-in ids: whether it allows."""
    kind, visibility, private, comment, duet, stitch, is_author, follows, back, blocks, blocked, close = key
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
        event_chunk: int | None = None,
    ) -> None:
        self.source, self.work, self.now = source, work, now.isoformat()
        self.rejects = rejects or work
        self.checks, self.fast = checks, fast
        self.state = _State()
        self.summary = Tally()
        self.writers = {name: Writer(work, name) for name in HEADERS if name not in EVENT_FILES}
        self.events = EventsWriter(work, self.now, event_chunk or EVENT_CHUNK)
        self.memos: dict[str, _Memo] = {}
        # the time of a row as the importer's input: its own, or the load's
        self.at = _Memo(lambda value: moment.isoformat() if (moment := _time({"at": value}, "at")) else self.now)
        self.audience: dict[tuple[str, bool], str] = {}
        self.checked: dict[tuple[Any, ...], bool] = {}
        self.about: dict[str, tuple[tuple[Any, ...], str, int]] = {}  # post -> its facts, author, author's index

    def run(self) -> Tally:
        steps: dict[str, Callable[[Path, list[str], _Rejects], None]] = {
            "users": self._users,
            "posts": self._posts,
            "follows": self._follows,
            "requests": self._requests,
            "blocks": self._blocks,
            "interactions": self._interactions,
        }
        for kind in ORDER:
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
        self._flush()
        for w in self.writers.values():
            w.handle.close()
        self.summary.events = self.events.close()
        self.summary.nodes = self.writers["accounts"].rows + self.writers["posts"].rows
        self.summary.relationships = sum(w.rows for n, w in self.writers.items() if GROUPS[n][0] == "relationships")
        return self.summary

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
    def _chunks(self, path: Path, columns: list[str]) -> Iterator[Lines | Records]:
        if self.fast:
            yield from chunks(path, columns)
            return
        rows = list(csv_rows(path))
        yield Records(rows)

    @staticmethod
    def _rows(chunk: Lines | Records, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
        """Every row of a chunk with its fields, as the csv module reads them."""
        if isinstance(chunk, Records):
            return chunk.rows
        return [
            (chunk.start + i, dict(zip(columns, line.split(","), strict=False)))
            for i, line in enumerate(chunk.lines)
            if line
        ]

    @staticmethod
    def _fields(columns: list[str], values: list[list[str]], i: int) -> dict[str, str]:
        return {name: values[j][i] for j, name in enumerate(columns)}

    def _memo(self, name: str) -> _Memo:
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

    def _typed(
        self,
        kind: str,
        columns: list[str],
        chunk: Lines | Records,
        form: Callable[[list[list[str]], int, int], Any],
        sink: _Rejects,
    ) -> Iterator[Any]:
        """The rows of a chunk that parse: ``form`` reads the common form of row ``i`` of the
        split values (None: not that form); the others are parsed by the general lane (refused
        rows are counted, written to the rejects, and not yielded)."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            for number, row_fields in self._rows(chunk, columns):
                parsed = self._parse(kind, number, row_fields, sink)
                if parsed is not None:
                    yield parsed
            return
        assert isinstance(chunk, Lines)
        for i in range(len(chunk.lines)):
            number = chunk.start + i
            parsed = form(values, i, number)
            if parsed is None:
                parsed = self._parse(kind, number, self._fields(columns, values, i), sink)
            if parsed is not None:
                yield parsed

    # -- nodes -----------------------------------------------------------------------------
    def _user_form(self, columns: list[str]) -> Callable[[list[list[str]], int, int], UserRow | None]:
        """The fast lane of users.csv: a valid id, and values that parse (remembered by value)."""
        j_id = columns.index("id")
        others = [
            (name, j, self._memo(name)) for j, name in enumerate(columns) if name != "id" and not name.startswith("_")
        ]

        def form(values: list[list[str]], i: int, number: int) -> UserRow | None:
            uid = values[j_id][i]
            if not v.is_ident(uid):
                return None
            private, created, policies = None, None, {}
            for name, j, memo in others:
                value = memo(values[j][i])
                if value is _BAD:
                    return None
                if name == "private":
                    private = value
                elif name == "created_at":
                    created = value
                elif value is not None:
                    policies[name] = value
            ordered = {name: policies[name] for name in v.POLICY_CHOICES if name in policies}
            return UserRow(number, uid, private, ordered, created)

        return form

    def _users(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        form = self._user_form(columns)
        state = self.state
        for chunk in self._chunks(path, columns):
            types: list[str] = []
            actors: list[str] = []
            details: list[str] = []
            for r in self._typed("users", columns, chunk, form, sink):
                assert isinstance(r, UserRow)
                changes: dict[str, Any] = dict(r.policies)
                if r.private is not None:
                    changes["private"] = r.private
                current = state.users.get(r.id)
                if current is None:
                    state.index[r.id] = len(state.index)
                    state.users[r.id] = {"private": False, **v.DEFAULT_POLICIES, **changes, "created_at": r.created_at}
                    self._count("users", 1, 1)
                    types.append("account_created")
                    actors.append(r.id)
                    details.append("")
                    continue
                changed = {k: value for k, value in changes.items() if current[k] != value}
                current.update(changes)
                self._count("users", 1, int(bool(changed)))
                if changed:
                    types.append("account_updated")
                    actors.append(r.id)
                    details.append(updated_detail(changed))
            self.events.extend(types, actors, details=details)
        state.private = [bool(state.users[uid]["private"]) for uid in state.index]

    def _post_form(self, columns: list[str]) -> Callable[[list[list[str]], int, int], PostRow | None]:
        """The fast lane of posts.csv: a valid id, a known author, a visibility, values that parse."""
        j_id, j_author, j_visibility = (columns.index(name) for name in ("id", "author", "visibility"))
        optional = {
            name: (columns.index(name), self._memo(name))
            for name in ("created_at", "duet_policy", "stitch_policy")
            if name in columns
        }
        index = self.state.index

        def form(values: list[list[str]], i: int, number: int) -> PostRow | None:
            pid, author, visibility = values[j_id][i], values[j_author][i], values[j_visibility][i]
            if not v.is_ident(pid) or author not in index or visibility not in v.VISIBILITIES:
                return None
            parsed = {}
            for name, (j, memo) in optional.items():
                value = memo(values[j][i])
                if value is _BAD:
                    return None
                parsed[name] = value
            return PostRow(
                number,
                pid,
                author,
                visibility,
                parsed.get("created_at"),
                parsed.get("duet_policy"),
                parsed.get("stitch_policy"),
            )

        return form

    def _posts(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        form = self._post_form(columns)
        state = self.state
        for chunk in self._chunks(path, columns):
            types: list[str] = []
            actors: list[str] = []
            posts: list[str] = []
            details: list[str] = []
            for r in self._typed("posts", columns, chunk, form, sink):
                assert isinstance(r, PostRow)
                current = state.posts.get(r.id)
                if r.author not in state.users:
                    self._count("posts")
                    sink.add(r.line, self._line_fields(chunk, columns, r.line), "unknown_account",
                             f"account not found: {r.author}")  # fmt: skip
                    continue
                if current is not None and current["author"] != r.author:
                    self._count("posts")
                    sink.add(r.line, self._line_fields(chunk, columns, r.line), "post_conflict",
                             f"post {r.id} exists, by {current['author']}")  # fmt: skip
                    continue
                given: dict[str, Any] = {"visibility": r.visibility}
                for name in ("duet_policy", "stitch_policy"):
                    if getattr(r, name) is not None:
                        given[name] = getattr(r, name)
                audience = self._audience(r.visibility, bool(state.users[r.author]["private"]))
                if current is None:
                    state.posts[r.id] = {"author": r.author, "created_at": r.created_at, **given}
                    self._count("posts", 1, 1)
                    types.append("post_created")
                else:  # as the online import: written when a value changes, unchanged otherwise
                    changed = {k: value for k, value in given.items() if current.get(k) != value}
                    moved = r.created_at is not None and current["created_at"] != r.created_at
                    current.update(given)
                    if moved:
                        current["created_at"] = r.created_at
                    self._count("posts", 1, int(bool(changed or moved)))
                    if "visibility" not in changed:
                        continue
                    types.append("visibility_changed")
                actors.append(r.author)
                posts.append(r.id)
                details.append(audience)
            self.events.extend(types, actors, posts=posts, details=details)

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
    ) -> Iterator[tuple[int, dict[str, str] | None, str, str, str]]:
        """The rows of a pair kind with both accounts known, as (number, fields or None, a, b,
        time): the common form (two known, distinct ids, a time that parses) from the split
        values, fields None; the others through the general lane."""
        first, second, at_name = KINDS[kind].columns
        ja, jb = columns.index(first), columns.index(second)
        jat = columns.index(at_name) if at_name in columns else None
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            for number, row_fields in self._rows(chunk, columns):
                known = self._pair(kind, number, row_fields, sink)
                if known is not None:
                    yield number, row_fields, *known
            return
        assert isinstance(chunk, Lines)
        index, start = self.state.index, chunk.start
        times = values[jat] if jat is not None else repeat("")
        for i, (a, b, when) in enumerate(zip(values[ja], values[jb], times, strict=False)):
            at = self.at(when)
            if a in index and b in index and a != b and at is not _BAD:
                yield start + i, None, a, b, at
                continue
            row_fields = self._fields(columns, values, i)
            known = self._pair(kind, start + i, row_fields, sink)
            if known is not None:
                yield start + i, row_fields, *known

    def _read_blocks(self) -> None:
        """The blocks of blocks.csv, read before the follows: a block deletes the follows and
        requests of its pair (rows that cannot be imported are refused later, by ``_blocks``)."""
        path, index = self.source / "blocks.csv", self.state.index
        if not path.is_file():
            return
        for _, fields in csv_rows(path):
            a, b = fields.get("blocker", ""), fields.get("blocked", "")
            if a in index and b in index and a != b:
                self.state.directed.add(self.state.code(a, b))
                self.state.blocked.update((self.state.code(a, b), self.state.code(b, a)))

    def _admissions(self) -> dict[tuple[bool, ...], Admission]:
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

    def _follows(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        self._read_blocks()
        table = self._admissions()
        # a run of follows no block, request or duplicate touches: each decided by (b_private, b_follows_a)
        clear = {(private, back): table[(private, False, back, False, False, False)] for private in (False, True)
                 for back in (False, True)}  # fmt: skip
        bulk = all(d.writes_follow and not d.consumes_request for d in clear.values())
        first, second, at_name = KINDS["follows"].columns
        ja, jb = columns.index(first), columns.index(second)
        jat = columns.index(at_name) if at_name in columns else None
        for chunk in self._chunks(path, columns):
            out = _Out()
            values = chunk.split() if isinstance(chunk, Lines) else None
            if values is not None and bulk:
                assert isinstance(chunk, Lines)
                self._follows_bulk(chunk, values, ja, jb, jat, columns, clear, table, sink, out)
            else:
                for number, row_fields, a, b, at in self._pairs("follows", columns, chunk, sink):
                    self._follow(chunk, number, row_fields, a, b, at, table, sink, out, columns)
            self.writers["follows"].write_lines("".join(out.rows), out.written)
            self._count("follows", out.read, out.written)
            self.events.extend(out.types, out.actors, out.subjects)

    def _follows_bulk(
        self,
        chunk: Lines,
        values: list[list[str]],
        ja: int,
        jb: int,
        jat: int | None,
        columns: list[str],
        clear: dict[tuple[bool, bool], Admission],
        table: dict[tuple[bool, ...], Admission],
        sink: _Rejects,
        out: _Out,
    ) -> None:
        """The rows of a split chunk: runs of common rows in bulk, the others one by one."""
        state = self.state
        a_ids, b_ids = values[ja], values[jb]
        xs, ys = list(map(state.index.get, a_ids)), list(map(state.index.get, b_ids))
        ats = list(map(self.at, values[jat])) if jat is not None else None
        odd: list[int] = []
        if None in xs or None in ys or any(map(operator.eq, xs, ys)) or (ats is not None and _BAD in ats):
            odd = [
                i
                for i, (x, y) in enumerate(zip(xs, ys, strict=True))
                if x is None or y is None or x == y or (ats is not None and ats[i] is _BAD)
            ]
        lo = 0
        for stop in [*odd, len(xs)]:
            if lo < stop:
                self._follow_run(chunk, lo, stop, a_ids, b_ids, xs, ys, ats, clear, table, sink, out, columns)
            if stop < len(xs):  # an odd row: the general lane
                row_fields = self._fields(columns, values, stop)
                known = self._pair("follows", chunk.start + stop, row_fields, sink)
                if known is not None:
                    self._follow(chunk, chunk.start + stop, row_fields, *known, table, sink, out, columns)
            lo = stop + 1

    def _follow_run(
        self,
        chunk: Lines,
        lo: int,
        hi: int,
        a_ids: list[str],
        b_ids: list[str],
        xs: list[Any],
        ys: list[Any],
        ats: list[Any] | None,
        clear: dict[tuple[bool, bool], Admission],
        table: dict[tuple[bool, ...], Admission],
        sink: _Rejects,
        out: _Out,
        columns: list[str],
    ) -> None:
        """Rows lo..hi-1 of a chunk, all two known, distinct accounts with a valid time: in bulk
        when no block, request or earlier follow of the same pair touches them, else one by one."""
        state = self.state
        x, y = xs[lo:hi], ys[lo:hi]
        codes = list(map(operator.or_, map(operator.lshift, x, repeat(32)), y))
        backs = list(map(operator.or_, map(operator.lshift, y, repeat(32)), x))
        n = hi - lo
        position = dict(zip(codes, range(n), strict=True))
        if (
            len(position) == n
            and state.follows.isdisjoint(codes)
            and state.directed.isdisjoint(codes)
            and state.directed.isdisjoint(backs)
            and state.requests.isdisjoint(codes)
        ):
            # b follows a before this row: written by an earlier chunk, or earlier in this run
            earlier = map(operator.lt, map(position.get, backs, repeat(n)), range(n))
            back = list(map(operator.or_, map(state.follows.__contains__, backs), earlier))
            words = list(map(clear.__getitem__, zip(map(state.private.__getitem__, y), back, strict=True)))
            types = [d.outcome for d in words]
            state.follows.update(codes)
            a, b = a_ids[lo:hi], b_ids[lo:hi]
            times = repeat(self.now, n) if ats is None else ats[lo:hi]
            out.rows.append("".join(map("{0},{1},{0},{1},{2}\n".format, a, b, times)))
            out.types.extend(types)
            out.actors.extend(a)
            out.subjects.extend(b)
            out.read += n
            out.written += n
            return
        for i in range(lo, hi):
            at = self.now if ats is None else ats[i]
            self._follow(chunk, chunk.start + i, None, a_ids[i], b_ids[i], at, table, sink, out, columns)

    def _follow(
        self,
        chunk: Lines | Records,
        number: int,
        row_fields: dict[str, str] | None,
        a: str,
        b: str,
        at: str,
        table: dict[tuple[bool, ...], Admission],
        sink: _Rejects,
        out: _Out,
        columns: list[str],
    ) -> None:
        """One follow of two known, distinct accounts, as :func:`admit` decides it."""
        state = self.state
        x, y = state.index[a], state.index[b]
        c, back = x << 32 | y, y << 32 | x
        flags = (
            state.private[y],
            c in state.follows,
            back in state.follows,
            c in state.requests,
            c in state.directed,
            back in state.directed,
        )
        decision = table[flags]
        out.read += 1
        if decision.refused:
            real = admit(
                Pair(a, b, b_private=flags[0], a_follows_b=flags[1], b_follows_a=flags[2], a_requested_b=flags[3],
                     a_blocks_b=flags[4], b_blocks_a=flags[5]),
                approved=True,
            )  # fmt: skip
            if row_fields is None:
                row_fields = self._line_fields(chunk, columns, number)
            sink.add(number, row_fields, real.reason, real.detail)
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
        for chunk in self._chunks(path, columns):
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
                if row_fields is None:
                    row_fields = self._line_fields(chunk, columns, number)
                sink.add(number, row_fields, reason, detail)
            self.writers["requests"].write_lines("".join(out.rows), out.written)
            self._count("requests", out.read, out.written)
            self.events.extend(out.types, out.actors, out.subjects)

    def _blocks(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        seen: set[int] = set()
        for chunk in self._chunks(path, columns):
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

    @staticmethod
    def _line_fields(chunk: Lines | Records, columns: list[str], number: int) -> dict[str, str]:
        """The fields of row ``number`` of a chunk (a row refused after it parsed)."""
        if isinstance(chunk, Records):
            at = bisect_left(chunk.rows, number, key=operator.itemgetter(0))
            return chunk.rows[at][1]
        return dict(zip(columns, chunk.lines[number - chunk.start].split(","), strict=False))

    # -- interactions -------------------------------------------------------------------------
    def _interactions(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        state = self.state
        seen: set[tuple[str, str, str, str | None]] = set()
        jk, ja, jt = (columns.index(name) for name in ("kind", "actor", "target"))
        jat = columns.index("at") if "at" in columns else None
        for chunk in self._chunks(path, columns):
            out = _Out()
            for number, row_fields, kind, actor, target, at in self._interaction_rows(
                chunk, columns, jk, ja, jt, jat, sink
            ):
                key = (kind, actor, target, None if kind == "like" else at)
                out.read += 1
                if key in seen:
                    continue
                at_out = at or self.now
                if actor not in state.users:
                    reason, detail = "unknown_account", f"account not found: {actor}"
                elif kind == "message":
                    if target not in state.users:
                        reason, detail = "unknown_account", f"account not found: {target}"
                    elif not self.checks or self._message_allowed(actor, target):
                        seen.add(key)
                        out.rows.append(f"{actor},{target},message,{actor},{target},{at_out}\n")
                        out.messages += 1
                        out.types.append("messaged")
                        out.actors.append(actor)
                        out.subjects.append(target)
                        out.posts.append("")
                        continue
                    else:
                        reason, detail = _refusal(kind, self._message(actor, target))
                elif target not in state.posts:
                    reason, detail = "unknown_post", f"post not found: {target}"
                else:
                    post = state.posts[target]
                    if not self.checks or self._allowed(kind, actor, target, post):
                        seen.add(key)
                        author = post["author"]
                        out.post_rows.append(f"{actor},{target},{kind},{actor},{author},{target},{at_out}\n")
                        out.written += 1
                        out.types.append(PAST[kind])
                        out.actors.append(actor)
                        out.subjects.append(author)
                        out.posts.append(target)
                        continue
                    reason, detail = _refusal(kind, CHECK[kind](self._facts(actor, target, post)))
                if row_fields is None:
                    row_fields = self._line_fields(chunk, columns, number)
                sink.add(number, row_fields, reason, detail)
            self.writers["post_interactions"].write_lines("".join(out.post_rows), out.written)
            self.writers["messages"].write_lines("".join(out.rows), out.messages)
            self._count("interactions", out.read, out.written + out.messages)
            self.events.extend(out.types, out.actors, out.subjects, out.posts)

    def _interaction_rows(
        self,
        chunk: Lines | Records,
        columns: list[str],
        jk: int,
        ja: int,
        jt: int,
        jat: int | None,
        sink: _Rejects,
    ) -> Iterator[tuple[int, dict[str, str] | None, str, str, str, str | None]]:
        """The rows of interactions.csv that parse, as (number, fields or None, kind, actor,
        target, the row's time or None): the common form (a kind, a known actor, a known target,
        a time that parses or a like without one) from the split values, the others parsed."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            for number, row_fields in self._rows(chunk, columns):
                row = self._parse("interactions", number, row_fields, sink)
                if row is not None:
                    assert isinstance(row, InteractionRow)
                    yield number, row_fields, row.kind, row.actor, row.target, _iso(row.at)
            return
        assert isinstance(chunk, Lines)
        users, posts = self.state.users, self.state.posts
        times = values[jat] if jat is not None else repeat("")
        for i, (kind, actor, target, when) in enumerate(zip(values[jk], values[ja], values[jt], times, strict=False)):
            number = chunk.start + i
            at = self.at(when) if when else None
            if (
                kind in INTERACTION_KINDS
                and actor in users
                and at is not _BAD
                and (at is not None or kind == "like")
                and (target in users and target != actor if kind == "message" else target in posts)
            ):
                yield number, None, kind, actor, target, at
                continue
            row_fields = self._fields(columns, values, i)
            row = self._parse("interactions", number, row_fields, sink)
            if row is not None:
                assert isinstance(row, InteractionRow)
                yield number, row_fields, row.kind, row.actor, row.target, _iso(row.at)

    def _allowed(self, kind: str, actor: str, target: str, post: dict[str, Any]) -> bool:
        """The check of an interaction, remembered by the facts without the ids (:func:`check_key`,
        whose tuple this builds without the facts; the general lane asks the rule itself)."""
        if not self.fast:
            return CHECK[kind](self._facts(actor, target, post)).allowed
        about = self.about.get(target)
        if about is None:
            facts = self._facts(post["author"], target, post)  # the author's own view: the post's facts
            about = self.about[target] = (
                (facts.visibility, facts.author_private, facts.comment_policy, facts.duet_policy, facts.stitch_policy),
                post["author"],
                self.state.index[post["author"]],
            )
        facts_of_post, author, y = about
        x = self.state.index[actor]
        ahead, behind = x << 32 | y, y << 32 | x
        follows, directed = self.state.follows, self.state.directed
        key = (
            kind,
            *facts_of_post,
            actor == author,
            ahead in follows,
            behind in follows,
            ahead in directed,
            behind in directed,
            False,  # no close-friends list in an import
        )
        allowed = self.checked.get(key)
        if allowed is None:
            allowed = self.checked[key] = check_of_key(key)
        return allowed

    def _message_allowed(self, actor: str, target: str) -> bool:
        state = self.state
        if not self.fast:
            return self._message(actor, target).allowed
        key = (
            "message",
            self._blocks_dir(actor, target),
            self._blocks_dir(target, actor),
            state.users[target]["dm_policy"],
            self._friends(actor, target),
        )
        allowed = self.checked.get(key)
        if allowed is None:
            allowed = self.checked[key] = message_allowed(*key[1:])
        return allowed

    def _friends(self, a: str, b: str) -> bool:
        return self.state.code(a, b) in self.state.follows and self.state.code(b, a) in self.state.follows

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
            friends=self._friends(actor, target),
        )

    # -- the nodes, once every update is known ---------------------------------------------
    def _flush(self) -> None:
        accounts, posts, posted = self.writers["accounts"], self.writers["posts"], self.writers["posted"]
        rows = []
        for uid, u in self.state.users.items():
            created = u["created_at"].isoformat() if u["created_at"] else self.now
            private = "true" if u["private"] else "false"
            rows.append(
                f"{uid},{private},{u['dm_policy']},{u['comment_policy']},{u['duet_policy']},{u['stitch_policy']},{created}\n"
            )
        accounts.write_lines("".join(rows), len(rows))
        rows, links = [], []
        for pid, p in self.state.posts.items():
            created = p["created_at"].isoformat() if p["created_at"] else self.now
            duet, stitch = p.get("duet_policy") or "", p.get("stitch_policy") or ""
            rows.append(f"{pid},{p['author']},{p['visibility']},{created},{duet},{stitch}\n")
            links.append(f"{p['author']},{pid}\n")
        posts.write_lines("".join(rows), len(rows))
        posted.write_lines("".join(links), len(links))


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


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _refusal(kind: str, decision: rules.Decision) -> tuple[str, str]:
    reason = "blocked_pair" if decision.rule in BLOCK_RULES else "not_allowed"
    return reason, f"{kind} refused: {'; '.join(decision.reasons)}"
