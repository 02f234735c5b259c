"""The offline preparation's lookup tables, built once by the general lane's own functions: each
column's parse remembered by value, :func:`admit` over every state of a pair, a check remembered
by the facts without the ids, the posts and accounts as numbers for the interactions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from itertools import repeat
from typing import Any, Final

import numpy as np

from mutuals import rules
from mutuals.base import validate as v
from mutuals.bulk.offline_columns import _State, _where
from mutuals.bulk.rows import RowError, _bool, _policy, _time
from mutuals.ops.interactions import BLOCK_RULES, CHECK, PAST
from mutuals.ops.interactions import KINDS as INTERACTION_KINDS
from mutuals.rules.admission import Admission, Pair, admit

_BAD: Final = object()  # a value whose parse fails: the row takes the general lane


_MISS: Final = object()  # a value not parsed yet


class _Memo:
    """A parse of one column's value, remembered by value (at most ``size`` values): the parsed
    value, or ``_BAD`` when the parse refuses it (the row then takes the general lane, which
    says why)."""

    def __init__(self, convert: Callable[[str], Any], size: int = 200_000) -> None:
        self.convert, self.size = convert, size
        self.known: dict[str, Any] = {}

    def __call__(self, value: str) -> Any:
        found = self.known.get(value, _MISS)
        if found is not _MISS:
            return found
        try:
            out = self.convert(value)
        except RowError:
            out = _BAD
        if len(self.known) < self.size:
            self.known[value] = out
        return out

    def column(self, values: list[str]) -> list[Any]:
        """The parse of every value of a column."""
        out = list(map(self.known.get, values, repeat(_MISS)))
        if _MISS in out:
            for i in _where(out, _MISS):
                out[i] = self(values[i])
        return out


def _column(name: str) -> Callable[[str], Any]:
    """The parse of one optional column of users.csv or posts.csv, as :mod:`.rows` does it."""
    if name == "private":
        return lambda value: _bool({name: value}, name)
    if name == "created_at":
        return lambda value: _time({name: value}, name)
    choices = v.MEDIA_POLICIES if name in ("duet_policy", "stitch_policy") else v.POLICY_CHOICES[name]
    return lambda value: _policy({name: value}, name, choices)


# The fast lane remembers a permission check by the facts without the ids: the rules read an id
# only to say who (in the reasons) and whether the viewer is the author. A new fact must be
# added to the key (tests/test_offline.py checks the key against the rules on every state).
_FACTS: Final = frozenset(f.name for f in dataclasses.fields(rules.PostFacts))


_KEYED: Final = frozenset(
    {
        "post",
        "author",
        "viewer",
        "visibility",
        "author_private",
        "comment_policy",
        "duet_policy",
        "stitch_policy",
        "viewer_follows_author",
        "author_follows_viewer",
        "viewer_blocks_author",
        "author_blocks_viewer",
        "viewer_close_friend",
    }
)


if _FACTS != _KEYED:
    raise RuntimeError(f"PostFacts changed ({sorted(_FACTS ^ _KEYED)}): update check_key of the offline preparation")


def check_key(kind: str, f: rules.PostFacts) -> tuple[Any, ...]:
    """What the check of an interaction of ``kind`` depends on: the facts but the ids (and whether
    the viewer is the author)."""
    return (
        kind,
        (f.visibility, f.author_private, f.comment_policy, f.duet_policy, f.stitch_policy),
        f.viewer == f.author,
        f.viewer_follows_author,
        f.author_follows_viewer,
        f.viewer_blocks_author,
        f.author_blocks_viewer,
        f.viewer_close_friend,
    )


def check_of_key(key: tuple[Any, ...]) -> bool:
    """The check of :func:`check_key`'s facts, with stand-in ids: whether it allows."""
    kind, post, is_author, follows, back, blocks, blocked, close = key
    visibility, private, comment, duet, stitch = post
    facts = rules.PostFacts(
        post="p",
        author="a",
        visibility=visibility,
        author_private=private,
        comment_policy=comment,
        duet_policy=duet,
        stitch_policy=stitch,
        viewer="a" if is_author else "v",
        viewer_follows_author=follows,
        author_follows_viewer=back,
        viewer_blocks_author=blocks,
        author_blocks_viewer=blocked,
        viewer_close_friend=close,
    )
    return CHECK[kind](facts).allowed


def message_allowed(sender_blocks: bool, recipient_blocks: bool, dm_policy: str, friends: bool) -> bool:
    """:func:`mutuals.rules.message` of two distinct accounts, with stand-in ids."""
    return rules.message(
        "s", "r", sender_blocks=sender_blocks, recipient_blocks=recipient_blocks, dm_policy=dm_policy, friends=friends
    ).allowed


def _admissions() -> dict[tuple[bool, ...], Admission]:
    """:func:`admit` of an imported follow, for every state of the pair (stand-in ids):
    (b_private, a_follows_b, b_follows_a, a_requested_b, a_blocks_b, b_blocks_a) -> decision."""
    table: dict[tuple[bool, ...], Admission] = {}
    for n in range(64):
        flags = tuple(bool(n >> k & 1) for k in range(6))
        private, follows, back, requested, blocks, blocked = flags
        table[flags] = admit(
            Pair("a", "b", b_private=private, a_follows_b=follows, b_follows_a=back, a_requested_b=requested,
                 a_blocks_b=blocks, b_blocks_a=blocked),
            approved=True,
        )  # fmt: skip
    return table


class _Posts:
    """The posts and accounts as numbers: each post's number, author (its number and id), and
    facts (a number into ``table``: visibility, author_private, comment_policy, the effective duet
    and stitch policies); each account's dm_policy (a number into ``table`` too, after the facts)."""

    def __init__(self, state: _State) -> None:
        users, index = state.users, state.index
        self.number = dict(zip(state.posts, range(len(state.posts)), strict=True))
        authors = [p["author"] for p in state.posts.values()]
        self.pids = np.array(list(state.posts) or [""], object)
        self.author = np.fromiter(map(index.__getitem__, authors), np.int64, len(authors))
        numbers: dict[tuple[Any, ...], int] = {}
        owners = {
            uid: (bool(u["private"]), u["comment_policy"], u["duet_policy"], u["stitch_policy"])
            for uid, u in users.items()
        }
        facts = []
        for p in state.posts.values():
            private, comment, duet, stitch = owners[p["author"]]
            about = (p["visibility"], private, comment, p.get("duet_policy") or duet, p.get("stitch_policy") or stitch)
            facts.append(numbers.setdefault(about, len(numbers)))
        self.facts = np.array(facts or [0], np.int64)
        self.table: list[tuple[Any, ...]] = list(numbers)
        dm = {(policy,): len(numbers) + i for i, policy in enumerate(v.DM_POLICIES)}
        self.table.extend(dm)
        self.dm = np.fromiter((dm[(users[uid]["dm_policy"],)] for uid in index), np.int64, len(index))
        if not len(self.dm):
            self.dm = np.zeros(1, np.int64)
        if not len(self.author):
            self.author = np.zeros(1, np.int64)
        self.width = len(self.table)


_KIND_NUMBER: Final = {kind: i for i, kind in enumerate(INTERACTION_KINDS)}


_PAST: Final = np.array([PAST[kind] for kind in INTERACTION_KINDS], object)


_KINDS: Final = np.array(INTERACTION_KINDS, object)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _refusal(kind: str, decision: rules.Decision) -> tuple[str, str]:
    reason = "blocked_pair" if decision.rule in BLOCK_RULES else "not_allowed"
    return reason, f"{kind} refused: {'; '.join(decision.reasons)}"
