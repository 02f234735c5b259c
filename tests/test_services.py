"""For backend services: AsyncEngine parity, consistency tokens across engines, the event outbox."""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import neo4j
import pytest
from helpers import follows, people
from test_cli import run, run_json

from mutuals import AsyncEngine, Config, DatabaseUnavailable, Engine, Expired, InvalidInput
from mutuals.io.tokens import decode

# -- AsyncEngine is Engine, awaitable -----------------------------------------------------------


def test_async_verbs_are_generated_from_engine_and_up_to_date() -> None:
    from tools.unasync import SOURCE, TARGET, generate, main

    assert TARGET.read_text() == generate(SOURCE.read_text()), "run `make generate`"
    assert main(["--check"]) == 0


def _public(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    }


def test_async_engine_has_every_method_of_engine_with_the_same_signature() -> None:
    sync, aio = _public(Engine), _public(AsyncEngine)
    assert set(sync) == set(aio) - {"open"}
    for name, signature in sync.items():
        # walk takes each engine's own methods, events_follow each one's own kind of stop event
        own = {"method", "stop"}
        shape = [(p.name, p.kind, p.default, p.annotation) for p in signature.parameters.values() if p.name not in own]
        twin = [(p.name, p.kind, p.default, p.annotation) for p in aio[name].parameters.values() if p.name not in own]
        assert shape == twin, name
        assert [p for p in signature.parameters if p in own] == [p for p in aio[name].parameters if p in own], name
        if name not in {"walk", "demo", "from_env", "events_follow"}:
            assert inspect.iscoroutinefunction(getattr(AsyncEngine, name)), name
    for name in sync:
        assert getattr(Engine, name).__doc__, f"Engine.{name} has no docstring"


def test_async_engine_natively_in_asyncio(config: Config, session_engine: Engine) -> None:
    from helpers import wipe

    wipe(session_engine)

    async def main() -> list[str]:
        async with AsyncEngine(config) as engine:
            for uid in ("ann", "ben", "cat"):
                await engine.user_add(uid)
            await asyncio.gather(engine.follow("ann", "ben"), engine.follow("ann", "cat"))
            outcome = await engine.follow("ben", "ann")
            assert outcome.outcome == "became_friends" and outcome.token
            profiles = await engine.profiles(["ann", "ben"], after=outcome.token)
            assert [(p.account.id, p.following, p.friends) for p in profiles] == [("ann", 2, 1), ("ben", 1, 1)]
            steps = [step.title async for step in engine.demo(force=True)]
            assert len(steps) > 10
            return [item async for item in engine.walk(engine.following, "ann", page_size=1)]

    assert asyncio.run(main()) == ["ben", "cat"]


# -- consistency tokens -------------------------------------------------------------------------


def test_a_write_is_visible_through_another_engine_with_its_token(engine: Engine, config: Config) -> None:
    people(engine, "ann", "ben")
    with Engine(config) as other:
        outcome = engine.follow("ann", "ben")
        assert outcome.token is not None
        assert other.followers("ben", after=outcome.token).items == ("ann",)
        assert other.relationship("ann", "ben", after=outcome.token).following is True

        async def read_async() -> tuple[str, ...]:
            async with AsyncEngine(config, apply_schema=False) as aio:
                written = await aio.follow("ben", "ann")
                assert written.token
                seen = other.friends("ann", after=written.token).items
                assert seen == ("ben",)
                return (await aio.friends("ben", after=outcome.token)).items

        assert asyncio.run(read_async()) == ("ann",)


def test_every_write_returns_a_token_and_reads_accept_it(engine: Engine) -> None:
    people(engine, "ann")
    token = engine.user_add("ben").token
    assert token and decode(token) is not None
    assert engine.user_show("ben", after=token).account.id == "ben"
    assert engine.segments("ben", after=token).friends == 0
    assert engine.query("MATCH (a:Account) RETURN count(a) AS n", after=token).rows == ({"n": 2},)


@pytest.mark.parametrize("bad", ["nope", "ct1.!!!", "ct1." + base64.urlsafe_b64encode(b"[1]").decode(), 5])
def test_bad_tokens_are_refused(engine: Engine, bad: object) -> None:
    people(engine, "ann")
    with pytest.raises(InvalidInput) as caught:
        engine.user_show("ann", after=bad)  # type: ignore[arg-type]
    assert caught.value.field == "after"


def test_a_token_ahead_of_the_server_makes_the_read_wait_then_fail(engine: Engine, config: Config) -> None:
    """Proves the token reaches the server: a bookmark for a transaction that never happened."""
    token = engine.user_add("ann").token
    assert token
    (value,) = json.loads(base64.urlsafe_b64decode(token[4:] + "=" * (-len(token[4:]) % 4)))
    prefix, body = value.split(":", 1)
    raw = base64.b64decode(body + "=" * (-len(body) % 4))
    assert raw[:3] == bytes([0x91, 0xCC, 0x10]) and raw[-1] == 0x90, f"unexpected bookmark layout {raw.hex()}"
    future = raw[:19] + bytes([0xCA]) + (2**31 - 1).to_bytes(4, "big") + bytes([0x90])
    forged = f"{prefix}:{base64.b64encode(future).decode()}"
    forged_token = "ct1." + base64.urlsafe_b64encode(json.dumps([forged]).encode()).decode().rstrip("=")
    with (
        Engine(config.with_(retry_seconds=0.0), apply_schema=False) as impatient,
        pytest.raises(DatabaseUnavailable) as caught,
    ):
        impatient.user_show("ann", after=forged_token)
    assert "consistency token" in str(caught.value)


# -- bulk work: one path on either engine, with a token ------------------------------------------


def _follows_file(tmp_path: Path) -> Path:
    path = tmp_path / "follows.csv"
    path.write_text("follower,followee\nann,ben\ncat,ben\nann,cat\n")
    return path


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_a_read_given_the_token_of_an_import_sees_the_import(
    flavor: str, config: Config, session_engine: Engine, tmp_path: Path
) -> None:
    from helpers import wipe

    wipe(session_engine)
    people(session_engine, "ann", "ben", "cat")
    source = _follows_file(tmp_path)

    async def on_async() -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
        async with AsyncEngine(config) as engine:
            summary = await engine.import_("follows", source, batch_size=2)
            return (
                summary,
                (await engine.followers("ben", after=summary.token)).items,
                (await engine.following("ann", after=summary.token)).items,
            )

    if flavor == "async":
        summary, followers, following = asyncio.run(on_async())
    else:
        with Engine(config) as engine:
            summary = engine.import_("follows", source, batch_size=2)
            followers = engine.followers("ben", after=summary.token).items
            following = engine.following("ann", after=summary.token).items
    assert (summary.written, summary.batches) == (3, 2)
    assert summary.token is not None and decode(summary.token) is not None
    assert sorted(followers) == ["ann", "cat"] and sorted(following) == ["ben", "cat"]
    with Engine(config) as other:  # an engine that shares no bookmarks with the importer
        assert other.relationship("cat", "ben", after=summary.token).following is True
        assert sorted(other.followers("cat", after=summary.token).items) == ["ann"]


def test_the_async_engine_imports_and_exports_without_a_synchronous_driver(
    config: Config, session_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import wipe

    wipe(session_engine)
    people(session_engine, "ann", "ben", "cat")
    opened: list[Any] = []
    real = neo4j.GraphDatabase.driver

    def counted(*args: Any, **kwargs: Any) -> Any:
        driver = real(*args, **kwargs)
        opened.append(driver)
        return driver

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", staticmethod(counted))

    async def main() -> tuple[int, dict[str, int]]:
        async with AsyncEngine(config) as engine:
            summary = await engine.import_("follows", _follows_file(tmp_path))
            exported = await engine.export(tmp_path / "dump")
            return summary.written, exported.rows

    written, rows = asyncio.run(main())
    assert written == 3 and rows["follows"] == 3 and rows["users"] == 3
    assert (tmp_path / "dump" / "follows.csv").read_text().count("\n") == 4  # the header and the follows
    assert opened == []  # no synchronous driver (and so no second bookmark manager) was opened
    with Engine(config) as sync:  # the observation works: a sync engine does open one
        assert sync.followers("ben").items
    assert len(opened) == 1


# -- events ---------------------------------------------------------------------------------------


def _types(engine: Engine, after: int = 0) -> list[tuple[str, str | None, str | None]]:
    return [(e.type, e.actor, e.subject) for e in engine.events(after, 1000)]


def test_events_tell_a_new_follower_from_a_new_friend(engine: Engine) -> None:
    people(engine, "ann", "ben", "pia", private=("pia",))
    start = engine.events(0, 1000)[-1].seq
    engine.follow("ann", "ben")
    engine.follow("ben", "ann")
    engine.follow("ann", "pia")
    engine.follow("pia", "ann")
    engine.approve("pia", "ann")
    engine.unfollow("ann", "ben")
    engine.block("ann", "pia")
    engine.unblock("ann", "pia")
    assert _types(engine, start) == [
        ("followed", "ann", "ben"),
        ("became_friends", "ben", "ann"),
        ("requested", "ann", "pia"),
        ("followed", "pia", "ann"),
        ("approved", "pia", "ann"),
        ("became_friends", "pia", "ann"),
        ("unfollowed", "ann", "ben"),
        ("friendship_ended", "ann", "ben"),
        ("blocked", "ann", "pia"),
        ("friendship_ended", "ann", "pia"),
        ("unblocked", "ann", "pia"),
    ]


def test_events_for_posts_interactions_and_accounts(engine: Engine) -> None:
    people(engine, "ann", "ben")
    follows(engine, "ann<>ben")
    start = engine.events(0, 1000)[-1].seq
    engine.post_add("p1", "ann", "public")
    engine.post_set_visibility("p1", "friends")
    engine.interact("like", "ben", "p1")
    engine.interact("message", "ben", "ann")
    engine.follow("ann", "ben")  # no change, no event
    engine.post_delete("p1")
    engine.user_set("ben", dm_policy="everyone")
    found = engine.events(start, 100)
    assert [(e.type, e.actor, e.subject, e.post, e.detail) for e in found] == [
        ("post_created", "ann", None, "p1", "public"),
        ("visibility_changed", "ann", None, "p1", "friends"),
        ("liked", "ben", "ann", "p1", None),
        ("messaged", "ben", "ann", None, None),
        ("post_deleted", None, None, "p1", None),
        ("account_updated", "ben", None, None, "dm_policy"),
    ]
    assert all(e.at is not None for e in found)


def test_events_in_order_without_gaps_or_duplicates_across_writers_and_a_consumer_restart(engine: Engine) -> None:
    users = [f"w{i}" for i in range(8)]
    people(engine, *users)
    base = engine.events(0, 1000)[-1].seq
    stop = threading.Event()
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def writer(seed: int) -> None:
        import random

        rng = random.Random(seed)
        for _ in range(25):
            a, b = rng.sample(users, 2)
            result = getattr(engine, rng.choice(["follow", "follow", "unfollow", "block", "unblock"]))(a, b)
            with lock:
                outcomes["refused" if result.refused else result.outcome] += 1

    consumed: list[int] = []
    stored_cursor = {"after": base}

    def consumer(stop_after: int | None) -> None:
        """Reads in small pages, storing its cursor after each event it handles."""
        handled = 0
        while not (stop.is_set() and not engine.events(stored_cursor["after"], 1)):
            page = engine.events(stored_cursor["after"], 7)
            for event in page:
                consumed.append(event.seq)
                stored_cursor["after"] = event.seq
                handled += 1
                if stop_after is not None and handled >= stop_after:
                    return  # a crash: only the stored cursor survives

    first = threading.Thread(target=consumer, args=(40,))
    writers = [threading.Thread(target=writer, args=(seed,)) for seed in range(8)]
    first.start()
    for t in writers:
        t.start()
    first.join()
    second = threading.Thread(target=consumer, args=(None,))  # the restart, from the stored cursor
    second.start()
    for t in writers:
        t.join()
    stop.set()
    second.join()
    last = engine.events(0, 1000)[-1].seq
    assert consumed == list(range(base + 1, last + 1)), "events were skipped, repeated or out of order"
    changed = sum(
        n
        for outcome, n in outcomes.items()
        if outcome in {"followed", "became_friends", "unfollowed", "blocked", "unblocked"}
    )
    primary = [e for e in engine.events(base, 1000) if e.type != "friendship_ended"]
    assert len(primary) == changed


def test_events_retention_and_expired_cursors(engine: Engine) -> None:
    people(engine, "ann", "ben")
    engine.follow("ann", "ben")
    last = engine.events(0, 1000)[-1].seq
    assert engine.events_prune(7).deleted == 0
    pruned = engine.events_prune(0)
    assert (pruned.deleted, pruned.pruned_through) == (last, last)
    with pytest.raises(Expired):
        engine.events(0, 10)
    assert engine.events(last, 10) == ()
    engine.follow("ben", "ann")
    assert [e.type for e in engine.events(last, 10)] == ["became_friends"]
    with pytest.raises(InvalidInput):
        engine.events(-1, 10)


def test_events_cli(engine: Engine, env: dict[str, str]) -> None:
    people(engine, "ann", "ben")
    engine.follow("ann", "ben")
    listed = run_json("events")
    assert isinstance(listed, list) and [e["type"] for e in listed][-1] == "followed"
    last = listed[-1]["seq"]
    code, out, err = run("events", "--after", str(last))
    assert code == 0 and f"--after {last}" in err
    engine.follow("ben", "ann")
    code, out, _ = run("events", "--after", str(last), "--follow", "--max", "1", "--json")
    assert code == 0
    (line,) = out.strip().splitlines()
    assert json.loads(line)["type"] == "became_friends"
    assert run_json("events", "prune", "--older-than-days", "0")["deleted"] >= 2  # type: ignore[index]
    code, _, err = run("events", "--after", "0")
    assert code == 8 and "pruned" in err
