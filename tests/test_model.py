"""Property-based: random operation sequences against a small reference model of DESIGN.md.

Each example starts from an empty database, replays the same operations on the engine and on
the in-test model, and compares every outcome, then friends, every segment (lists and
counts), relationships and suggestions of every account.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers import wipe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Engine

USERS = ["u0", "u1", "u2", "u3", "u4"]


@dataclass
class Model:
    """The rules of DESIGN.md over plain sets."""

    private: dict[str, bool]
    follows: set[tuple[str, str]] = field(default_factory=set)
    requests: set[tuple[str, str]] = field(default_factory=set)
    blocks: set[tuple[str, str]] = field(default_factory=set)

    def blocked(self, a: str, b: str) -> bool:
        return (a, b) in self.blocks or (b, a) in self.blocks

    def follow(self, a: str, b: str) -> str:
        if self.blocked(a, b):
            return "blocked"
        if (a, b) in self.follows:
            return "already_following"
        if self.private[b]:
            if (a, b) in self.requests:
                return "already_requested"
            self.requests.add((a, b))
            return "requested"
        self.follows.add((a, b))
        return "became_friends" if (b, a) in self.follows else "followed"

    def unfollow(self, a: str, b: str) -> str:
        if (a, b) in self.follows:
            self.follows.discard((a, b))
            return "unfollowed"
        if (a, b) in self.requests:
            self.requests.discard((a, b))
            return "request_cancelled"
        return "not_following"

    def approve(self, owner: str, requester: str) -> str:
        if (requester, owner) not in self.requests:
            return "no_request"
        self.requests.discard((requester, owner))
        self.follows.add((requester, owner))
        return "approved"

    def deny(self, owner: str, requester: str) -> str:
        if (requester, owner) not in self.requests:
            return "no_request"
        self.requests.discard((requester, owner))
        return "denied"

    def remove_follower(self, owner: str, follower: str) -> str:
        if (follower, owner) not in self.follows:
            return "not_following"
        self.follows.discard((follower, owner))
        return "removed"

    def block(self, a: str, b: str) -> str:
        if (a, b) in self.blocks:
            return "already_blocked"
        for rel in (self.follows, self.requests):
            rel.discard((a, b))
            rel.discard((b, a))
        self.blocks.add((a, b))
        return "blocked"

    def unblock(self, a: str, b: str) -> str:
        if (a, b) not in self.blocks:
            return "not_blocked"
        self.blocks.discard((a, b))
        return "unblocked"

    def set_private(self, u: str, value: bool) -> str:
        if self.private[u] == value:
            return "unchanged"
        self.private[u] = value
        if not value:
            for a, b in sorted(self.requests):
                if b == u:
                    self.requests.discard((a, b))
                    self.follows.add((a, b))
        return "updated"

    # -- queries
    def friends(self, u: str) -> list[str]:
        return sorted(b for a, b in self.follows if a == u and (b, u) in self.follows)

    def followers(self, u: str) -> list[str]:
        return sorted(a for a, b in self.follows if b == u)

    def following(self, u: str) -> list[str]:
        return sorted(b for a, b in self.follows if a == u)

    def segment(self, u: str, name: str) -> list[str]:
        friends = set(self.friends(u))
        return {
            "friends": sorted(friends),
            "followers_only": [x for x in self.followers(u) if x not in friends],
            "following_only": [x for x in self.following(u) if x not in friends],
            "requests_in": sorted(a for a, b in self.requests if b == u),
            "requests_out": sorted(b for a, b in self.requests if a == u),
            "blocked": sorted(b for a, b in self.blocks if a == u),
        }[name]

    def suggestions(self, u: str) -> list[tuple[str, int, tuple[str, ...]]]:
        mine = set(self.friends(u))
        found = []
        for w in USERS:
            if w == u or (u, w) in self.follows or (u, w) in self.requests or self.blocked(u, w):
                continue
            mutual = sorted(mine & set(self.friends(w)))
            if mutual:
                found.append((w, len(mutual), tuple(mutual[:3])))
        return sorted(found, key=lambda s: (-s[1], s[0]))

    def follow_back(self, u: str) -> list[tuple[str, int]]:
        mine = set(self.friends(u))
        found = [(w, len(mine & set(self.friends(w)))) for w in self.segment(u, "followers_only")]
        return sorted(found, key=lambda s: (-s[1], s[0]))


PAIR_OPS = ["follow", "unfollow", "approve", "deny", "remove_follower", "block", "unblock"]
user = st.sampled_from(USERS)
pair_op = st.tuples(st.sampled_from(PAIR_OPS), user, user).filter(lambda t: t[1] != t[2])
privacy_op = st.tuples(st.just("set_private"), user, st.booleans())
operations = st.lists(st.one_of(pair_op, pair_op, pair_op, privacy_op), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(private=st.lists(st.booleans(), min_size=len(USERS), max_size=len(USERS)), ops=operations)
def test_engine_matches_the_reference_model(session_engine: Engine, private: list[bool], ops: list[tuple]) -> None:
    engine = session_engine
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
