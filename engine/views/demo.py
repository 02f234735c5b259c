"""The guided tour of ``mutuals demo``: a small sample community and the steps that show it off.

Each step is the engine call a service would make, with the equivalent CLI command, so the tour
doubles as a cheat sheet. The steps are data (a call on an engine), so the same tour runs on
``Engine`` and ``AsyncEngine``.

The accounts the demo creates are labelled ``DemoAccount``; re-running it first deletes those,
and only those (with their posts). On a database holding any other account it refuses
(:class:`Conflict`) unless ``force``: then it adds the sample community next to them, using an
account of the same name as it is, and still deletes only what it created.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mutuals.base.errors import Conflict, NotAllowed
from mutuals.io.plan import Plan, PlanFactory, Run
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
    pause: float = 0.0  # seconds to wait before the call (a timed mute expiring)


Call = tuple[str, tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Census:
    """The accounts the demo created before, and how many others there are (a few of their ids)."""

    mine: tuple[str, ...]
    others: int
    sample: tuple[str, ...]


def census() -> Plan[Census]:
    """Read which accounts are the demo's own and how many are not."""
    result = yield Run("demo_census", {})
    row = result.one() or {}
    return Census(tuple(row.get("mine") or ()), int(row.get("others") or 0), tuple(row.get("sample") or ()))


def mark(ids: list[str]) -> PlanFactory[int]:
    """Label the accounts the demo has just created as its own."""

    def plan() -> Plan[int]:
        result = yield Run("demo_mark", {"ids": ids})
        return int((result.one() or {}).get("marked") or 0)

    return plan


def admit(found: Census, force: bool) -> None:
    """Refuse a database holding accounts the demo did not create, unless ``force``."""
    if found.others and not force:
        shown = ", ".join(found.sample) + (", ..." if found.others > len(found.sample) else "")
        raise Conflict(
            f"the database holds {found.others:,} accounts the demo did not create ({shown}): run the demo "
            "on an empty database (`mutuals db reset`, or a server of its own: MUTUALS_HOME=$(mktemp -d) "
            "MUTUALS_PORT=7688 mutuals demo), or pass --force to add the sample community next to them "
            "(the demo deletes only the accounts it created)"
        )


def account_calls(mine: tuple[str, ...]) -> list[Call]:
    """The engine calls that delete the demo's own accounts of a previous run and create its accounts."""
    calls: list[Call] = [("user_delete", (p,), {}) for p in mine]
    calls += [("user_add", (p,), {"private": p in PRIVATE, **POLICIES.get(p, {})}) for p in PEOPLE]
    return calls


def setup_calls(now: datetime) -> list[Call]:
    """The engine calls (method, args, kwargs) that create the sample community once its accounts exist."""
    calls: list[Call] = [("follow", (a, b), {}) for a, b in FOLLOWS]
    calls += [("post_add", (i, a, v), {"created_at": now - timedelta(hours=h)}) for i, a, v, h in POSTS]
    calls.append(("interact", ("comment", "carol", "alice-hello"), {"at": now - timedelta(hours=20)}))
    calls.append(("interact", ("like", "dave", "alice-hello"), {"at": now - timedelta(hours=25)}))
    calls += close_friends_setup(now)
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


# -- close friends and discovery in for-you (docs/rules.md "Close friends"; docs/ranking.md "Discovery")
def close_friends_setup(now: datetime) -> list[Call]:
    """alice's close-friends post, and a public post of grace (a friend of dave's friend heidi)."""
    return [
        ("post_add", ("alice-secret", "alice", "close_friends"), {"created_at": now - timedelta(hours=4)}),
        ("post_add", ("grace-trail", "grace", "public"), {"created_at": now - timedelta(hours=6)}),
        ("post_add", ("heidi-song", "heidi", "public"), {"created_at": now - timedelta(hours=7)}),
    ]


CLOSE_FRIENDS_STEPS = [
    Spec(
        "alice puts oscar, who is not her friend, on her close-friends list",
        "mutuals close-friends add alice oscar",
        lambda e: e.close_friends_add("alice", "oscar"),
    ),
    Spec("alice's close friends", "mutuals close-friends list alice", lambda e: e.close_friends("alice")),
    Spec(
        "oscar may see alice's close-friends post",
        "mutuals can view oscar alice-secret --explain",
        lambda e: e.can_view("oscar", "alice-secret"),
    ),
    Spec(
        "carol, alice's friend but not on the list, may not",
        "mutuals can view carol alice-secret --explain",
        lambda e: e.can_view("carol", "alice-secret"),
    ),
    Spec(
        "Who can see alice's close-friends post", "mutuals audience alice-secret", lambda e: e.audience("alice-secret")
    ),
    Spec(
        "dave's for-you feed also discovers public posts of friends of his friends (source friends_of_friends)",
        "mutuals feed dave --tab for-you --json",
        lambda e: e.feed("dave", tab="for_you"),
    ),
]
STEPS += CLOSE_FRIENDS_STEPS

# -- who may see my lists, and a timed mute (docs/rules.md "Who may see my lists", "Mute", "Until")
MUTE_SECONDS = 2
LIST_AND_MUTE_STEPS = [
    Spec(
        "ivan shows his followers list to himself only",
        "mutuals user set ivan --followers-visibility only_me",
        lambda e: e.user_set("ivan", followers_visibility="only_me"),
    ),
    Spec(
        "oscar asks to see ivan's followers",
        "mutuals followers ivan --viewer oscar",
        lambda e: e.followers("ivan", viewer="oscar"),
        may_refuse=True,
    ),
    Spec(
        "ivan's profile as oscar sees it: a hidden list still shows its count",
        "mutuals profile-for oscar ivan",
        lambda e: e.profile_for("oscar", "ivan"),
    ),
    Spec(
        f"dave mutes heidi for {MUTE_SECONDS} seconds: her posts leave his feeds, the follow stays, heidi is not told",
        f"mutuals mute dave heidi --until {MUTE_SECONDS}s",
        lambda e: e.mute("dave", "heidi", until=f"{MUTE_SECONDS}s"),
    ),
    Spec("dave's following feed while heidi is muted", "mutuals feed dave", lambda e: e.feed("dave")),
    Spec(
        f"{MUTE_SECONDS} seconds later the mute has ended by itself: heidi's post is back",
        "mutuals feed dave",
        lambda e: e.feed("dave"),
        pause=MUTE_SECONDS + 0.2,
    ),
]
STEPS += LIST_AND_MUTE_STEPS


def created(name: str, args: tuple[Any, ...], result: Any) -> list[str]:
    """The account a set-up call created, if any."""
    return [args[0]] if name == "user_add" and getattr(result, "outcome", None) == "created" else []


def tour(engine: Any, conn: Any, *, force: bool = False) -> Iterator[Step]:
    """The steps of the demo on an ``Engine`` (``conn``: its connection, for the demo's own
    accounts), run one by one as the caller iterates."""
    found = conn.read(census)
    admit(found, force)
    new: list[str] = []
    for name, args, kwargs in account_calls(found.mine):
        new += created(name, args, getattr(engine, name)(*args, **kwargs))
    conn.write(mark(new))
    for name, args, kwargs in setup_calls(datetime.now(UTC)):
        getattr(engine, name)(*args, **kwargs)
    yield INTRO
    for spec in STEPS:
        time.sleep(spec.pause)
        try:
            result = spec.call(engine)
        except NotAllowed as refused:
            if not spec.may_refuse:
                raise
            result = Refused(str(refused))
        yield Step(spec.title, spec.command, result)


async def atour(engine: Any, conn: Any, *, force: bool = False) -> AsyncIterator[Step]:
    """The same tour on an ``AsyncEngine``."""
    found = await conn.read(census)
    admit(found, force)
    new: list[str] = []
    for name, args, kwargs in account_calls(found.mine):
        new += created(name, args, await getattr(engine, name)(*args, **kwargs))
    await conn.write(mark(new))
    for name, args, kwargs in setup_calls(datetime.now(UTC)):
        await getattr(engine, name)(*args, **kwargs)
    yield INTRO
    for spec in STEPS:
        await asyncio.sleep(spec.pause)
        try:
            result = await spec.call(engine)
        except NotAllowed as refused:
            if not spec.may_refuse:
                raise
            result = Refused(str(refused))
        yield Step(spec.title, spec.command, result)
