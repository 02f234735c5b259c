"""The owner-curated close-friends list and the close_friends visibility (docs/rules.md), on both engines."""

from __future__ import annotations

import pytest
from helpers import follows, people

from mutuals import Engine, InvalidInput, NotAllowed, NotFound

ENGINE_FLAVORS = ("sync", "async")


@pytest.fixture
def world(engine: Engine) -> Engine:
    """``au`` lists ``mem`` (not a friend: follows nobody) and ``fr2`` (a friend) as close friends;
    ``fr`` is a friend who is not on the list; ``cf`` is a close_friends post of ``au``."""
    people(engine, "au", "mem", "fr", "fr2", "out")
    follows(engine, "au<>fr", "au<>fr2")
    assert engine.close_friends_add("au", "mem").outcome == "added"
    assert engine.close_friends_add("au", "fr2").outcome == "added"
    engine.post_add("cf", "au", "close_friends")
    return engine


def test_add_is_idempotent_and_needs_no_friendship(world: Engine) -> None:
    assert world.close_friends_add("au", "mem").outcome == "already_close_friend"
    page = world.close_friends("au")
    assert page.items == ("fr2", "mem") and page.total == 2
    assert world.segments("au").close_friends == 2
    assert world.relationship("au", "mem").following is False  # membership is not a follow


def test_remove(world: Engine) -> None:
    assert world.close_friends_remove("au", "mem").outcome == "removed"
    assert world.close_friends_remove("au", "mem").outcome == "not_close_friend"
    assert world.close_friends("au").items == ("fr2",)
    assert world.can_view("mem", "cf").allowed is False


def test_list_is_keyset_paginated(world: Engine) -> None:
    first = world.close_friends("au", limit=1)
    assert first.items == ("fr2",) and first.next_cursor is not None
    second = world.close_friends("au", limit=1, cursor=first.next_cursor)
    assert second.items == ("mem",) and second.next_cursor is None
    with pytest.raises(InvalidInput) as caught:
        world.close_friends("fr", cursor=first.next_cursor)  # a cursor of another owner's list
    assert caught.value.field == "cursor"


def test_invalid_and_unknown(world: Engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.close_friends_add("au", "au")
    assert caught.value.field in ("owner", "member")
    with pytest.raises(NotFound):
        world.close_friends_add("au", "ghost")
    with pytest.raises(NotFound):
        world.close_friends("ghost")


def test_add_is_refused_across_a_block_either_way(world: Engine) -> None:
    world.block("out", "au")
    refused = world.close_friends_add("au", "out")
    assert (refused.outcome, refused.refused) == ("blocked", True)
    world.unblock("out", "au")
    world.block("au", "out")
    assert world.close_friends_add("au", "out").refused is True
    assert "out" not in world.close_friends("au").items


def test_a_block_removes_the_member_both_ways(world: Engine) -> None:
    world.block("mem", "au")  # the member blocks the owner
    assert world.close_friends("au").items == ("fr2",)
    world.block("au", "fr2")  # the owner blocks a member
    assert world.close_friends("au").items == ()
    world.unblock("mem", "au")
    world.unblock("au", "fr2")
    assert world.close_friends("au").items == ()  # an unblock restores nothing
    assert world.can_view("mem", "cf").allowed is False


def test_member_who_is_not_a_friend_sees_the_post(world: Engine) -> None:
    decision = world.can_view("mem", "cf")
    assert (decision.allowed, decision.rule) == (True, "close_friend")


def test_friend_who_is_not_a_member_is_refused(world: Engine) -> None:
    decision = world.can_view("fr", "cf")
    assert (decision.allowed, decision.rule) == (False, "not_close_friend")
    assert "close-friends list" in decision.reasons[0]


def test_author_sees_and_anonymous_does_not(world: Engine) -> None:
    assert world.can_view("au", "cf").rule == "author"
    anon = world.can_view(None, "cf")
    assert (anon.allowed, anon.rule) == (False, "anonymous_not_public")


def test_batch_check(world: Engine) -> None:
    world.post_add("pub", "au", "public")
    assert {p: d.allowed for p, d in world.can_view_many("mem", ["cf", "pub"]).items()} == {"cf": True, "pub": True}
    assert {p: d.allowed for p, d in world.can_view_many("fr", ["cf", "pub"]).items()} == {"cf": False, "pub": True}
    assert {p: d.allowed for p, d in world.can_view_many("fr2", ["cf"]).items()} == {"cf": True}


def test_comment_duet_stitch_follow_can_view(world: Engine) -> None:
    for check in (world.can_comment, world.can_duet, world.can_stitch):
        assert check("mem", "cf").allowed is True
        assert check("fr", "cf").allowed is False
        assert check("fr", "cf").rule == "not_close_friend"
    world.user_set("au", comment_policy="friends")
    refused = world.can_comment("mem", "cf")  # a member who is not a friend, under a friends-only policy
    assert (refused.allowed, refused.rule) == (False, "comment_friends_only")
    assert world.can_comment("fr2", "cf").allowed is True


def test_interactions_follow_the_check(world: Engine) -> None:
    assert world.interact("like", "mem", "cf").outcome == "liked"
    with pytest.raises(NotAllowed):
        world.interact("like", "fr", "cf")
    assert world.post_show("cf").likes == 1


def test_audience_is_the_author_and_the_members(world: Engine) -> None:
    audience = world.audience("cf")
    assert audience.everyone is False
    assert audience.accounts.items == ("au", "fr2", "mem")


def test_feeds_show_it_to_members_only(world: Engine) -> None:
    world.follow("mem", "au")  # a member who follows (not a friend: au does not follow back)
    world.follow("out", "au")  # a follower who is not a member
    assert [p.id for p in world.feed("mem", tab="following").items] == ["cf"]
    assert [p.id for p in world.feed("mem", tab="for_you").items] == ["cf"]
    assert [p.id for p in world.feed("fr2", tab="friends").items] == ["cf"]
    assert [p.id for p in world.feed("fr2", tab="for_you").items] == ["cf"]
    for tab in ("following", "friends", "for_you"):
        assert world.feed("fr", tab=tab).items == ()
        assert world.feed("out", tab=tab).items == ()


def test_set_visibility_to_close_friends(world: Engine) -> None:
    world.post_add("p", "au", "friends")
    assert world.can_view("fr", "p").allowed is True
    assert world.post_set_visibility("p", "close_friends").outcome == "updated"
    assert world.can_view("fr", "p").allowed is False
    assert world.can_view("fr2", "p").allowed is True


def test_top_friends_is_the_depth_segment_and_feeds_the_suggestions(world: Engine) -> None:
    for i in range(10):  # 10 likes: a friendship plus 10 points reaches the top-friends depth
        world.post_add(f"fp{i}", "fr", "public")
        world.interact("like", "au", f"fp{i}")
        world.post_add(f"gp{i}", "fr2", "public")
        world.interact("like", "au", f"gp{i}")
    assert world.segment("au", "top-friends").items == ("fr", "fr2")
    assert world.segment("au", "close-friends").items == ("fr2", "mem")
    counts = world.segments("au")
    assert (counts.top_friends, counts.close_friends) == (2, 2)
    suggested = world.suggest("au", close_friends=True)
    assert [s.id for s in suggested] == ["fr"]  # fr2 is already on the list
    assert suggested[0].depth == 20
    world.close_friends_add("au", "fr")
    assert world.suggest("au", close_friends=True) == []
    with pytest.raises(InvalidInput) as caught:
        world.suggest("au", close_friends=True, follow_back=True)
    assert caught.value.field == "close_friends"


def test_reports_honour_the_rule(world: Engine) -> None:
    rows = {r["segment"]: r["accounts"] for r in world.report_run("audience_breakdown", {"user": "au"}).rows}
    assert (rows["close_friends"], rows["top_friends"]) == (2, 0)


def test_the_fragment_without_a_viewer_grants_no_close_friends_post() -> None:
    from mutuals.rules import visibility

    flags = {"post": "p", "author": "a", "follows": "false", "friends": "false", "blocked": "false"}
    assert "CLOSE_FRIEND" in visibility.fragment(viewer="v", is_author="false", **flags)
    without = visibility.fragment(viewer="null", is_author="false", **flags)
    assert "CLOSE_FRIEND" not in without and "WHEN 'close_friends' THEN (false)" in without
