"""Property-based privacy: random worlds (accounts, follows, requests, blocks, policies, posts of
every visibility) compared with the in-test reference model for every check, both feeds and
every audience list. A privacy leak anywhere fails this test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpers import wipe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import USERS, Model, RefPost, World

from mutuals import Engine

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
    for viewer in [None, *USERS]:
        many = engine.can_view_many(viewer, post_ids)
        for pid in post_ids:
            expected = world.can_view(viewer, pid)
            assert engine.can_view(viewer, pid).allowed == expected, (viewer, pid)
            assert many[pid].allowed == expected, (viewer, pid)
            if viewer is not None:
                assert engine.can_comment(viewer, pid).allowed == world.can_comment(viewer, pid), (viewer, pid)
                assert engine.can_duet(viewer, pid).allowed == world.can_duet(viewer, pid), (viewer, pid)
                assert engine.can_stitch(viewer, pid).allowed == world.can_stitch(viewer, pid), (viewer, pid)
    for a in USERS:
        for b in USERS:
            assert engine.can_message(a, b).allowed == world.can_message(a, b), (a, b)
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
