"""The guided tour of ``mutuals demo``: a small sample community and the steps that show it off.

Each step is the engine call a service would make, with the equivalent CLI command, so the tour
doubles as a cheat sheet. Re-running it first deletes the sample accounts it created before.
The steps are data (a call on an engine), so the same tour runs on ``Engine`` and ``AsyncEngine``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mutuals.base.errors import NotAllowed
from mutuals.ops.preview import WhatIf

PEOPLE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"]
PRIVATE = {"erin"}
POLICIES = {"carol": {"dm_policy": "everyone"}, "judy": {"dm_policy": "nobody"}}
FOLLOWS = [
    ("alice", "carol"),
    ("carol", "alice"),
    ("alice", "dave"),
    ("dave", "alice"),
    ("bob", "carol"),
    ("carol", "bob"),
    ("carol", "grace"),
    ("grace", "carol"),
    ("dave", "heidi"),
    ("heidi", "dave"),
    ("grace", "heidi"),
    ("heidi", "grace"),
    ("ivan", "alice"),
    ("judy", "alice"),
    ("oscar", "alice"),
    ("alice", "judy"),
    ("alice", "ivan"),
    ("grace", "ivan"),
    ("ivan", "grace"),
    ("heidi", "ivan"),
    ("ivan", "heidi"),
    ("frank", "bob"),
    ("oscar", "bob"),
    ("mallory", "alice"),
    ("alice", "mallory"),
    ("oscar", "erin"),  # erin is private: a request that stays pending
]


POSTS = [  # id, author, visibility, hours ago
    ("alice-beach", "alice", "friends", 2),
    ("alice-hello", "alice", "public", 30),
    ("bob-recipe", "bob", "followers", 5),
    ("carol-paper", "carol", "public", 1),
    ("grace-diary", "grace", "only_me", 3),
]


@dataclass(frozen=True, slots=True)
class Refused:
    """An interaction the rules refused, with the reason."""

    message: str


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the tour: what it shows, the equivalent command, and the engine's answer."""

    title: str
    command: str
    result: Any


@dataclass(frozen=True, slots=True)
class Spec:
    """A step to run: ``call`` takes the engine (its result is awaited on an AsyncEngine);
    ``may_refuse`` turns a refusal by the rules into a :class:`Refused` result."""

    title: str
    command: str
    call: Callable[[Any], Any]
    may_refuse: bool = False


Call = tuple[str, tuple[Any, ...], dict[str, Any]]


def setup_calls(now: datetime) -> list[Call]:
    """The engine calls (method, args, kwargs) that (re)create the sample community."""
    calls: list[Call] = [("user_delete", (p,), {}) for p in PEOPLE]
    calls += [("user_add", (p,), {"private": p in PRIVATE, **POLICIES.get(p, {})}) for p in PEOPLE]
    calls += [("follow", (a, b), {}) for a, b in FOLLOWS]
    calls += [("post_add", (i, a, v), {"created_at": now - timedelta(hours=h)}) for i, a, v, h in POSTS]
    calls.append(("interact", ("comment", "carol", "alice-hello"), {"at": now - timedelta(hours=20)}))
    calls.append(("interact", ("like", "dave", "alice-hello"), {"at": now - timedelta(hours=25)}))
    return calls


INTRO = Step(
    "A sample community",
    "mutuals user add ... / mutuals follow ... / mutuals post add ...",
    f"{len(PEOPLE)} accounts, {len(FOLLOWS)} follows, {len(POSTS)} posts",
)

STEPS = [
    Spec("bob follows alice: a plain follow", "mutuals follow bob alice", lambda e: e.follow("bob", "alice")),
    Spec(
        "alice follows bob back: now they are friends", "mutuals follow alice bob", lambda e: e.follow("alice", "bob")
    ),
    Spec("Friends of alice", "mutuals friends alice", lambda e: e.friends("alice")),
    Spec("frank asks to follow erin, who is private", "mutuals follow frank erin", lambda e: e.follow("frank", "erin")),
    Spec("erin's pending requests", "mutuals segment erin requests-in", lambda e: e.segment("erin", "requests-in")),
    Spec("erin approves frank", "mutuals approve erin frank", lambda e: e.approve("erin", "frank")),
    Spec(
        "alice blocks mallory: their follows are gone, both ways",
        "mutuals block alice mallory",
        lambda e: e.block("alice", "mallory"),
    ),
    Spec("mallory tries to follow alice again", "mutuals follow mallory alice", lambda e: e.follow("mallory", "alice")),
    Spec("Every segment of alice's audience", "mutuals segments alice", lambda e: e.segments("alice")),
    Spec("How alice and carol relate", "mutuals relationship alice carol", lambda e: e.relationship("alice", "carol")),
    Spec("People dave may know", "mutuals suggest dave", lambda e: e.suggest("dave")),
    Spec(
        "Followers alice could follow back",
        "mutuals suggest alice --follow-back",
        lambda e: e.suggest("alice", follow_back=True),
    ),
    Spec(
        "carol, alice's friend, may see alice's friends-only post",
        "mutuals can view carol alice-beach --explain",
        lambda e: e.can_view("carol", "alice-beach"),
    ),
    Spec(
        "oscar follows alice, but is not her friend",
        "mutuals can view oscar alice-beach --explain",
        lambda e: e.can_view("oscar", "alice-beach"),
    ),
    Spec(
        "carol's following feed: only what carol may see, newest first",
        "mutuals feed carol",
        lambda e: e.feed("carol"),
    ),
    Spec(
        "dave's for-you feed: friendship and depth outweigh recency",
        "mutuals feed dave --tab for-you",
        lambda e: e.feed("dave", tab="for_you"),
    ),
    Spec(
        "oscar tries to message alice, who accepts messages from friends only",
        "mutuals interact message oscar alice",
        lambda e: e.interact("message", "oscar", "alice"),
        may_refuse=True,
    ),
    Spec("Who can see alice's friends-only post", "mutuals audience alice-beach", lambda e: e.audience("alice-beach")),
]

# -- privacy as people expect it: preview (a separate block, docs/rules.md "Preview") ----------
STEPS += [
    Spec(
        "What if alice went private? (a preview: nothing changes)",
        "mutuals preview private alice",
        lambda e: e.preview_change(WhatIf.user_set("alice", private=True), limit=5),
    ),
]


def tour(engine: Any) -> Iterator[Step]:
    """The steps of the demo on an ``Engine``, run one by one as the caller iterates."""
    for name, args, kwargs in setup_calls(datetime.now(UTC)):
        getattr(engine, name)(*args, **kwargs)
    yield INTRO
    for spec in STEPS:
        try:
            result = spec.call(engine)
        except NotAllowed as refused:
            if not spec.may_refuse:
                raise
            result = Refused(str(refused))
        yield Step(spec.title, spec.command, result)


async def atour(engine: Any) -> AsyncIterator[Step]:
    """The same tour on an ``AsyncEngine``."""
    for name, args, kwargs in setup_calls(datetime.now(UTC)):
        await getattr(engine, name)(*args, **kwargs)
    yield INTRO
    for spec in STEPS:
        try:
            result = await spec.call(engine)
        except NotAllowed as refused:
            if not spec.may_refuse:
                raise
            result = Refused(str(refused))
        yield Step(spec.title, spec.command, result)
