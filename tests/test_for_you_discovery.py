"""Discovery in the for-you feed (docs/ranking.md#discovery), on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers import follows, people

from mutuals import Engine, rules
from mutuals.base.models import FeedItem, Page

ENGINE_FLAVORS = ("sync", "async")


def ids(page: Page[FeedItem]) -> list[str]:
    return [item.id for item in page.items]


@pytest.fixture
def world(engine: Engine) -> tuple[Engine, datetime]:
    people(engine, "v", "fr", "fr2", "fof", "fo", "pop", "l1", "l2", "l3", "l4", "blk", "prv", "mut", private=("prv",))
    follows(engine, "v<>fr", "v<>fr2", "fr<>fof", "fr2<>fof", "v>fo", "fr<>blk", "fr<>prv", "fr<>mut")
    now = datetime.now(UTC)
    engine.post_add("fr-old", "fr", "public", created_at=now - timedelta(days=5))
    engine.post_add("fof-new", "fof", "public", created_at=now - timedelta(hours=1))
    engine.post_add("fof-friends", "fof", "friends", created_at=now - timedelta(hours=1))
    engine.post_add("fof-close", "fof", "close_friends", created_at=now - timedelta(hours=1))
    engine.close_friends_add("fof", "v")  # v may view fof-close, but discovery shows only public posts
    engine.post_add("pop-hit", "pop", "public", created_at=now - timedelta(hours=2))
    for liker in ("l1", "l2", "l3", "l4"):
        engine.interact("like", liker, "pop-hit")
    engine.post_add("pop-quiet", "pop", "public", created_at=now - timedelta(hours=1))  # no interactions
    engine.post_add("fo-old", "fo", "public", created_at=now - timedelta(days=3))
    engine.post_add("blk-post", "blk", "public", created_at=now - timedelta(hours=1))
    engine.block("blk", "v")
    engine.post_add("prv-post", "prv", "public", created_at=now - timedelta(hours=1))
    engine.post_add("mut-post", "mut", "public", created_at=now - timedelta(hours=1))
    return engine, now


def test_discovery_worked_example(world: tuple[Engine, datetime]) -> None:
    engine, now = world
    page = engine.feed("v", tab="for_you")
    assert ids(page) == ["fr-old", "fof-new", "mut-post", "pop-hit", "fo-old"]
    by_id = {item.id: item for item in page.items}
    assert [by_id[p].source for p in ("fr-old", "fof-new", "pop-hit", "fo-old")] == [
        "following",
        "friends_of_friends",
        "popular",
        "following",
    ]
    assert by_id["fof-new"].depth is None and by_id["fr-old"].depth == 10
    age = {p: (now - by_id[p].created_at).total_seconds() / 3600 for p in by_id}
    assert by_id["fr-old"].score == pytest.approx(rules.for_you_score(10, age["fr-old"]), abs=0.01)
    assert by_id["fof-new"].score == pytest.approx(
        rules.discovery_score("friends_of_friends", 2, age["fof-new"]), abs=0.01
    )
    assert by_id["pop-hit"].score == pytest.approx(rules.discovery_score("popular", 4, age["pop-hit"]), abs=0.01)
    scores = [by_id[p].score for p in ("fr-old", "fof-new", "pop-hit", "fo-old")]
    assert scores == pytest.approx([30.63, 21.74, 6.72, 2.50], abs=0.01)
    walked: list[str] = []
    cursor = None
    while True:
        one = engine.feed("v", tab="for_you", limit=1, cursor=cursor)
        walked.extend(ids(one))
        if one.next_cursor is None:
            break
        cursor = one.next_cursor
    assert walked == ids(page)


def test_discovery_never_crosses_a_block_either_way(world: tuple[Engine, datetime]) -> None:
    engine, _ = world
    assert "blk-post" not in ids(engine.feed("v", tab="for_you"))
    engine.block("v", "fof")  # the viewer blocks a friend of friends
    engine.block("v", "pop")  # and the popular author
    found = ids(engine.feed("v", tab="for_you"))
    assert "fof-new" not in found and "pop-hit" not in found


def test_discovery_never_shows_a_non_public_post_or_a_private_author(world: tuple[Engine, datetime]) -> None:
    engine, _ = world
    assert engine.can_view("v", "fof-close").allowed is True  # v may view it...
    found = ids(engine.feed("v", tab="for_you"))
    for post in ("fof-close", "fof-friends", "prv-post"):  # ...but discovery shows only public posts
        assert post not in found
    engine.user_set("fof", private=True)
    assert "fof-new" not in ids(engine.feed("v", tab="for_you"))


def test_discovery_leaves_out_a_muted_author(world: tuple[Engine, datetime]) -> None:
    """The mute shape another branch adds: (v)-[:MUTES {until}]->(u), active when until is null or later."""
    engine, now = world
    assert "mut-post" in ids(engine.feed("v", tab="for_you"))
    engine.query(
        "MATCH (v:Account {id: 'v'}), (u:Account {id: 'mut'}) CREATE (v)-[:MUTES {until: null}]->(u)", write=True
    )
    assert "mut-post" not in ids(engine.feed("v", tab="for_you"))
    engine.query(
        "MATCH (:Account {id: 'v'})-[m:MUTES]->() SET m.until = $t", {"t": now - timedelta(hours=1)}, write=True
    )
    assert "mut-post" in ids(engine.feed("v", tab="for_you"))  # an expired mute stops applying


def test_discovery_leaves_out_an_author_muted_through_the_mute_verb(world: tuple[Engine, datetime]) -> None:
    """Both discovery sources go through the mutes fragment (engine/rules/expiry.py)."""
    engine, _ = world
    found = ids(engine.feed("v", tab="for_you"))
    assert "mut-post" in found and "pop-hit" in found
    engine.mute("v", "mut", until="7d")  # a friend of a friend
    engine.mute("v", "pop")  # a popular author
    found = ids(engine.feed("v", tab="for_you"))
    assert "mut-post" not in found and "pop-hit" not in found
    engine.unmute("v", "mut")
    engine.unmute("v", "pop")
    found = ids(engine.feed("v", tab="for_you"))
    assert "mut-post" in found and "pop-hit" in found


def test_following_the_author_moves_it_out_of_discovery(world: tuple[Engine, datetime]) -> None:
    engine, _ = world
    engine.follow("v", "pop")
    items = {item.id: item for item in engine.feed("v", tab="for_you").items}
    assert items["pop-hit"].source == "following" and items["pop-hit"].depth == 0
    assert "pop-quiet" in items  # a followed author's posts need no interactions


def test_discovered_posts_rank_below_any_friend_post() -> None:
    """The proof of docs/ranking.md#discovery, from the constants."""
    best_discovered = rules.discovery_score("friends_of_friends", 10**6, 0.0)
    worst_friend = rules.for_you_score(rules.FRIEND_BONUS, 24.0 * rules.FOR_YOU_WINDOW_DAYS)
    assert best_discovered < worst_friend
    assert rules.discovery_score("popular", 10**6, 0.0) < rules.discovery_score("friends_of_friends", 1, 1e9)


def test_viewer_own_posts_are_not_discovered(world: tuple[Engine, datetime]) -> None:
    engine, _ = world
    engine.post_add("v-own", "v", "public")
    engine.interact("like", "fr", "v-own")
    assert "v-own" not in ids(engine.feed("v", tab="for_you"))
