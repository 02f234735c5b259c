"""What moved from the CLI into the engine: the events polling loop (sync and async) and the
decision of `db status`."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from helpers import follows, people

from mutuals import Engine, InvalidInput
from mutuals.aio import AsyncEngine
from mutuals.io.config import Config
from mutuals.io.status import db_status


def test_events_follow_reads_backlog_then_new_events_and_stops(engine: Engine) -> None:
    people(engine, "ann", "ben", "cat")
    follows(engine, "ann>ben")
    start = engine.events(0, 1000)[-1].seq - 1  # the follow's event and what comes next
    stop = threading.Event()
    seen: list[str] = []
    for event in engine.events_follow(start, poll=0.05, limit=1, stop=stop):
        seen.append(f"{event.type} {event.actor} {event.subject}")
        if len(seen) == 1:
            engine.follow("cat", "ben")  # written while the loop runs: read at the next poll
        if len(seen) == 2:
            stop.set()
    assert seen == ["followed ann ben", "followed cat ben"]

    stop = threading.Event()
    timer = threading.Timer(0.3, stop.set)  # nothing new: the loop waits until stop is set
    timer.start()
    assert list(engine.events_follow(engine.events(0, 1000)[-1].seq, poll=5, stop=stop)) == []
    timer.join()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"poll": 0}, "poll"), ({"poll": "1"}, "poll"), ({"limit": 0}, "limit"), ({"after": -1}, "after")],
)
def test_events_follow_checks_its_arguments_at_the_call(engine: Engine, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        engine.events_follow(**kwargs)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_async_events_follow(session_engine: Engine, config: Config) -> None:
    people(session_engine, "aa1", "bb1")

    async def main() -> list[str]:
        async with AsyncEngine(config) as aengine:
            with pytest.raises(InvalidInput):
                aengine.events_follow(poll=-1)
            start = (await aengine.events(0, 1000))[-1].seq
            await aengine.follow("aa1", "bb1")
            stop = asyncio.Event()
            got = []
            async for event in aengine.events_follow(start, poll=0.05, stop=stop):
                got.append(f"{event.type} {event.actor} {event.subject}")
                stop.set()
            return got

    assert asyncio.run(main()) == ["followed aa1 bb1"]


def test_db_status_of_the_configured_server(config: Config, tmp_path: Path) -> None:
    found = db_status(config)
    assert found.running and not found.embedded and found.round_trip_ms is not None
    assert found.message.startswith(f"running at {config.safe_uri}")
    stopped = db_status(config.with_(uri=None, home=tmp_path))
    assert (stopped.running, stopped.embedded) == (False, True)
    assert "mutuals db start" in stopped.message and stopped.to_dict()["home"] == str(tmp_path / "neo4j")
