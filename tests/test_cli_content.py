"""CLI for posts, checks, interactions, feeds and audience; results checked through the engine."""

from __future__ import annotations

import json

import pytest
from helpers import follows, people
from test_cli import run, run_json

from mutuals import Engine


@pytest.fixture
def world(engine: Engine, env: dict[str, str]) -> Engine:
    people(engine, "au", "fr", "fo")
    follows(engine, "au<>fr", "fo>au")
    return engine


def test_post_commands(world: Engine) -> None:
    assert run_json(
        "post", "add", "p1", "--author", "au", "--visibility", "friends", "--at", "2026-04-01T10:00:00Z"
    ) == {"outcome": "created"}
    assert world.post_show("p1").visibility == "friends"
    shown = run_json("post", "show", "p1")
    assert isinstance(shown, dict)
    assert shown["author"] == "au" and shown["created_at"].startswith("2026-04-01T10:00:00")
    assert run_json("post", "set-visibility", "p1", "public") == {"outcome": "updated"}
    assert world.post_show("p1").visibility == "public"
    assert run_json("post", "delete", "p1") == {"outcome": "deleted"}
    code, _, err = run("post", "add", "p2", "--author", "au", "--visibility", "secret")
    assert code == 2 and err.startswith("error: visibility:")


def test_can_commands_json_shape_and_explain(world: Engine) -> None:
    world.post_add("p1", "au", "friends")
    assert run_json("can", "view", "fr", "p1") == {
        "allowed": True,
        "reasons": ["the post is for friends, and fr and au are friends"],
        "rule": "friends",
        "public_reason": "Allowed",
    }
    denied = run_json("can", "view", "fo", "p1")
    assert isinstance(denied, dict) and denied["allowed"] is False
    code, out, _ = run("can", "view", "fo", "p1", "--explain")
    assert code == 0
    assert "denied" in out and "not friends" in out
    code, out, _ = run("can", "view", "fo", "p1")
    assert "denied" in out and "because" not in out
    assert run_json("can", "view", "-", "p1")["allowed"] is False  # type: ignore[index]
    assert run_json("can", "message", "fr", "au")["allowed"] is True  # type: ignore[index]
    assert run_json("can", "comment", "fr", "p1")["allowed"] is True  # type: ignore[index]
    assert run_json("can", "duet", "fo", "p1")["allowed"] is False  # type: ignore[index]
    assert run_json("can", "stitch", "fr", "p1")["allowed"] is True  # type: ignore[index]


def test_interact_commands(world: Engine) -> None:
    world.post_add("p1", "au", "friends")
    assert run_json("interact", "like", "fr", "p1") == {"outcome": "liked"}
    assert run_json("interact", "comment", "fr", "p1", "--at", "2026-04-01T10:00:00Z") == {"outcome": "commented"}
    assert run_json("interact", "stitch", "fr", "p1") == {"outcome": "stitched"}
    assert run_json("interact", "duet", "au", "p1") == {"outcome": "dueted"}
    assert run_json("interact", "message", "fr", "au") == {"outcome": "messaged"}
    post = world.post_show("p1")
    assert (post.likes, post.comments, post.stitches, post.duets) == (1, 1, 1, 1)
    code, out, err = run("interact", "like", "fo", "p1")
    assert code == 4 and out == ""
    assert err.startswith("error: like refused: the post is for friends only")
    code, _, err = run("interact", "message", "fo", "au", "--json")
    assert code == 4 and "only from friends" in err


def test_feed_and_audience_commands(world: Engine) -> None:
    world.post_add("a1", "au", "public", created_at="2026-04-01T10:00:00Z")
    world.post_add("a2", "au", "friends", created_at="2026-04-01T11:00:00Z")
    world.post_add("a3", "au", "only_me", created_at="2026-04-01T12:00:00Z")
    items = run_json("feed", "fr")
    assert [i["id"] for i in items] == ["a2", "a1"]  # type: ignore[union-attr]
    assert [i["id"] for i in run_json("feed", "fo")] == ["a1"]  # type: ignore[union-attr]
    code, out, err = run("feed", "fr", "--limit", "1", "--json")
    assert json.loads(out)[0]["id"] == "a2" and "--cursor" in err
    cursor = err.split("--cursor", 1)[1].split()[0]
    assert [i["id"] for i in run_json("feed", "fr", "--limit", "1", "--cursor", cursor)] == ["a1"]  # type: ignore[union-attr]
    assert run_json("feed", "fr", "--tab", "friends") == run_json("feed", "fr")
    code, _, err = run("feed", "fr", "--cursor", "forged.cursor")
    assert code == 2 and "cursor" in err
    assert run_json("audience", "a2") == [{"id": "au"}, {"id": "fr"}]
    assert run_json("audience", "a1") == [{"id": "*", "everyone": True, "except": []}]
    code, out, _ = run("audience", "a1")
    assert "everyone except" in out


def test_segments_include_engagement(world: Engine) -> None:
    counts = run_json("segments", "au")
    assert isinstance(counts, dict)
    assert set(counts) == {
        "friends",
        "followers_only",
        "following_only",
        "requests_in",
        "requests_out",
        "blocked",
        "top_friends",
        "engaged_followers",
        "passive_followers",
        "close_friends",
    }
    assert run_json("segment", "au", "passive-followers") == ["fo", "fr"]
