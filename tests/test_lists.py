"""Friends, followers, segments (as pages and as counts), relationship, suggestions, known followers."""

from __future__ import annotations

import pytest
from helpers import follows, people

from mutuals import Engine, InvalidInput
from mutuals.base.models import SegmentCounts

ENGINE_FLAVORS = ("sync", "async")


@pytest.fixture
def world(engine: Engine) -> Engine:
    """ann: friends with ben and cat; followed by dan (not back); follows eve (not back);
    fay asked to follow ann (private); ann asked to follow pia; ann blocks zed."""
    people(engine, "ann", "ben", "cat", "dan", "eve", "fay", "pia", "zed", private=("pia",))
    follows(engine, "ann<>ben", "ann<>cat", "dan>ann", "ann>eve", "ben<>cat", "ann>pia")
    engine.user_set("ann", private=True)
    engine.follow("fay", "ann")
    engine.block("ann", "zed")
    return engine


def test_every_segment_as_a_list(world: Engine) -> None:
    assert world.friends("ann").items == ("ben", "cat")
    assert world.followers("ann").items == ("ben", "cat", "dan")
    assert world.following("ann").items == ("ben", "cat", "eve")
    assert world.segment("ann", "followers-only").items == ("dan",)
    assert world.segment("ann", "following-only").items == ("eve",)
    assert world.segment("ann", "requests-in").items == ("fay",)
    assert world.segment("ann", "requests-out").items == ("pia",)
    assert world.segment("ann", "blocked").items == ("zed",)
    assert world.segment("ann", "friends").items == ("ben", "cat")


def test_every_segment_as_a_count(world: Engine) -> None:
    assert world.segments("ann") == SegmentCounts(
        friends=2,
        followers_only=1,
        following_only=1,
        requests_in=1,
        requests_out=1,
        blocked=1,
        top_friends=0,
        engaged_followers=0,
        passive_followers=3,
        close_friends=0,
    )
    profile = world.user_show("ann")
    assert (profile.followers, profile.following, profile.friends) == (3, 3, 2)


def test_unknown_segment_is_invalid(world: Engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.segment("ann", "fans")
    assert caught.value.field == "segment"


def test_pages_walk_every_item_once_in_order(engine: Engine) -> None:
    names = [f"u{i:03d}" for i in range(23)]
    people(engine, "hub", *names)
    for name in names:
        engine.follow(name, "hub")
        if int(name[1:]) % 2 == 0:
            engine.follow("hub", name)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = engine.followers("hub", limit=5, cursor=cursor)
        seen.extend(page.items)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == names
    assert pages == 5
    assert list(engine.walk(engine.friends, "hub", page_size=4)) == names[::2]
    assert list(engine.walk(engine.segment, "hub", "followers-only", page_size=3)) == names[1::2]
    assert engine.segments("hub").followers_only == 11


def test_cursor_of_one_list_is_refused_by_another(engine: Engine) -> None:
    people(engine, "ann", "ben", "cat")
    follows(engine, "ben>ann", "cat>ann")
    page = engine.followers("ann", limit=1)
    assert page.next_cursor
    with pytest.raises(InvalidInput) as caught:
        engine.following("ann", limit=1, cursor=page.next_cursor)
    assert caught.value.field == "cursor"
    with pytest.raises(InvalidInput):
        engine.followers("ben", limit=1, cursor=page.next_cursor)


@pytest.mark.parametrize("forged", ["garbage", "a.b", "eyJ4IjoxfQ.0000", "x" * 5000, "..", 42])
def test_forged_cursors_are_refused(world: Engine, forged: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.followers("ann", cursor=forged)  # type: ignore[arg-type]
    assert caught.value.field == "cursor"


def test_tampered_cursor_is_refused(engine: Engine) -> None:
    people(engine, "ann", "ben", "cat")
    follows(engine, "ben>ann", "cat>ann")
    cursor = engine.followers("ann", limit=1).next_cursor
    assert cursor
    body, sig = cursor.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(InvalidInput):
        engine.followers("ann", limit=1, cursor=f"{flipped}.{sig}")


@pytest.mark.parametrize("limit", [0, -1, 1001, "10", 2.5, True])
def test_bad_limits_are_refused(world: Engine, limit: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        world.friends("ann", limit=limit)  # type: ignore[arg-type]
    assert caught.value.field == "limit"


def test_relationship_reads_everything_at_once(world: Engine) -> None:
    rel = world.relationship("ann", "ben")
    assert (rel.following, rel.followed_by, rel.friends) == (True, True, True)
    assert rel.mutual_friends == 1  # cat
    assert rel.can_message is True  # default dm_policy is friends
    to_pia = world.relationship("ann", "pia")
    assert (to_pia.requested, to_pia.requested_by, to_pia.following) == (True, False, False)
    from_fay = world.relationship("fay", "ann")
    assert (from_fay.requested, from_fay.can_message) == (True, False)
    zed = world.relationship("zed", "ann")
    assert (zed.blocked_by, zed.blocking, zed.can_message) == (True, False, False)


def test_relationship_can_message_follows_dm_policy(world: Engine) -> None:
    world.user_set("eve", dm_policy="everyone")
    assert world.relationship("dan", "eve").can_message is True
    world.user_set("ben", dm_policy="nobody")
    assert world.relationship("ann", "ben").can_message is False
    world.user_set("zed", dm_policy="everyone")
    assert world.relationship("ann", "zed").can_message is False  # ann blocks zed


def test_people_you_may_know(engine: Engine) -> None:
    people(engine, "me", "f1", "f2", "f3", "w1", "w2", "w3", "w4", "w5")
    follows(engine, "me<>f1", "me<>f2", "me<>f3")
    follows(engine, "f1<>w1", "f2<>w1", "f3<>w1", "f1<>w2", "f2<>w2", "f1<>w3", "f1<>w4", "f1<>w5")
    engine.follow("me", "w3")  # already followed: not suggested
    engine.block("w4", "me")  # a block: not suggested
    engine.follow("w5", "me")  # follows me but I don't follow: still suggested
    found = engine.suggest("me")
    assert [(s.id, s.mutual_friends, s.via) for s in found] == [
        ("w1", 3, ("f1", "f2", "f3")),
        ("w2", 2, ("f1", "f2")),
        ("w5", 1, ("f1",)),
    ]
    assert [s.id for s in engine.suggest("me", limit=1)] == ["w1"]


def test_people_you_may_know_skips_pending_requests(engine: Engine) -> None:
    people(engine, "me", "f1", "pw", private=("pw",))
    follows(engine, "me<>f1")
    engine.follow("f1", "pw")
    engine.approve("pw", "f1")
    engine.follow("pw", "f1")
    assert [s.id for s in engine.suggest("me")] == ["pw"]
    engine.follow("me", "pw")
    assert engine.suggest("me") == []


def test_follow_back_suggestions(engine: Engine) -> None:
    people(engine, "me", "f1", "a", "b", "c")
    follows(engine, "me<>f1", "a>me", "b>me", "c>me", "b<>f1")
    found = engine.suggest("me", follow_back=True)
    assert [(s.id, s.mutual_friends) for s in found] == [("b", 1), ("a", 0), ("c", 0)]
    assert found[0].via == ("f1",)


def test_known_followers(engine: Engine) -> None:
    people(engine, "v", "t", "k1", "k2", "k3", "x", "pt", private=("pt",))
    follows(engine, "v>k1", "v>k2", "v>k3", "k1>t", "k2>t", "x>t", "k1>pt")
    engine.approve("pt", "k1")
    page = engine.known_followers("v", "t", limit=1)
    assert page.items == ("k1",)
    assert page.total == 2
    assert list(engine.walk(engine.known_followers, "v", "t", page_size=1)) == ["k1", "k2"]
    hidden = engine.known_followers("v", "pt")
    assert (hidden.items, hidden.total) == ((), 0)
    engine.follow("v", "pt")
    engine.approve("pt", "v")
    assert engine.known_followers("v", "pt").items == ("k1",)
    engine.block("t", "v")
    assert engine.known_followers("v", "t").total == 0
