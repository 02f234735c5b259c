"""Hostile input, case by case: each test here is a bug the fuzzing found (or a hole a careful
reviewer found), kept so it cannot come back. The broad search is in test_fuzz.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from helpers import follows, forge_cursor, people
from typer.testing import CliRunner

from mutuals import Config, Engine, InvalidInput
from mutuals.cli.main import app
from mutuals.io import cursor as cursor_module
from mutuals.io.cursor import Cursors

runner = CliRunner()


@pytest.fixture
def world(engine: Engine) -> Engine:
    people(engine, "ann", "ben", "cat", "dan")
    follows(engine, "ben>ann", "cat>ann", "dan>ann", "ann<>ben")
    engine.post_add("p1", "ann", "public", created_at="2026-01-01T00:00:00Z")
    engine.post_add("p2", "ann", "public", created_at="2026-01-02T00:00:00Z")
    return engine


# -- timestamps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:00:00-05:00",  # year 10000 in UTC: was an OverflowError
        "0001-01-01T00:00:00+05:00",  # year 0 in UTC: was an OverflowError
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        "2026-01-01T00:00:00\x00",  # Python's fromisoformat accepts a trailing NUL
        "1969-12-31T23:59:59Z",
        "２０２６-01-01",
    ],
)
def test_timestamps_out_of_range_or_malformed_are_invalid_input(world: Engine, moment: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.post_add("p9", "ann", "public", created_at=moment)
    assert caught.value.field == "created_at"
    with pytest.raises(InvalidInput) as caught:
        world.interact("like", "ben", "p1", at=moment)
    assert caught.value.field == "at"
    assert world.post_show("p1").likes == 0


def test_timestamps_at_the_edges_are_accepted(world: Engine) -> None:
    assert world.post_add("p8", "ann", "public", created_at="9999-12-31T23:59:59+00:00").outcome == "created"
    assert world.post_add("p7", "ann", "public", created_at="1970-01-01T00:00:00Z").outcome == "created"
    assert world.post_show("p7").created_at == datetime(1970, 1, 1, tzinfo=UTC)


# -- text that cannot be encoded ------------------------------------------------------------


def test_lone_surrogates_are_invalid_input_not_a_driver_crash(world: Engine) -> None:
    # what undecodable bytes on a command line become in Python (surrogateescape)
    with pytest.raises(InvalidInput) as caught:
        world.query("RETURN '\udcff' AS x")
    assert caught.value.field == "cypher"
    with pytest.raises(InvalidInput) as caught:
        world.query("RETURN $x AS x", {"x": ["ok", {"deep": "\udcff"}]})
    assert caught.value.field == "params.x[1].deep"


def test_query_write_flag_must_be_a_real_boolean(world: Engine) -> None:
    # a truthy string once opened a write transaction
    with pytest.raises(InvalidInput) as caught:
        world.query("CREATE (:Evil)", write="false")  # type: ignore[arg-type]
    assert caught.value.field == "write"
    with pytest.raises(InvalidInput):
        world.query("RETURN 1", [])  # type: ignore[arg-type]
    assert world.query("MATCH (e:Evil) RETURN count(e) AS n").rows == ({"n": 0},)


def test_walk_refuses_what_is_not_a_paginated_list(world: Engine) -> None:
    with Engine(world.config, apply_schema=False) as other:
        for method in (print, "friends", world.user_show, world.audience, other.friends):
            with pytest.raises(InvalidInput) as caught:
                world.walk(method, "ann")  # type: ignore[arg-type]
            assert caught.value.field == "method"
    with pytest.raises(InvalidInput) as caught:
        world.walk(world.followers, "ann", page_size=0)
    assert caught.value.field == "page_size"
    with pytest.raises(InvalidInput) as caught:
        world.walk(world.followers, "ann", limit=3)
    assert caught.value.field == "limit"
    assert list(world.walk(world.followers, "ann", page_size=1)) == ["ben", "cat", "dan"]


# -- cursors --------------------------------------------------------------------------------


def test_cursors_signed_with_a_public_key_are_refused(world: Engine) -> None:
    # the key used to be a constant in the source: anyone could sign any cursor
    now = int(datetime.now(UTC).timestamp())
    for secret in ("mutuals-cursor", None, ""):
        with pytest.raises(InvalidInput, match="forged") as caught:
            world.followers("ann", cursor=forge_cursor(secret, "followers:ann", "ben", now))
        assert caught.value.field == "cursor"


def test_cursors_survive_between_engines_with_the_same_credentials(world: Engine) -> None:
    cursor = world.followers("ann", limit=1).next_cursor
    with Engine(world.config, apply_schema=False) as other:  # another process of the same service
        assert other.followers("ann", limit=1, cursor=cursor).items == ("cat",)
    rotated = world.config.with_(cursor_secret="rotated")
    with Engine(rotated, apply_schema=False) as other, pytest.raises(InvalidInput, match="forged"):
        other.followers("ann", limit=1, cursor=cursor)


def test_genuine_cursors_with_a_bad_key_are_refused(world: Engine) -> None:
    now = int(datetime.now(UTC).timestamp())
    secret = world._conn.cursor_secret
    for key in ("a b", "x" * 65, 7, None, ["ben"], "\udcff"):
        with pytest.raises(InvalidInput) as caught:
            world.followers("ann", cursor=forge_cursor(secret, "followers:ann", key, now))
        assert caught.value.field == "cursor"
    for key in (["2026-01-01T00:00:00+00:00", "a b"], ["not a time", "p1"], "p1", [1, 2, 3]):
        with pytest.raises(InvalidInput) as caught:
            world.feed("ben", cursor=forge_cursor(secret, "feed:following:ben", key, now))
        assert caught.value.field == "cursor"
    for score in (float("nan"), float("inf"), True, "1"):
        key = [datetime.now(UTC).isoformat(), score, "2026-01-01T00:00:00+00:00", "p1"]
        with pytest.raises(InvalidInput) as caught:
            world.feed("ben", tab="for_you", cursor=forge_cursor(secret, "feed:for_you:ben", key, now))
        assert caught.value.field == "cursor"


@pytest.mark.parametrize("cursor", ["YQ.é", "é.é", "YQ.\udcff", "\x00.\x00", "Y\udcffQ.00", "." * 2, "YQ." + "0" * 20])
def test_cursors_with_non_ascii_signatures_are_refused_not_a_type_error(world: Engine, cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.followers("ann", cursor=cursor)
    assert caught.value.field == "cursor"


def test_stale_cursors_expire(world: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    day_ago = datetime.now(UTC).timestamp() - cursor_module.DEFAULT_TTL - 60

    class Yesterday:
        @staticmethod
        def time() -> float:
            return day_ago

    monkeypatch.setattr(cursor_module, "time", Yesterday)
    list_cursor = world.followers("ann", limit=1).next_cursor
    feed_cursor = world.feed("ben", limit=1).next_cursor
    assert list_cursor and feed_cursor
    monkeypatch.undo()
    with pytest.raises(InvalidInput, match="expired") as caught:
        world.followers("ann", limit=1, cursor=list_cursor)
    assert caught.value.field == "cursor"
    with pytest.raises(InvalidInput, match="expired"):
        world.feed("ben", limit=1, cursor=feed_cursor)
    # a cursor made now still works, and a tiny time-to-live expires it
    fresh = world.feed("ben", limit=1).next_cursor
    assert [i.id for i in world.feed("ben", limit=1, cursor=fresh).items] == ["p1"]
    short = Cursors("k", ttl_seconds=-1)
    with pytest.raises(InvalidInput, match="expired"):
        short.read("s", short.make("s", "x"))


# -- what the CLI prints ---------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_column_names_and_values_are_text_never_markup_or_escapes(world: Engine, env: dict[str, str]) -> None:
    # `[/]` as a column name crashed rich, and the crash handler crashed on the same text
    code, out, err = _run("query", 'RETURN 1 AS `[/]`, "a\u001b]0;pwned\u0007b\u202e" AS `[red]x`')
    assert code == 0, err
    assert "[/]" in out and "[red]x" in out
    assert "\x1b]" not in out and "\u202e" not in out
    assert "\\x1b]0;pwned\\x07b\\u202e" in out
    code, out, _ = _run("query", 'RETURN "\u001b[31m" AS v', "--json")
    assert json.loads(out) == [{"v": "\x1b[31m"}]  # JSON keeps the data exact (escaped by JSON itself)


def test_errors_echoing_hostile_text_stay_one_safe_line(world: Engine, env: dict[str, str]) -> None:
    code, out, err = _run("query", "RETURN [/] \u001b[2J\nx")
    assert code == 7
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "\x1b" not in err
    code, _, err = _run("query", "RETURN '\udcff' AS x")
    assert code == 2 and err.startswith("error: cypher:")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["feed", "ann", "--limit", "abc"], "--limit"),
        (["feed", "ann", "--limit", "0"], "--limit"),
        (["follow"], "Missing argument"),
        (["folow", "ann", "ben"], "No such command"),
        (["--uri"], "--uri"),
        (["user", "add", "ann", "--dm-policy"], "--dm-policy"),
    ],
)
def test_usage_errors_are_one_line(env: dict[str, str], args: list[str], needle: str) -> None:
    code, out, err = _run(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ") and needle in err and "Traceback" not in err


def test_query_parameters_nested_thousands_deep(env: dict[str, str]) -> None:
    code, out, err = _run("query", "RETURN $x AS x", "-p", "x=" + "[" * 5000)  # was a RecursionError
    assert code == 2 and out == ""
    assert err.startswith("error: --param x:") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MUTUALS_PORT", "abc"),
        ("MUTUALS_RETRY_SECONDS", "soon"),
        ("MUTUALS_AUTO_START", "maybe"),
        ("MUTUALS_CONNECT_TIMEOUT", "1e"),
        ("MUTUALS_MAX_POOL_SIZE", "'}) DETACH DELETE n //"),
        ("NEO4J_URI", "ftp://127.0.0.1:1"),
        ("NEO4J_URI", "bolt://neo4j:s3cr3t@[::1"),
    ],
)
def test_bad_settings_name_their_variable(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    code, out, err = _run("friends", "ann")
    assert code == 2 and out == ""
    assert err.startswith(f"error: {name}:") and len(err.strip().splitlines()) == 1
    assert "s3cr3t" not in err
    with pytest.raises(InvalidInput) as caught:
        Engine(Config.from_env())
    assert caught.value.field == name
