"""Interactions are refused when their check denies; depth, engagement segments and follow-back
suggestions change as interactions are added."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers import follows, people

from mutuals import Blocked, Engine, InvalidInput, NotAllowed, NotFound

ENGINE_FLAVORS = ("sync", "async")


@pytest.fixture
def world(engine: Engine) -> Engine:
    people(engine, "au", "fr", "fo", "st", "bl")
    follows(engine, "au<>fr", "fo>au")
    engine.block("au", "bl")
    engine.post_add("pub", "au", "public")
    engine.post_add("fri", "au", "friends")
    return engine


def test_like_is_once_per_account_and_post(world: Engine) -> None:
    assert world.interact("like", "fo", "pub").outcome == "liked"
    assert world.interact("like", "fo", "pub").outcome == "already_liked"
    assert world.post_show("pub").likes == 1


def test_comments_are_counted_and_re_recording_one_changes_nothing(world: Engine) -> None:
    at = datetime(2026, 5, 1, tzinfo=UTC)
    assert world.interact("comment", "fr", "fri", at=at).outcome == "commented"
    assert world.interact("comment", "fr", "fri", at=at).outcome == "already_recorded"
    assert world.interact("comment", "fr", "fri", at=at + timedelta(seconds=1)).outcome == "commented"
    assert world.post_show("fri").comments == 2


def test_like_refused_when_the_viewer_cannot_see_the_post(world: Engine) -> None:
    with pytest.raises(NotAllowed) as caught:
        world.interact("like", "fo", "fri")
    assert "not friends" in str(caught.value)
    assert caught.value.reasons
    assert world.post_show("fri").likes == 0


def test_interaction_across_a_block_is_refused_as_blocked(world: Engine) -> None:
    with pytest.raises(Blocked):
        world.interact("like", "bl", "pub")
    world.user_set("bl", dm_policy="everyone")
    with pytest.raises(Blocked):
        world.interact("message", "au", "bl")


def test_comment_refused_by_policy(world: Engine) -> None:
    world.user_set("au", comment_policy="friends")
    with pytest.raises(NotAllowed) as caught:
        world.interact("comment", "fo", "pub")
    assert "only friends" in str(caught.value)
    assert world.interact("comment", "fr", "pub").outcome == "commented"


def test_duet_and_stitch_follow_their_checks(world: Engine) -> None:
    world.user_set("au", duet_policy="only_me")
    with pytest.raises(NotAllowed):
        world.interact("duet", "fr", "pub")
    assert world.interact("stitch", "fr", "pub").outcome == "stitched"
    assert world.interact("duet", "au", "pub").outcome == "dueted"
    post = world.post_show("pub")
    assert (post.duets, post.stitches) == (1, 1)


def test_message_refused_with_the_reason_then_allowed(world: Engine) -> None:
    with pytest.raises(NotAllowed) as caught:
        world.interact("message", "fo", "au")
    assert "only from friends" in str(caught.value)
    assert world.interact("message", "fr", "au").outcome == "messaged"
    rel = world.relationship("fr", "au")
    assert rel.interactions_out == {"message": 1}
    assert world.relationship("au", "fr").interactions_in == {"message": 1}


def test_bad_interactions_are_refused_before_anything_is_written(world: Engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.interact("poke", "fo", "pub")
    assert caught.value.field == "kind"
    with pytest.raises(InvalidInput) as caught:
        world.interact("like", "fo", "pub", at="not a time")
    assert caught.value.field == "at"
    with pytest.raises(NotFound):
        world.interact("like", "fo", "nope")
    with pytest.raises(NotFound):
        world.interact("message", "fo", "ghost")


def test_depth_grows_with_interactions_both_ways_and_forgets_old_ones(world: Engine) -> None:
    assert world.relationship("au", "fr").depth == 10  # friends, no interactions
    assert world.relationship("au", "fo").depth == 0
    world.interact("like", "fo", "pub")
    world.interact("comment", "fo", "pub")
    assert world.relationship("au", "fo").depth == 3
    world.post_add("fo-post", "fo", "public")
    world.interact("like", "au", "fo-post")
    assert world.relationship("fo", "au").depth == 4  # both directions count
    long_ago = datetime.now(UTC) - timedelta(days=120)
    world.interact("comment", "fo", "pub", at=long_ago)
    assert world.relationship("au", "fo").depth == 4  # outside the 90-day window


def test_depth_is_capped(world: Engine) -> None:
    now = datetime.now(UTC)
    for i in range(30):
        world.interact("comment", "fr", "pub", at=now - timedelta(minutes=i + 1))
    assert world.relationship("au", "fr").depth == 10 + 60
    for i in range(20):
        world.interact("comment", "fr", "fri", at=now - timedelta(minutes=i + 1))
    assert world.relationship("au", "fr").depth == 100


def test_engagement_segments_change_as_interactions_are_added(engine: Engine) -> None:
    people(engine, "u", "f1", "f2", "e1", "p1", "p2")
    follows(engine, "u<>f1", "u<>f2", "e1>u", "p1>u", "p2>u")
    engine.post_add("post", "u", "public")
    counts = engine.segments("u")
    assert (counts.top_friends, counts.engaged_followers, counts.passive_followers) == (0, 0, 5)
    engine.interact("like", "e1", "post")
    engine.interact("like", "f2", "post")
    counts = engine.segments("u")
    assert (counts.top_friends, counts.engaged_followers, counts.passive_followers) == (0, 2, 3)
    assert engine.segment("u", "engaged-followers").items == ("e1", "f2")
    assert engine.segment("u", "passive-followers").items == ("f1", "p1", "p2")
    now = datetime.now(UTC)
    for i in range(4):
        engine.interact("message", "u", "f1", at=now - timedelta(minutes=i + 1))
    counts = engine.segments("u")
    assert (counts.top_friends, counts.engaged_followers, counts.passive_followers) == (1, 2, 2)
    assert engine.segment("u", "top-friends").items == ("f1",)
    assert engine.segment("u", "passive-followers").items == ("p1", "p2")
    for i in range(5):
        engine.interact("comment", "f2", "post", at=now - timedelta(minutes=i + 1))
    counts = engine.segments("u")
    assert (counts.top_friends, counts.engaged_followers, counts.passive_followers) == (2, 1, 2)
    assert engine.segment("u", "top-friends").items == ("f1", "f2")
    assert engine.segment("u", "engaged-followers").items == ("e1",)
    assert counts.top_friends + counts.engaged_followers + counts.passive_followers == len(engine.followers("u"))


def test_follow_back_suggestions_ranked_by_depth(engine: Engine) -> None:
    people(engine, "u", "a", "b", "c")
    follows(engine, "a>u", "b>u", "c>u")
    engine.post_add("post", "u", "public")
    assert [s.id for s in engine.suggest("u", follow_back=True)] == ["a", "b", "c"]
    engine.interact("comment", "c", "post")
    engine.interact("like", "b", "post")
    found = engine.suggest("u", follow_back=True)
    assert [(s.id, s.depth) for s in found] == [("c", 2), ("b", 1), ("a", 0)]
