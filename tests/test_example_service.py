"""The example service (examples/service), driven over real HTTP, and its notification worker."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from conftest import free_port
from helpers import follows, people

from examples.service.app import TOKEN_HEADER, app
from examples.service.worker import CursorFile, Notification, run
from mutuals import AsyncEngine, Config, Engine


@pytest.fixture
def service(engine: Engine, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the example service did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_profile_feed_and_follow_button_over_http(service: str, engine: Engine) -> None:
    people(engine, "ann", "ben", "cat", "pia", private=("pia",))
    follows(engine, "ann>cat", "cat>ben")
    engine.post_add("p1", "ben", "followers", created_at="2026-06-01T10:00:00Z")
    with httpx.Client(base_url=service, timeout=30) as http:
        page = http.get("/profiles/ben", headers={"X-User": "ann"}).json()
        assert page["button"] == "follow"
        assert page["followed_by"] == {"ids": ["cat"], "total": 1}
        assert http.get("/feed", headers={"X-User": "ann"}).json()["items"] == []

        clicked = http.post("/follow", json={"followee": "ben"}, headers={"X-User": "ann"})
        assert clicked.status_code == 200 and clicked.json() == {"outcome": "followed"}
        token = clicked.headers[TOKEN_HEADER]
        assert http.cookies.get("mutuals_token") == token
        page = http.get("/profiles/ben", headers={"X-User": "ann", TOKEN_HEADER: token}).json()
        assert (page["button"], page["followers"]) == ("following", 2)
        feed = http.get("/feed", headers={"X-User": "ann"}).json()  # the cookie carries the token
        assert [item["id"] for item in feed["items"]] == ["p1"]

        assert http.post("/follow", json={"followee": "pia"}, headers={"X-User": "ann"}).json() == {
            "outcome": "requested"
        }
        assert http.get("/profiles/pia", headers={"X-User": "ann"}).json()["button"] == "requested"
        missing = http.get("/profiles/ghost", headers={"X-User": "ann"})
        assert missing.status_code == 404 and "ghost" in missing.json()["error"]
        bad = http.post("/follow", json={"followee": "ann"}, headers={"X-User": "ann"})
        assert bad.status_code == 422
        engine.block("pia", "ann")  # a block by pia: ann's page of pia looks like a missing account
        hidden = http.get("/profiles/pia", headers={"X-User": "ann"})
        assert hidden.status_code == 404 and hidden.json() == {"error": "account pia isn't available"}
        assert "blocked" not in hidden.text and "follow" not in hidden.text


def test_worker_tells_new_followers_from_new_friends_and_resumes_after_a_restart(
    engine: Engine, config: Config, tmp_path: Path
) -> None:
    people(engine, "ann", "ben", "cat")
    cursor = CursorFile(tmp_path / "worker.cursor")
    sent: list[Notification] = []

    async def drain() -> None:
        async with AsyncEngine(config, apply_schema=False) as aio:
            await run(aio, cursor, sent.append, stop_when_idle=True)

    asyncio.run(drain())
    assert sent == []
    engine.follow("ann", "ben")
    engine.follow("ben", "ann")
    asyncio.run(drain())
    engine.follow("cat", "ben")
    asyncio.run(drain())  # a restart: only the cursor file survives
    asyncio.run(drain())
    assert [(n.to, n.text) for n in sent] == [
        ("ben", "ann started following you"),
        ("ann", "you and ben are now friends"),
        ("ben", "cat started following you"),
    ]
    assert len({n.seq for n in sent}) == 3
