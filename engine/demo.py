"""The guided tour of ``mutuals demo``: a small sample community and the steps that show it off.

Each step is the engine call a service would make, with the equivalent CLI command, so the tour
doubles as a cheat sheet. Re-running it first deletes the sample accounts it created before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
]


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
    return len(FOLLOWS)


def tour(engine: Engine) -> Iterator[Step]:
    """The steps of the demo, run one by one as the caller iterates."""

    def step(title: str, command: str, call: Callable[[], Any]) -> Step:
        return Step(title, command, call())

    loaded = load_sample(engine)
    yield Step("A sample community", "mutuals import ...", f"{len(PEOPLE)} accounts, {loaded} follows")
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
