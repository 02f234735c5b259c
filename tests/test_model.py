"""Property-based: random operation sequences against a small reference model of docs/rules.md.

Each example starts from an empty database, replays the same operations on the engine and on
the in-test model, and compares every outcome, then friends, every segment (lists and
counts), relationships and suggestions of every account.
"""

from __future__ import annotations

from helpers import wipe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import USERS, Model

from mutuals import Engine

ENGINE_FLAVORS = ("sync", "async")

PAIR_OPS = ["follow", "unfollow", "approve", "deny", "remove_follower", "block", "unblock"]
user = st.sampled_from(USERS)
pair_op = st.tuples(st.sampled_from(PAIR_OPS), user, user).filter(lambda t: t[1] != t[2])
privacy_op = st.tuples(st.just("set_private"), user, st.booleans())
operations = st.lists(st.one_of(pair_op, pair_op, pair_op, privacy_op), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(private=st.lists(st.booleans(), min_size=len(USERS), max_size=len(USERS)), ops=operations)
def test_engine_matches_the_reference_model(rule_engine: Engine, private: list[bool], ops: list[tuple]) -> None:
    engine = rule_engine
    wipe(engine)
    model = Model(dict(zip(USERS, private, strict=True)))
    for uid, is_private in zip(USERS, private, strict=True):
        engine.user_add(uid, private=is_private)
    for op, a, b in ops:
        if op == "set_private":
            got = engine.user_set(a, private=b).outcome
            want = model.set_private(a, b)
        else:
            got = getattr(engine, op)(a, b).outcome
            want = getattr(model, op)(a, b)
        assert got == want, (op, a, b)
    for u in USERS:
        assert list(engine.walk(engine.friends, u, page_size=2)) == model.friends(u)
        assert list(engine.followers(u).items) == model.followers(u)
        assert list(engine.following(u).items) == model.following(u)
        counts = engine.segments(u).to_dict()
        for name in ("friends", "followers_only", "following_only", "requests_in", "requests_out", "blocked"):
            assert list(engine.segment(u, name).items) == model.segment(u, name), (u, name)
            assert counts[name] == len(model.segment(u, name)), (u, name)
        got_suggestions = [(s.id, s.mutual_friends, s.via) for s in engine.suggest(u)]
        assert got_suggestions == model.suggestions(u), u
        assert [(s.id, s.mutual_friends) for s in engine.suggest(u, follow_back=True)] == model.follow_back(u), u
        for w in USERS:
            if w == u:
                continue
            rel = engine.relationship(u, w)
            assert rel.friends == (w in model.friends(u))
            assert rel.requested == ((u, w) in model.requests)
            assert rel.blocking == ((u, w) in model.blocks)
            assert rel.mutual_friends == len(set(model.friends(u)) & set(model.friends(w)))
    assert engine.doctor().ok
