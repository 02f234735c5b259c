"""Fuzzing every entry point with hostile input: every public method of ``Engine`` and every
command of the ``mutuals`` app, found by introspection.

Hostile values: arbitrary Unicode (lone surrogates included), very long strings, Cypher
fragments (``'}) DETACH DELETE n //``, backticks, ``$``), NUL bytes, markup and terminal escapes,
numbers, lists, bytes and objects where strings belong, out-of-range numbers, forged, expired and
misplaced cursors, timestamps past either end of the calendar.

For the engine, each case makes one argument hostile and the others valid, and checks that the
answer is ``InvalidInput`` naming that field (or, for values that may be valid, a result or
``NotFound``), that an invalid value never reaches the database (no statement runs), and that the
data did not change (counts and a content hash). Read methods are then called with mixes of
plausible and hostile values against a small graph. For the CLI, each case must end with exit
status 0, or 2-7 with one line on stderr; never a traceback, an unexpected error (70), a raw
terminal escape, or a change to the data.

A method or command added later fails ``test_every_entry_point_is_covered`` until it has a line
in the tables below; the tables only say how to generate each argument.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from figures import record
from helpers import follows, forge_cursor, people, snapshot, wipe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

import mutuals as engine_package
import mutuals.core
from mutuals import Engine, InvalidInput, NotAllowed, NotFound, QueryError, ReadOnly, WhatIf
from mutuals.base import validate as v
from mutuals.bulk import KINDS as BULK_KINDS
from mutuals.cli.main import app
from mutuals.ops.feeds import TABS
from mutuals.ops.interactions import KINDS
from mutuals.ops.lists import SEGMENTS
from mutuals.rules.lists import SETTINGS as LIST_SETTINGS

ENGINE_CASES = 150  # per method, one hostile argument at a time (validation only: fast)
ASYNC_CASES = 30  # the same through AsyncEngine
READ_CASES = 25  # per read method, mixes of plausible and hostile values (each one query)
CLI_CASES = 10  # per command (each invocation opens an engine)
COMMAND = "make reliability  # or: pytest tests/test_fuzz.py"

# -- the hostile values ---------------------------------------------------------------------

ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
CURATED = [
    "'}) DETACH DELETE n //",
    "ann'}) DETACH DELETE n //",
    "`) DETACH DELETE n //",
    "`ann`",
    "$id",
    "${id}",
    "ann' OR 1=1 //",
    '"}) SET n.private = false //',
    "]->(x) DELETE x //",
    "MATCH (n) DETACH DELETE n",
    "ann\x00",
    "\x00",
    "ann\nben",
    " ann",
    "ann ",
    "",
    " ",
    "аnn",  # Cyrillic a
    "ａｎｎ",  # fullwidth
    "ann\u202e",
    "\udcff",
    "ann\udcff",
    "🙂",
    "[/]",
    "[red]ann",
    "\x1b[2J\x1b]0;pwned\x07",
    "../../../../etc/passwd",
    "%s%s%n",
    "{0}",
    "None",
    "a" * 65,
    "-",
    "--json",
    "ann,ben",
    "ann;ben",
    "ann/ben",
    "ann:ben",
    "1e308",
]
ALL_CHARS = st.characters(exclude_categories=())  # every code point, lone surrogates included
texts = st.one_of(
    st.sampled_from(CURATED),
    st.text(ALL_CHARS, max_size=40),
    st.text(ID_CHARS, min_size=65, max_size=2000),
    st.sampled_from([1_000, 100_000]).map(lambda n: "a" * n),  # built when drawn: a short repr
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(ID_CHARS, max_size=8), st.text(ID_CHARS, max_size=8)),
    st.builds(lambda a, frag: a + frag, st.text(ID_CHARS, min_size=1, max_size=8), st.sampled_from(CURATED)),
)
non_strings = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=12),
    st.just(b"ann"),
    st.just(["ann"]),
    st.just(("ann", "ben")),
    st.just({"id": "ann"}),
    st.just({"ann"}),
    st.just(object()),
    st.just(Ellipsis),
    st.lists(st.text(ID_CHARS, max_size=4), max_size=3),
)


# statements a user might send to `query` (reads, and writes that must be refused read-only)
STATEMENTS = [
    "RETURN 1 AS one",
    "MATCH (a:Account {id: $id}) RETURN a.id AS id",
    "MATCH (n) RETURN count(n) AS n",
    "RETURN $x AS x",
    "MATCH (n) DETACH DELETE n",
    "CREATE (:Account {id: 'evil'})",
    "MATCH (a:Account) SET a.private = false",
    "MERGE (a:Account {id: $id}) RETURN a",
    "MATCH (a:Account)-[r:BLOCKS]->() DELETE r",
    "CALL db.createLabel('Evil')",
    "CREATE INDEX evil IF NOT EXISTS FOR (n:Evil) ON (n.x)",
    "ALTER USER neo4j SET PASSWORD 'stolen-password' CHANGE NOT REQUIRED",
    "CREATE USER evil SET PASSWORD 'stolen-password'",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS RETURN 1",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "RETURN 1 AS `[/]`",
    "RETURN '\u001b[31m' AS `x\u202e`",
    "'}) DETACH DELETE n //",
]


def normal(value: Any) -> Any:
    """How the lenient choices (segment names, feed tabs) normalise text."""
    return value.strip().lower().replace("-", "_") if isinstance(value, str) else value


def not_an_id(value: Any) -> bool:
    return not (isinstance(value, str) and v.is_ident(value))


invalid_ids = st.one_of(texts.filter(not_an_id), non_strings)
some_ids = st.lists(st.sampled_from(["ann", "ben", "p1", "ghost"]), max_size=4)


# -- how to generate each argument --------------------------------------------------------------


@dataclass(frozen=True)
class Arg:
    """One kind of argument: its hostile values, a valid value that never touches data, plausible
    values for reads; ``fields`` are the names an error about it may use; ``maybe`` marks hostile
    values that can still be valid (timestamps, Cypher text)."""

    kind: str
    fields: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    maximum: int = v.MAX_PAGE
    optional: bool = False

    @property
    def maybe(self) -> bool:
        return self.kind in {"time", "cypher", "params"}

    def hostile(self, crafted: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
        k = self.kind
        if k in {"id", "viewer"}:
            return invalid_ids.filter(lambda x: x is not None) if k == "viewer" else invalid_ids
        if k == "ids":
            return st.one_of(
                texts,
                non_strings.filter(lambda x: not isinstance(x, (list, tuple, set, dict))),
                st.lists(invalid_ids, min_size=1, max_size=3).map(lambda bad: ["ann", *bad]),
                st.just([f"u{i}" for i in range(self.maximum + 1)]),
            )
        if k == "choice":
            bad = texts.filter(lambda x: normal(x) not in self.choices)
            return st.one_of(bad, non_strings.filter(lambda x: not (self.optional and x is None)))
        if k == "flag":
            return st.one_of(
                st.sampled_from([0, 1, "true", "false", "", "yes", [], [True]]),
                non_strings.filter(lambda x: not isinstance(x, bool) and not (self.optional and x is None)),
            )
        if k == "limit":
            return st.one_of(
                st.integers().filter(lambda n: n < 1 or n > self.maximum),
                st.integers(min_value=2**63, max_value=2**70),
                st.sampled_from([True, False, 10.0, "10", "", None, [10], float("nan")]),
                texts,
            )
        if k == "cursor":
            return st.one_of(
                texts.filter(lambda x: x != ""),
                non_strings.filter(lambda x: x is not None),
                st.sampled_from(crafted["bad_cursors"]),
            )
        if k == "time":
            zones = st.sampled_from(
                [None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14)), timezone(timedelta(0, 1))]
            )
            moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=zones)
            return st.one_of(
                texts,
                non_strings.filter(lambda x: x is not None),
                moments,
                moments.map(lambda d: d.isoformat()),
                st.sampled_from(["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "2026-02-30", "24:00"]),
            )
        if k == "cypher":
            return st.one_of(texts, non_strings, st.sampled_from(crafted["statements"]))
        if k == "params":
            keys = st.text(ID_CHARS, min_size=1, max_size=6).filter(lambda s: not s[0].isdigit())
            nasty = st.one_of(
                texts,
                st.binary(max_size=4),
                st.just(object()),
                st.just({1, 2}),
                st.integers(min_value=2**63, max_value=2**80),
                st.just(_nested(12)),
            )
            return st.one_of(
                non_strings.filter(lambda x: x is not None),
                st.dictionaries(texts.filter(lambda s: not re.fullmatch(r"[A-Za-z_]\w{0,63}", s)), st.integers()),
                st.dictionaries(st.one_of(st.integers(), st.binary(max_size=4), st.floats()), st.integers()),
                st.dictionaries(keys, nasty, min_size=1, max_size=2),
            )
        if k == "method":
            return st.sampled_from(crafted["bad_methods"])
        if k == "change":  # preview_change's WhatIf: anything else, or one built by hand with bad fields
            return st.one_of(
                texts,
                non_strings,
                st.builds(WhatIf, st.sampled_from(["block", "approve", "visibility", "private", "nope"]), texts, texts),
                st.builds(lambda bad: WhatIf("block", "ann", bad), invalid_ids),
                st.just(WhatIf("block", "ann", "ann")),
                st.just(WhatIf("private", "ann", "maybe")),
            )
        if k == "path":
            return st.one_of(
                non_strings.filter(lambda x: x is not None or not self.optional),
                st.sampled_from(["", "a\x00b.png", "x" * 5000 + ".png", "\udcff.png"]),
            )
        if k == "callable":
            return st.one_of(texts, non_strings.filter(lambda x: x is not None))
        if k == "token":
            return st.one_of(
                texts.filter(lambda x: x != ""),
                non_strings.filter(lambda x: x is not None),
                st.sampled_from(["ct1.", "ct1.W10", "ct1.!!!", "ct1." + "A" * 5000, "ct1.WyJub3BlIl0x"]),
            )
        if k == "seq":
            return st.one_of(
                st.integers(max_value=-1),
                st.sampled_from([True, False, 1.5, "3", None, [1], float("nan")]),
                texts,
            )
        if k == "days":
            return st.one_of(
                st.floats(max_value=-1e-9, allow_nan=False),
                st.sampled_from([True, "7", None, [7], float("nan"), float("inf")]),
                texts,
            )
        raise AssertionError(f"no hostile values for {k}")

    def valid(self, position: int, world: World) -> Any:
        """A valid value that never changes data (ids of accounts that do not exist)."""
        return (
            {
                "id": f"ghost{position}",
                "viewer": f"ghost{position}",
                "ids": [],
                "choice": None if self.optional else (self.choices[0] if self.choices else None),
                "flag": None if self.optional else False,
                "limit": 10,
                "cursor": None,
                "time": None,
                "cypher": "RETURN 1 AS one",
                "params": {},
                "method": world.engine.followers,
                "change": WhatIf.block(f"ghost{position}", f"ghost{position + 1}"),
                "token": None,
                "seq": 0,
                "days": 7,
                "path": None,  # set below
                "callable": None,
            }[self.kind]
            if self.kind != "path" or self.optional
            else world.crafted["paths"][self.fields[0]]
        )

    def plausible(self, crafted: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
        """Values a caller might really send (for the reads)."""
        k = self.kind
        pool = st.sampled_from(["ann", "ben", "cat", "pia", "eve", "p1", "p2", "p3", "ghost"])
        return {
            "id": pool,
            "viewer": st.one_of(st.none(), pool),
            "ids": some_ids,
            "choice": st.sampled_from(self.choices + ((None,) if self.optional else ())),
            "flag": st.sampled_from([True, False, *([None] if self.optional else [])]),
            "limit": st.integers(min_value=1, max_value=self.maximum),
            "cursor": st.one_of(st.none(), st.sampled_from(crafted["good_cursors"])),
            "cypher": st.sampled_from(crafted["statements"]),
            "params": st.dictionaries(st.sampled_from(["id", "n", "x"]), st.one_of(pool, st.integers())),
            "token": st.one_of(st.none(), st.sampled_from(crafted["tokens"])),
            "seq": st.integers(min_value=0, max_value=30),
            "change": st.builds(
                lambda kind, a, b: {
                    "block": lambda: WhatIf.block(a, _other(a, b)),
                    "approve": lambda: WhatIf.approve(a, _other(a, b)),
                    "visibility": lambda: WhatIf.post_set_visibility(b, "friends"),
                    "private": lambda: WhatIf.user_set(a, private=True),
                }[kind](),
                st.sampled_from(["block", "approve", "visibility", "private"]),
                pool,
                pool,
            ),
        }[k]


def _other(a: str, b: str) -> str:
    """``b``, or another id when it is ``a`` (a change between an account and itself is invalid)."""
    return b if b != a else "ghost" if a != "ghost" else "ann"


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


ID = Arg("id")
VIEWER = Arg("viewer")
ACTOR = Arg("viewer", ("actor",))  # None: logged out (always denied)
LIMIT = Arg("limit")
CURSOR = Arg("cursor")
TIME = Arg("time")
FLAG = Arg("flag")
TOKEN = Arg("token", ("after",))  # a consistency token from a write


def path(field: str, *, optional: bool = False) -> Arg:
    """A file-system path; its valid value is a harmless one prepared in the world (a temp dir)."""
    return Arg("path", (field,), optional=optional)


def choice(values: tuple[str, ...], *, optional: bool = False, field: str = "") -> Arg:
    return Arg("choice", (field,) if field else (), tuple(values), optional=optional)


POLICIES = {
    "dm_policy": choice(v.DM_POLICIES, optional=True),
    "comment_policy": choice(v.COMMENT_POLICIES, optional=True),
    "duet_policy": choice(v.MEDIA_POLICIES, optional=True),
    "stitch_policy": choice(v.MEDIA_POLICIES, optional=True),
    "followers_visibility": choice(LIST_SETTINGS, optional=True),
    "following_visibility": choice(LIST_SETTINGS, optional=True),
}
PAGE = {"limit": LIMIT, "cursor": CURSOR, "after": TOKEN}
POST_ID = Arg("id", ("post",))

# method -> parameter -> how to generate it (the parameter's name is the field unless ``fields`` says)
SPEC: dict[str, dict[str, Arg]] = {
    "user_add": {"id": ID, "private": FLAG, **POLICIES},
    "user_set": {"id": ID, "private": Arg("flag", optional=True), **POLICIES},
    "user_show": {"id": ID, "after": TOKEN},
    "user_delete": {"id": ID},
    "follow": {"follower": ID, "followee": ID},
    "unfollow": {"follower": ID, "followee": ID},
    "approve": {"owner": ID, "requester": ID},
    "deny": {"owner": ID, "requester": ID},
    "remove_follower": {"owner": ID, "follower": ID},
    "block": {"blocker": ID, "blocked": ID, "until": TIME},
    "mute": {"muter": ID, "muted": ID, "until": TIME},
    "unmute": {"muter": ID, "muted": ID},
    "muted": {"user": ID, **PAGE},
    "unblock": {"blocker": ID, "blocked": ID},
    "friends": {"user": ID, "viewer": VIEWER, **PAGE},
    "close_friends_add": {"owner": ID, "member": ID},
    "close_friends_remove": {"owner": ID, "member": ID},
    "close_friends": {"owner": ID, **PAGE},
    "followers": {"user": ID, "viewer": VIEWER, **PAGE},
    "following": {"user": ID, "viewer": VIEWER, **PAGE},
    "segment": {"user": ID, "name": choice(SEGMENTS, field="segment"), **PAGE},
    "segments": {"user": ID, "after": TOKEN},
    "walk": {"method": Arg("method"), "page_size": LIMIT},
    "relationship": {"a": ID, "b": ID, "after": TOKEN},
    "relationships": {"a": ID, "others": Arg("ids", maximum=500), "after": TOKEN},
    "profiles": {"ids": Arg("ids", maximum=500), "viewer": VIEWER, "after": TOKEN},
    "suggest": {
        "user": ID,
        "follow_back": FLAG,
        "close_friends": FLAG,
        "limit": Arg("limit", maximum=100),
        "after": TOKEN,
    },
    "known_followers": {"viewer": ID, "target": ID, **PAGE},
    "post_add": {
        "id": ID,
        "author": ID,
        "visibility": choice(v.VISIBILITIES),
        "created_at": TIME,
        "duet_policy": choice(v.MEDIA_POLICIES, optional=True),
        "stitch_policy": choice(v.MEDIA_POLICIES, optional=True),
    },
    "post_show": {"id": POST_ID, "after": TOKEN},
    "post_set_visibility": {"id": POST_ID, "visibility": choice(v.VISIBILITIES)},
    "post_delete": {"id": POST_ID},
    "audience": {"post": ID, "as_author": FLAG, **PAGE},
    "profile_for": {"viewer": VIEWER, "user": ID, "after": TOKEN},
    "preview_change": {"change": Arg("change"), "limit": LIMIT, "cursor": CURSOR, "after": TOKEN},
    "can_view": {"viewer": VIEWER, "post": ID, "after": TOKEN},
    "can_view_many": {"viewer": VIEWER, "posts": Arg("ids", maximum=500), "after": TOKEN},
    "can_comment": {"actor": ACTOR, "post": ID, "after": TOKEN},
    "can_duet": {"actor": ACTOR, "post": ID, "after": TOKEN},
    "can_stitch": {"actor": ACTOR, "post": ID, "after": TOKEN},
    "can_message": {"sender": ID, "recipient": ID, "after": TOKEN},
    "interact": {"kind": choice(KINDS), "actor": ID, "target": Arg("id", ("post", "recipient")), "at": TIME},
    "feed": {"viewer": ID, "tab": choice(TABS), "limit": Arg("limit", maximum=200), "cursor": CURSOR, "after": TOKEN},
    "query": {"cypher": Arg("cypher"), "params": Arg("params"), "write": FLAG, "after": TOKEN},
    "events": {"after": Arg("seq"), "limit": Arg("limit", maximum=1000)},
    "events_prune": {"older_than_days": Arg("days")},
    "report_run": {"name": Arg("id", ("report",)), "params": Arg("params"), "chart": path("chart", optional=True)},
    "report_show": {"name": Arg("id", ("report",))},
    "draw": {"user": ID, "out": path("out"), "limit": Arg("limit", maximum=500)},
    "import_": {
        "kind": choice(tuple(BULK_KINDS), field="kind"),
        "file": path("file"),
        "format": choice(("csv", "jsonl"), optional=True, field="format"),
        "batch_size": Arg("limit", ("batch_size",), maximum=100_000),
        "rejects": path("rejects", optional=True),
        "checks": Arg("flag", ("checks",)),
        "progress": Arg("callable", ("progress",)),
    },
    "export": {"directory": path("directory"), "format": choice(("csv", "jsonl"), field="format")},
    "reset": {"batch_size": Arg("limit", ("batch_size",), maximum=100_000), "progress": Arg("callable", ("progress",))},
}
# public methods without data input, with the reason they are not fuzzed
EXEMPT = {
    "from_env": "configuration, not data (test_hostile_input.py::test_bad_settings_name_their_variable)",
    "close": "takes no input",
    "apply_schema": "takes no input",
    "ping": "takes no input",
    "doctor": "takes no input",
    "demo": "its one flag (force) is checked in tests/test_admin.py; it loads the sample community by design",
    "report_list": "takes no input (a bad MUTUALS_REPORTS_DIR: tests/test_reports.py)",
    "events_follow": "a never-ending loop over Engine.events (whose after and limit are fuzzed); its own"
    " checks: tests/test_engine_loops.py",
}
# other classes of the public API that take input and must be fuzzed too (an async engine...)
FUZZED_CLASSES = {"Engine", "AsyncEngine"}

# CLI commands without data input, or that manage the server process
CLI_EXEMPT = {
    "db start": "manages the server process (tests/test_embedded.py, tests/test_faults.py)",
    "db stop": "manages the server process",
    "db status": "manages the server process",
    "demo": "its --force is tested in tests/test_admin.py; it loads the sample community by design",
    "db reset": "deletes everything by design; its input is fuzzed through Engine.reset",
    "doctor": "takes no input",
    "events prune": "deletes events by design; its input is fuzzed through Engine.events_prune",
    "report list": "takes no input",
    "console": "serves the web console until interrupted; its input is tested in the browser (tests/test_console.py)",
}
CLI_NEVER = {"--write": "would let the fuzz change data on purpose"}
# plausible values of CLI parameters by name (ids otherwise)
PREVIEW_COMMANDS = ("visibility", "private", "public", "approve", "block")
CLI_PLAUSIBLE = {
    "visibility": "public",
    "new_visibility": "friends",
    "author": "ghost",  # post add writes: an author that does not exist, so nothing is created
    "tab": "following",
    "name": "friends",
    "cypher": "RETURN 1 AS one",
    "param": "x=1",
    "at": "2026-01-01T00:00:00Z",
    "limit": "5",
    "dm_policy": "everyone",
    "comment_policy": "everyone",
    "duet_policy": "everyone",
    "stitch_policy": "everyone",
    "followers_visibility": "everyone",
    "following_visibility": "everyone",
    "until": "7d",
    "duet": "everyone",
    "stitch": "everyone",
    "out": "ego.png",  # the CLI cases run in a temporary directory
}
POST_ARGUMENTS = {"target", "post", "id"}


def public_methods(cls: type) -> list[str]:
    return sorted(name for name, member in inspect.getmembers(cls) if callable(member) and not name.startswith("_"))


def parameters(name: str) -> list[str]:
    signature = inspect.signature(getattr(Engine, name))
    return [
        p.name
        for p in signature.parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def writes(name: str) -> bool:
    source = inspect.getsource(getattr(Engine, name))
    return "self._conn.write(" in source and "rollback=True" not in source  # a rolled-back write reads


def leaf_commands(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    for name, command in group.commands.items():
        if getattr(command, "commands", None):
            yield from leaf_commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


COMMANDS = dict(leaf_commands(get_command(app)))


# command -> the Engine method it calls, where the names differ (the CLI mirrors the engine)
CLI_METHOD: dict[str, str] = {"import": "import_", **{f"preview {k}": "preview_change" for k in PREVIEW_COMMANDS}}


def engine_method_of(command: str) -> str | None:
    """The Engine method a command calls (the CLI mirrors the engine, snake_case)."""
    words = command.replace("-", "_").split(" ")
    for candidate in (CLI_METHOD.get(command, ""), "_".join(words), words[0]):
        if candidate in SPEC:
            return candidate
    return None


# -- the world ------------------------------------------------------------------------------------


@dataclass
class World:
    engine: Engine
    before: tuple[dict[str, int], str]
    crafted: dict[str, list[Any]]


@pytest.fixture(scope="module")
def world(session_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    eng = session_engine
    wipe(eng)
    people(eng, "ann", "ben", "cat", "dan", "eve", "pia", private=("pia",))
    follows(eng, "ann<>ben", "ann<>cat", "dan>ann", "eve>ann", "ben>pia")
    eng.block("eve", "cat")
    eng.post_add("p1", "ann", "public", created_at="2026-01-01T00:00:00Z")
    eng.post_add("p2", "ben", "friends", created_at="2026-01-02T00:00:00Z")
    eng.post_add("p3", "pia", "followers", created_at="2026-01-03T00:00:00Z")
    eng.post_add("p4", "ann", "followers", created_at="2026-01-04T00:00:00Z")
    eng.interact("like", "ben", "p1")
    eng.interact("comment", "cat", "p1", at="2026-01-05T00:00:00Z")
    token = eng.interact("message", "ben", "ann", at="2026-01-05T00:00:00Z").token
    scratch = tmp_path_factory.mktemp("fuzz-files")
    (scratch / "users.csv").write_text("id\n")  # importing it changes nothing
    paths = {"file": str(scratch / "users.csv"), "out": str(scratch / "ego.png"), "directory": str(scratch / "export")}
    now = int(datetime.now(UTC).timestamp())
    secret = eng._conn.cursor_secret
    good = [
        eng.followers("ann", limit=1).next_cursor,
        eng.friends("ann", limit=1).next_cursor,
        eng.feed("ben", limit=1).next_cursor,
        eng.audience("p4", limit=1).accounts.next_cursor,
    ]
    assert all(good)
    crafted: dict[str, list[Any]] = {
        "good_cursors": good,
        "bad_cursors": [
            forge_cursor("mutuals-cursor", "followers:ann", "ben", now),  # the old public key
            forge_cursor(secret, "followers:ann", "ben", now - 3 * 24 * 3600),  # expired
            forge_cursor(secret, "followers:ann", "'}) DETACH DELETE n //", now),  # genuine, evil key
            forge_cursor(secret, "feed:following:ben", ["9999-99-99", "p1"], now),
            forge_cursor(secret, "feed:for_you:ben", ["2026-01-01T00:00:00+00:00", "NaN", "x", "p1"], now),
            *(c[:-1] + ("0" if c[-1] != "0" else "1") for c in good if c),  # one character off
            *(c.split(".")[0] for c in good if c),  # signature removed
            "YQ.é",  # a non-ASCII signature (was a TypeError)
            "Y\udcffQ.00",
        ],
        "statements": STATEMENTS,
        "tokens": [token],
        "paths": paths,
        "bad_methods": [print, len, "friends", None, 1, eng.user_show, eng.audience, eng.relationship, Engine.friends],
    }
    yield World(eng, snapshot(eng), crafted)


def matches(field: str, names: tuple[str, ...]) -> bool:
    return any(field == n or field.startswith((f"{n}[", f"{n}.")) for n in names)


def fields_of(name: str, param: str) -> tuple[str, ...]:
    return SPEC[name][param].fields or (param,)


FIGURES: dict[str, dict[str, int]] = {}
finished: dict[str, int] = {"engine": 0, "reads": 0, "cli": 0}  # how many fuzz tests ran to the end


def count(section: str, handled: bool, answer: str) -> None:
    """One case tried; ``answer`` is what it got (invalid_input, not_found, result, exit_2...)."""
    figures = FIGURES.setdefault(section, {"tried": 0, "handled": 0})
    figures["tried"] += 1
    figures["handled"] += int(handled)
    figures[answer] = figures.get(answer, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def _record_figures() -> Iterator[None]:
    yield
    # only a complete run's figures replace the recorded ones (not a run of a few tests with -k)
    complete = {"engine": len(SPEC), "reads": len(READS), "cli": len(COMMANDS) - len(CLI_EXEMPT)}
    if finished == complete:
        record(
            "fuzz",
            COMMAND,
            engine_methods=len(SPEC),
            cli_commands=len(COMMANDS) - len(CLI_EXEMPT),
            **{f"{section}_{key}": n for section, figures in FIGURES.items() for key, n in figures.items()},
        )


SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# -- coverage of the entry points -------------------------------------------------------------


def test_every_entry_point_is_covered() -> None:
    methods = set(public_methods(Engine))
    assert sorted(methods - set(SPEC) - set(EXEMPT)) == [], "public Engine methods not covered by the fuzz"
    assert sorted((set(SPEC) | set(EXEMPT)) - methods) == [], "the fuzz table names methods that are gone"
    for name, args in SPEC.items():
        assert parameters(name) == list(args), f"{name}: parameters and fuzz table differ"
    classes = {n for n in engine_package.__all__ if n.endswith("Engine") or "Async" in n}
    assert classes <= FUZZED_CLASSES, f"public classes not covered by the fuzz: {classes - FUZZED_CLASSES}"
    uncovered = [c for c in COMMANDS if c not in CLI_EXEMPT and engine_method_of(c) is None]
    assert uncovered == [], "CLI commands not covered by the fuzz"
    for command in COMMANDS:
        for param in COMMANDS[command].params:
            if param.required and param.param_type_name == "option":
                assert param.name in CLI_PLAUSIBLE, f"{command}: option {param.name} has no plausible value"


# -- the engine: one hostile argument at a time ---------------------------------------------------


class Spy:
    """Counts the statements the engine sends (an invalid value must never reach the database)."""

    def __init__(self, conn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        for attr in ("read", "write", "run_text", "perform"):  # perform: every request, imports too
            monkeypatch.setattr(conn, attr, self._wrap(getattr(conn, attr)))

    def _wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return real(*args, **kwargs)

        return counted


def refuses_each_hostile_argument(
    world: World, name: str, method: Callable[..., Any], spy: Spy, cases: int, section: str
) -> None:
    """One hostile argument at a time: InvalidInput naming it, before anything reaches Neo4j."""
    spec = SPEC[name]
    base = {p: arg.valid(i, world) for i, (p, arg) in enumerate(spec.items())}

    @settings(SETTINGS, max_examples=cases)
    @given(data=st.data())
    def case(data: st.DataObject) -> None:
        param = data.draw(st.sampled_from(sorted(spec)), label="param")
        value = data.draw(spec[param].hostile(world.crafted), label="value")
        calls_before = spy.calls
        handled, answer = False, "crash"
        try:
            method(**{**base, param: value})
            answer = "result"
            assert spec[param].maybe, f"{name}({param}={value!r}) was accepted"
            handled = True
        except InvalidInput as e:
            answer = "invalid_input"
            assert matches(e.field, fields_of(name, param)), f"{name}({param}=...) blamed {e.field}"
            assert spy.calls == calls_before, f"{name}({param}={value!r}) reached the database"
            assert e.field in str(e) and "\n" not in str(e)
            handled = True
        except (NotFound, QueryError, ReadOnly) as e:
            answer = type(e).__name__
            assert spec[param].maybe, f"{name}({param}={value!r}) got past validation"
            handled = True
        finally:
            count(section, handled, answer)

    case()
    assert snapshot(world.engine) == world.before, f"{name} changed the data"


@pytest.mark.reliability
@pytest.mark.parametrize("name", sorted(SPEC))
def test_engine_method_refuses_each_hostile_argument(world: World, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(world.engine._conn, monkeypatch)
    refuses_each_hostile_argument(world, name, getattr(world.engine, name), spy, ENGINE_CASES, "engine_validation")
    finished["engine"] += 1


@pytest.mark.reliability
@pytest.mark.parametrize("name", sorted(n for n in SPEC if n != "walk"))  # walk's checks are walk_arguments, shared
def test_async_engine_method_refuses_each_hostile_argument(
    world: World, session_async_engine: Any, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AsyncEngine's verbs are generated from Engine's and build the same plans; this checks that
    they validate before any I/O too (fewer cases: the validation code is the same)."""
    spy = Spy(session_async_engine.async_engine._conn, monkeypatch)
    method = getattr(session_async_engine, name)
    refuses_each_hostile_argument(world, name, method, spy, ASYNC_CASES, "async_engine_validation")


# -- the engine: reads with plausible and hostile values ------------------------------------------

# walk takes methods; the others read or write files (their reads are tested in test_reports/test_bulk)
NOT_READS = {"walk", "draw", "report_run", "import_", "export", "reset"}  # reset deletes everything
READS = sorted(n for n in SPEC if not writes(n) and n not in NOT_READS)


@pytest.mark.reliability
@pytest.mark.parametrize("name", READS)
def test_engine_reads_answer_or_refuse_cleanly(world: World, name: str) -> None:
    spec = SPEC[name]
    method = getattr(world.engine, name)
    hints = typing.get_type_hints(getattr(Engine, name), vars(mutuals.core))
    returns = typing.get_origin(hints["return"]) or hints["return"]

    @settings(SETTINGS, max_examples=READ_CASES)
    @given(data=st.data())
    def case(data: st.DataObject) -> None:
        kwargs: dict[str, Any] = {}
        suspects: set[str] = set()
        for param, arg in spec.items():
            hostile = data.draw(st.integers(0, 3), label=f"{param} hostile?") == 0
            if param == "write":
                kwargs[param] = False
                continue
            kwargs[param] = data.draw(arg.hostile(world.crafted) if hostile else arg.plausible(world.crafted))
            if hostile or arg.kind in {"cursor", "cypher", "params"}:
                suspects.update(fields_of(name, param))
        ids = [value for p, value in kwargs.items() if spec[p].kind in {"id", "viewer"}]
        if len(set(map(repr, ids))) < len(ids) or any(
            isinstance(value, list) and set(map(repr, value)) & set(map(repr, ids)) for value in kwargs.values()
        ):
            suspects.update(p for p in spec if spec[p].kind in {"id", "ids"})  # a pair of the same account
        if name == "suggest" and kwargs.get("follow_back") is True and kwargs.get("close_friends") is True:
            suspects.add("close_friends")  # two kinds of suggestion at once: invalid input, naming close_friends
        handled, answer = False, "crash"
        try:
            result = method(**kwargs)
            answer = "result"
            assert isinstance(result, returns), f"{name} returned {type(result).__name__}"
            handled = True
        except InvalidInput as e:
            answer = "invalid_input"
            assert any(matches(e.field, (s,)) for s in suspects), f"{name}({kwargs!r}) blamed {e.field}"
            handled = True
        except (NotFound, NotAllowed) as e:
            answer = type(e).__name__
            handled = True
        except (QueryError, ReadOnly) as e:
            answer = type(e).__name__
            assert name == "query", f"{name} sent something the database refused"
            handled = True
        finally:
            count("engine_reads", handled, answer)

    case()
    assert snapshot(world.engine) == world.before, f"{name} changed the data"
    finished["reads"] += 1


# -- the CLI --------------------------------------------------------------------------------------

runner = CliRunner()
cli_texts = texts.filter(
    lambda s: (
        not_an_id(s)
        and all(normal(s) not in group for group in (SEGMENTS, TABS, KINDS, v.VISIBILITIES, v.MEDIA_POLICIES))
    )
)
cli_limits = st.one_of(
    st.sampled_from(["0", "-1", "1001", "abc", "1.5", "", "99999999999999999999999", "1e3", "\udcff", "0x10"]),
    st.integers().filter(lambda n: n < 1 or n > 1000).map(str),
    cli_texts,
)

# what else to try on some CLI parameters
CLI_HOSTILE = {
    "cypher": st.one_of(cli_texts, st.sampled_from(STATEMENTS)),
    "param": st.one_of(
        cli_texts,
        st.sampled_from(
            ["x", "=1", "x=" + "[" * 5000, "x=\udcff", "[/]=1", "x=1e999", "x=" + "9" * 5000, 'x={"a": {"b": [1]}}']
        ),
        st.builds(lambda value: f"x={value}", cli_texts),
    ),
}


def _argv(command: str, data: st.DataObject, write: bool) -> list[str]:
    params = COMMANDS[command].params
    targets = [p for p in params if not getattr(p, "is_flag", False) and p.opts[0] not in CLI_NEVER]
    # some cases of a read are all plausible (the answer is rendered); the others have one hostile value
    choices = [*targets, *targets, *targets] if write else [None, *targets, *targets, *targets]
    target = data.draw(st.sampled_from(choices), label="hostile parameter")
    argv = command.split(" ")
    ids = iter(["ghost1", "ghost2"] if write else ["ann", "ben"])
    for p in params:
        if getattr(p, "is_flag", False):
            if p.opts[0] not in CLI_NEVER and data.draw(st.booleans()):
                argv.append(data.draw(st.sampled_from(p.opts + p.secondary_opts)))
            continue
        if p is target:
            hostile = CLI_HOSTILE.get(p.name, cli_limits if getattr(p, "min", None) is not None else cli_texts)
            value = data.draw(hostile, label=p.name)
        elif p.param_type_name == "argument":
            if p.name in CLI_PLAUSIBLE:
                value = CLI_PLAUSIBLE[p.name]
            elif p.name in POST_ARGUMENTS and argv[0] in {"can", "interact", "audience", "post"} and not write:
                value = "p1" if "message" not in argv else next(ids)
            else:
                value = next(ids)
        elif p.required:
            value = CLI_PLAUSIBLE[p.name]
        else:
            continue
        if p.param_type_name == "argument":
            argv.append(value)
        else:
            argv += [p.opts[0], value]
    return argv  # a hostile value that looks like an option (--json) gets a usage error: right too


@pytest.mark.reliability
@pytest.mark.parametrize("command", sorted(c for c in COMMANDS if c not in CLI_EXEMPT))
def test_cli_command_answers_hostile_input_in_one_line(
    world: World, env: dict[str, str], command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative path in a case (export DIR, draw --out) lands here
    method = engine_method_of(command)
    assert method is not None
    write = writes(method)

    @settings(SETTINGS, max_examples=CLI_CASES)
    @given(data=st.data())
    def case(data: st.DataObject) -> None:
        argv = _argv(command, data, write)
        handled, answer = False, "crash"
        try:
            result = runner.invoke(app, argv)
            answer = f"exit_{result.exit_code}"
            output = result.stdout + result.stderr
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
            assert "Traceback" not in output and "\x1b" not in output
            assert result.exit_code in {0, 2, 3, 4, 6, 7}, (argv, result.exit_code, output)
            if result.exit_code not in {0, 4}:
                lines = result.stderr.strip().splitlines()
                assert len(lines) == 1 and lines[0].startswith("error: "), (argv, result.stderr)
                assert result.stdout == ""
            handled = True
        finally:
            count("cli", handled, answer)

    case()
    assert snapshot(world.engine) == world.before, f"{command} changed the data"
    finished["cli"] += 1
