"""The guided tour of ``mutuals demo``: a small sample community and the steps that show it off.

Each step is the engine call a service would make, with the equivalent CLI command, so the tour
doubles as a cheat sheet. Re-running it first deletes the sample accounts it created before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .errors import NotAllowed

if TYPE_CHECKING:
    from .core import Engine

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


def load_sample(engine: Engine) -> int:
    """(Re)create the sample community; returns the number of follows loaded."""
    for person in PEOPLE:
        engine.user_delete(person)
    for person in PEOPLE:
        engine.user_add(person, private=person in PRIVATE, **POLICIES.get(person, {}))
    for a, b in FOLLOWS:
        engine.follow(a, b)
    now = datetime.now(UTC)
    for post_id, author, visibility, hours in POSTS:
        engine.post_add(post_id, author, visibility, created_at=now - timedelta(hours=hours))
    engine.interact("comment", "carol", "alice-hello", at=now - timedelta(hours=20))
    engine.interact("like", "dave", "alice-hello", at=now - timedelta(hours=25))
    return len(FOLLOWS)


def tour(engine: Engine) -> Iterator[Step]:
    """The steps of the demo, run one by one as the caller iterates."""

    def step(title: str, command: str, call: Callable[[], Any]) -> Step:
        return Step(title, command, call())

    loaded = load_sample(engine)
    yield Step(
        "A sample community",
        "mutuals user add ... / mutuals follow ... / mutuals post add ...",
        f"{len(PEOPLE)} accounts, {loaded} follows, {len(POSTS)} posts",
    )
    yield step("bob follows alice: a plain follow", "mutuals follow bob alice", lambda: engine.follow("bob", "alice"))
    yield step(
        "alice follows bob back: now they are friends",
        "mutuals follow alice bob",
        lambda: engine.follow("alice", "bob"),
    )
    yield step("Friends of alice", "mutuals friends alice", lambda: engine.friends("alice"))
    yield step(
        "frank asks to follow erin, who is private", "mutuals follow frank erin", lambda: engine.follow("frank", "erin")
    )
    yield step(
        "erin's pending requests", "mutuals segment erin requests-in", lambda: engine.segment("erin", "requests-in")
    )
    yield step("erin approves frank", "mutuals approve erin frank", lambda: engine.approve("erin", "frank"))
    yield step(
        "alice blocks mallory: their follows are gone, both ways",
        "mutuals block alice mallory",
        lambda: engine.block("alice", "mallory"),
    )
    yield step(
        "mallory tries to follow alice again", "mutuals follow mallory alice", lambda: engine.follow("mallory", "alice")
    )
    yield step("Every segment of alice's audience", "mutuals segments alice", lambda: engine.segments("alice"))
    yield step(
        "How alice and carol relate", "mutuals relationship alice carol", lambda: engine.relationship("alice", "carol")
    )
    yield step("People dave may know", "mutuals suggest dave", lambda: engine.suggest("dave"))
    yield step(
        "Followers alice could follow back",
        "mutuals suggest alice --follow-back",
        lambda: engine.suggest("alice", follow_back=True),
    )
    yield step(
        "carol, alice's friend, may see alice's friends-only post",
        "mutuals can view carol alice-beach --explain",
        lambda: engine.can_view("carol", "alice-beach"),
    )
    yield step(
        "oscar follows alice, but is not her friend",
        "mutuals can view oscar alice-beach --explain",
        lambda: engine.can_view("oscar", "alice-beach"),
    )
    yield step(
        "carol's following feed: only what carol may see, newest first",
        "mutuals feed carol",
        lambda: engine.feed("carol"),
    )
    yield step(
        "dave's for-you feed: friendship and depth outweigh recency",
        "mutuals feed dave --tab for-you",
        lambda: engine.feed("dave", tab="for_you"),
    )
    yield step(
        "oscar tries to message alice, who accepts messages from friends only",
        "mutuals interact message oscar alice",
        lambda: _attempt(lambda: engine.interact("message", "oscar", "alice")),
    )
    yield step(
        "Who can see alice's friends-only post", "mutuals audience alice-beach", lambda: engine.audience("alice-beach")
    )


def _attempt(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except NotAllowed as refused:
        return Refused(str(refused))
