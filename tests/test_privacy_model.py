"""Property-based privacy: random worlds (accounts, follows, requests, blocks, policies, posts of
every visibility) compared with the in-test reference model for every check, both feeds and
every audience list. A privacy leak anywhere fails this test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from helpers import wipe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import USERS, Model, RefPost, World, for_you_members

from mutuals import Engine, NotAllowed
from mutuals.rules.public import NOT_AVAILABLE

ENGINE_FLAVORS = ("sync", "async")

T0 = datetime(2026, 2, 1, tzinfo=UTC)
VIS = ["public", "followers", "friends", "only_me"]
user = st.sampled_from(USERS)
relationship_op = st.tuples(
    st.sampled_from(["follow", "follow", "follow", "approve", "block", "unfollow"]), user, user
).filter(lambda t: t[1] != t[2])
policies = st.fixed_dictionaries(
    {
        "dm_policy": st.sampled_from(["everyone", "friends", "nobody"]),
        "comment_policy": st.sampled_from(["everyone", "friends", "nobody"]),
        "duet_policy": st.sampled_from(["everyone", "friends", "only_me"]),
        "stitch_policy": st.sampled_from(["everyone", "friends", "only_me"]),
    }
)
override = st.one_of(st.none(), st.sampled_from(["everyone", "friends", "only_me"]))
post = st.tuples(user, st.sampled_from(VIS), st.integers(0, 5), override, override)


def _no_hint(decision: Any, actor: str | None, other: str, world: World) -> None:
    """What the actor is told never says that the other party blocked or muted them."""
    text = decision.public_reason.lower()
    assert "mute" not in text, decision
    if "block" in text:
        assert actor is not None and (actor, other) in world.graph.blocks, decision  # the actor's own block


# the policies of the close-friends and list tests: messages from friends, everything else open
OPEN_POLICIES = {
    "dm_policy": "friends",
    "comment_policy": "everyone",
    "duet_policy": "everyone",
    "stitch_policy": "everyone",
}


def check_every_post(engine: Engine, world: World, post_ids: list[str]) -> None:
    """can_view (one by one and in a batch), can_comment, can_duet and can_stitch of every viewer
    (logged out too) on every post, against the model; what a denied viewer is told reads exactly
    like a post that does not exist, and never hints at a block or a mute by the other party."""
    missing = engine.can_view_many("u0", ["no-such-post"])["no-such-post"].public_reason
    assert missing == NOT_AVAILABLE
    for viewer in [None, *USERS]:
        many = engine.can_view_many(viewer, post_ids)
        for pid in post_ids:
            decision = engine.can_view(viewer, pid)
            assert decision.allowed == many[pid].allowed == world.can_view(viewer, pid), (viewer, pid)
            if not decision.allowed:
                assert decision.public_reason == many[pid].public_reason == missing, (viewer, pid)
            if viewer is None:
                continue
            for check, expected in (
                (engine.can_comment, world.can_comment),
                (engine.can_duet, world.can_duet),
                (engine.can_stitch, world.can_stitch),
            ):
                answer = check(viewer, pid)
                assert answer.allowed == expected(viewer, pid), (check, viewer, pid)
                _no_hint(answer, viewer, world.posts[pid].author, world)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    private=st.lists(st.booleans(), min_size=len(USERS), max_size=len(USERS)),
    account_policies=st.lists(policies, min_size=len(USERS), max_size=len(USERS)),
    ops=st.lists(relationship_op, max_size=20),
    posts=st.lists(post, min_size=1, max_size=8),
)
def test_every_check_feed_and_audience_matches_the_rules(
    rule_engine: Engine,
    private: list[bool],
    account_policies: list[dict[str, str]],
    ops: list[tuple[str, str, str]],
    posts: list[tuple[str, str, int, str | None, str | None]],
) -> None:
    engine = rule_engine
    wipe(engine)
    world = World(Model(dict(zip(USERS, private, strict=True))))
    for uid, is_private, pol in zip(USERS, private, account_policies, strict=True):
        engine.user_add(uid, private=is_private, **pol)
        world.policies[uid] = pol
    for op, a, b in ops:
        assert getattr(engine, op)(a, b).outcome == getattr(world.graph, op)(a, b)
    for i, (author, vis, minute, duet, stitch) in enumerate(posts):
        pid = f"p{i}"
        engine.post_add(
            pid, author, vis, created_at=T0 + timedelta(minutes=minute), duet_policy=duet, stitch_policy=stitch
        )
        world.posts[pid] = RefPost(pid, author, vis, minute, duet, stitch)

    post_ids = list(world.posts)
    check_every_post(engine, world, post_ids)
    for a in USERS:
        for b in USERS:
            message = engine.can_message(a, b)
            assert message.allowed == world.can_message(a, b), (a, b)
            _no_hint(message, a, b, world)
            if a != b:
                assert engine.relationship(a, b).can_message == world.can_message(a, b), (a, b)
        for tab, friends_only in (("following", False), ("friends", True)):
            got = [item.id for item in engine.walk(engine.feed, a, tab=tab, page_size=3)]
            assert got == world.feed(a, friends_only), (a, tab)
        for item in engine.feed(a, tab="for-you", limit=50).items:
            assert world.can_view(a, item.id), (a, item.id)
    for pid in post_ids:
        audience = engine.audience(pid, limit=100)
        assert (audience.everyone, list(audience.accounts.items)) == world.audience(pid, USERS), pid


# -- close friends and for-you discovery against the reference model -------------------------------
CLOSE_VIS = ["public", "followers", "friends", "only_me", "close_friends"]
close_op = st.tuples(
    st.sampled_from(["follow", "follow", "close_friends_add", "close_friends_add", "close_friends_remove", "block"]),
    user,
    user,
).filter(lambda t: t[1] != t[2])
recent_post = st.tuples(user, st.sampled_from(CLOSE_VIS), st.integers(1, 50 * 24))  # hours ago (window: 30 days)
like = st.tuples(user, st.integers(0, 7))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    private=st.lists(st.booleans(), min_size=len(USERS), max_size=len(USERS)),
    ops=st.lists(close_op, max_size=20),
    posts=st.lists(recent_post, min_size=1, max_size=8),
    likes=st.lists(like, max_size=6),
)
def test_close_friends_and_for_you_match_the_rules(
    rule_engine: Engine,
    private: list[bool],
    ops: list[tuple[str, str, str]],
    posts: list[tuple[str, str, int]],
    likes: list[tuple[str, int]],
) -> None:
    engine = rule_engine
    wipe(engine)
    world = World(Model(dict(zip(USERS, private, strict=True))))
    for uid, is_private in zip(USERS, private, strict=True):
        engine.user_add(uid, private=is_private, **OPEN_POLICIES)
        world.policies[uid] = dict(OPEN_POLICIES)
    for op, a, b in ops:
        assert getattr(engine, op)(a, b).outcome == getattr(world.graph, op)(a, b), (op, a, b)
    now = datetime.now(UTC)
    in_window: set[str] = set()
    for i, (author, vis, hours) in enumerate(posts):
        pid = f"p{i}"
        engine.post_add(pid, author, vis, created_at=now - timedelta(hours=hours))
        world.posts[pid] = RefPost(pid, author, vis, -hours)
        if hours < 30 * 24 - 1:
            in_window.add(pid)
    interacted: set[str] = set()
    for liker, index in likes:
        pid = f"p{index % len(posts)}"
        allowed = world.can_view(liker, pid)
        assert engine.can_view(liker, pid).allowed == allowed
        if allowed:
            engine.interact("like", liker, pid)
            interacted.add(pid)
    for owner in USERS:
        assert list(engine.walk(engine.close_friends, owner, page_size=2)) == world.graph.close_friends(owner)
        assert engine.segments(owner).close_friends == len(world.graph.close_friends(owner))
    post_ids = list(world.posts)
    check_every_post(engine, world, post_ids)
    for a in USERS:
        for tab, friends_only in (("following", False), ("friends", True)):
            got = [item.id for item in engine.walk(engine.feed, a, tab=tab, page_size=3)]
            assert got == world.feed(a, friends_only), (a, tab)
        walked = [item.id for item in engine.walk(engine.feed, a, tab="for_you", page_size=2)]
        assert len(walked) == len(set(walked)), a  # no duplicate across pages
        assert set(walked) == for_you_members(world, a, in_window, interacted), a
    for pid in post_ids:
        audience = engine.audience(pid, limit=100)
        assert (audience.everyone, list(audience.accounts.items)) == world.audience(pid, USERS), pid


# -- who may see my lists, mutes and expiry against the reference model ----------------------------
LIST_SETTING = st.sampled_from(["everyone", "friends", "only_me"])
timed_op = st.tuples(
    st.sampled_from(
        ["follow", "follow", "follow", "approve", "block", "expire_block", "unblock", "mute", "unmute", "expire_mute"]
    ),
    user,
    user,
).filter(lambda t: t[1] != t[2])
EXPIRE = {
    # the moment of a block or a mute passes: its ``until`` is set a second into the past
    "expire_block": "MATCH (:Account {id: $a})-[r:BLOCKS]->(:Account {id: $b}) "
    "SET r.until = datetime() - duration('PT1S') RETURN count(r) AS n",
    "expire_mute": "MATCH (:Account {id: $a})-[r:MUTES]->(:Account {id: $b}) "
    "SET r.until = datetime() - duration('PT1S') RETURN count(r) AS n",
}


def _apply(engine: Engine, world: World, op: str, a: str, b: str) -> None:
    want = getattr(world.graph, op)(a, b)
    if op in EXPIRE:
        if want == "expired":
            assert engine.query(EXPIRE[op], {"a": a, "b": b}, write=True).rows[0]["n"] == 1
        return
    assert getattr(engine, op)(a, b).outcome == want, (op, a, b)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    private=st.lists(st.booleans(), min_size=len(USERS), max_size=len(USERS)),
    list_settings=st.lists(st.tuples(LIST_SETTING, LIST_SETTING), min_size=len(USERS), max_size=len(USERS)),
    ops=st.lists(timed_op, max_size=24),
    posts=st.lists(st.tuples(user, st.sampled_from(CLOSE_VIS), st.integers(1, 20 * 24)), min_size=1, max_size=6),
)
def test_lists_mutes_and_expiry_match_the_rules(
    rule_engine: Engine,
    private: list[bool],
    list_settings: list[tuple[str, str]],
    ops: list[tuple[str, str, str]],
    posts: list[tuple[str, str, int]],
) -> None:
    engine = rule_engine
    wipe(engine)
    world = World(Model(dict(zip(USERS, private, strict=True))))
    for uid, is_private, (followers_vis, following_vis) in zip(USERS, private, list_settings, strict=True):
        engine.user_add(
            uid,
            private=is_private,
            **OPEN_POLICIES,
            followers_visibility=followers_vis,
            following_visibility=following_vis,
        )
        world.graph.set_lists(uid, followers_vis, following_vis)
        world.policies[uid] = dict(OPEN_POLICIES)
    for op, a, b in ops:
        _apply(engine, world, op, a, b)
    now = datetime.now(UTC)
    for i, (author, vis, hours) in enumerate(posts):
        engine.post_add(f"p{i}", author, vis, created_at=now - timedelta(hours=hours))
        world.posts[f"p{i}"] = RefPost(f"p{i}", author, vis, -hours)
    post_ids = list(world.posts)
    check_every_post(engine, world, post_ids)
    for a in USERS:
        assert list(engine.muted(a).items) == world.graph.muted(a), a
        for b in USERS:
            message = engine.can_message(a, b)
            assert message.allowed == world.can_message(a, b), (a, b)
            _no_hint(message, a, b, world)
            if a == b:
                continue
            rel = engine.relationship(a, b)
            assert (rel.blocking, rel.muting) == ((a, b) in world.graph.blocks, (a, b) in world.graph.mutes), (a, b)
            assert list(engine.known_followers(a, b).items) == world.graph.known_followers(a, b), (a, b)
        for owner in USERS:
            for name, read in (("followers", engine.followers), ("following", engine.following)):
                visible = world.graph.sees_list(a, owner, name)
                try:
                    items = list(read(owner, viewer=a, limit=50).items)
                except NotAllowed as refused:
                    assert not visible, (a, owner, name)
                    assert "block" not in str(refused).lower()
                else:
                    assert visible, (a, owner, name)
                    assert items == getattr(world.graph, name)(owner)
        got = [(s.id, s.mutual_friends, s.via) for s in engine.suggest(a)]
        assert got == world.graph.suggestions(a), a
        assert [(s.id, s.mutual_friends) for s in engine.suggest(a, follow_back=True)] == world.graph.follow_back(a), a
        for tab, friends_only in (("following", False), ("friends", True)):
            assert [item.id for item in engine.walk(engine.feed, a, tab=tab, page_size=3)] == world.feed(
                a, friends_only
            ), (a, tab)
        walked = {item.id for item in engine.walk(engine.feed, a, tab="for_you", page_size=4)}
        assert walked == for_you_members(world, a, set(post_ids), set()), a
    for pid in post_ids:
        audience = engine.audience(pid, limit=100)
        assert (audience.everyone, list(audience.accounts.items)) == world.audience(pid, USERS), pid
    assert engine.doctor().ok
