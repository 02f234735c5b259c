"""Mute and time limits (docs/rules.md, "Mute" and "Until"), on both engines, real Neo4j."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from mutuals import Engine
from mutuals.base.errors import InvalidInput

ENGINE_FLAVORS = ("sync", "async")


def _people(engine: Engine, *ids: str) -> None:
    for uid in ids:
        engine.user_add(uid)


def _feed_ids(engine: Engine, viewer: str, tab: str) -> set[str]:
    return {item.id for item in engine.feed(viewer, tab=tab).items}


def test_mute_removes_posts_from_every_feed_and_keeps_the_follow(engine: Engine) -> None:
    _people(engine, "v", "u")
    engine.follow("v", "u")
    engine.follow("u", "v")
    engine.post_add("p1", "u", "public")
    for tab in ("following", "friends", "for_you"):
        assert _feed_ids(engine, "v", tab) == {"p1"}
    assert engine.mute("v", "u").outcome == "muted"
    for tab in ("following", "friends", "for_you"):
        assert _feed_ids(engine, "v", tab) == set()
    assert engine.relationship("v", "u").following  # not unfollowed
    assert engine.muted("v").items == ("u",)
    assert engine.unmute("v", "u").outcome == "unmuted"
    assert _feed_ids(engine, "v", "following") == {"p1"}
    assert engine.unmute("v", "u").outcome == "not_muted"


def test_mute_changes_no_check(engine: Engine) -> None:
    _people(engine, "v", "u")
    engine.follow("v", "u")
    engine.follow("u", "v")
    engine.user_set("u", dm_policy="friends")
    engine.post_add("p1", "u", "friends")
    before = [engine.can_view("v", "p1"), engine.can_comment("v", "p1"), engine.can_message("v", "u")]
    before_rev = engine.can_message("u", "v")
    engine.mute("v", "u")
    after = [engine.can_view("v", "p1"), engine.can_comment("v", "p1"), engine.can_message("v", "u")]
    assert [d.allowed for d in after] == [d.allowed for d in before] == [True, True, True]
    assert engine.can_message("u", "v").allowed == before_rev.allowed
    assert engine.follow("v", "u").outcome == "already_following"


def test_mute_leaves_suggestions(engine: Engine) -> None:
    _people(engine, "v", "f", "w")
    for a, b in (("v", "f"), ("f", "v"), ("f", "w"), ("w", "f")):
        engine.follow(a, b)
    assert [s.id for s in engine.suggest("v")] == ["w"]
    engine.mute("v", "w")
    assert engine.suggest("v") == []
    engine.user_add("x")
    engine.follow("x", "v")
    assert [s.id for s in engine.suggest("v", follow_back=True)] == ["x"]
    engine.mute("v", "x")
    assert engine.suggest("v", follow_back=True) == []


def test_mute_emits_no_event_and_is_not_shown_to_the_muted(engine: Engine) -> None:
    _people(engine, "v", "u")
    last = max((e.seq for e in engine.events(0, limit=1000)), default=0)
    assert last > 0  # the accounts made events: the outbox is on
    engine.mute("v", "u", until="7d")
    engine.unmute("v", "u")
    engine.mute("v", "u")
    assert engine.events(last) == ()
    assert not engine.relationship("u", "v").muting  # u is never told
    seen = engine.relationship("v", "u")
    assert seen.muting and seen.muting_until is None


def test_mute_until_updates_and_reports_when_it_ends(engine: Engine) -> None:
    _people(engine, "v", "u")
    assert engine.mute("v", "u", until="7d").outcome == "muted"
    end = engine.relationship("v", "u").muting_until
    assert end is not None and timedelta(days=6) < end - datetime.now(UTC) <= timedelta(days=7)
    assert engine.mute("v", "u", until=end).outcome == "already_muted"
    assert engine.mute("v", "u").outcome == "until_updated"
    assert engine.relationship("v", "u").muting_until is None


def test_a_timed_mute_expires_at_its_moment(engine: Engine) -> None:
    _people(engine, "v", "u")
    engine.follow("v", "u")
    engine.post_add("p1", "u", "public")
    until = datetime.now(UTC) + timedelta(seconds=2)
    engine.mute("v", "u", until=until)
    assert _feed_ids(engine, "v", "following") == set()
    assert engine.muted("v").items == ("u",)
    time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 0.2)
    assert _feed_ids(engine, "v", "following") == {"p1"}
    assert engine.muted("v").items == ()
    assert not engine.relationship("v", "u").muting
    assert engine.mute("v", "u").outcome == "muted"  # an expired mute is renewed


def test_a_block_that_expires_between_two_reads(engine: Engine) -> None:
    _people(engine, "a", "b")
    engine.follow("b", "a")
    engine.post_add("p1", "a", "public")
    until = datetime.now(UTC) + timedelta(seconds=2)
    assert engine.block("a", "b", until=until).outcome == "blocked"
    rel = engine.relationship("a", "b")
    assert rel.blocking and rel.blocking_until is not None
    assert engine.relationship("b", "a").blocked_by_until == rel.blocking_until
    assert not engine.can_view("b", "p1").allowed
    assert engine.follow("b", "a").outcome == "blocked"
    assert engine.segment("a", "blocked").items == ("b",)
    time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 0.2)
    assert engine.can_view("b", "p1").allowed
    assert engine.segment("a", "blocked").items == ()
    assert engine.segments("a").blocked == 0
    assert not engine.relationship("a", "b").blocking
    # an expired block restores nothing: b's follow is gone, and b may follow again
    assert not engine.relationship("b", "a").following
    assert engine.follow("b", "a").outcome == "followed"
    assert engine.doctor().ok  # a follow across an expired block is legal
    assert engine.unblock("a", "b").outcome == "not_blocked"


def test_reblock_updates_until(engine: Engine) -> None:
    _people(engine, "a", "b")
    assert engine.block("a", "b").outcome == "blocked"
    assert engine.block("a", "b").outcome == "already_blocked"
    assert engine.block("a", "b", until="1d").outcome == "until_updated"
    assert engine.relationship("a", "b").blocking_until is not None
    assert engine.block("a", "b").outcome == "until_updated"
    assert engine.relationship("a", "b").blocking_until is None


@pytest.mark.parametrize("bad", ["yesterday", "0d", "-1d", "2000-01-01T00:00:00Z", 7])
def test_until_is_validated(engine: Engine, bad: object) -> None:
    _people(engine, "a", "b")
    with pytest.raises(InvalidInput) as err:
        engine.mute("a", "b", until=bad)  # type: ignore[arg-type]
    assert err.value.field == "until"
    with pytest.raises(InvalidInput):
        engine.block("a", "b", until=bad)  # type: ignore[arg-type]
