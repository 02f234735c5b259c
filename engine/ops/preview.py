"""preview_change: who would gain and who would lose access to which posts and lists if a change
were made, computed by the engine's own rules on the graph as it would be.

The plan runs in ONE write transaction that the runner rolls back (``Connection.write(...,
rollback=True)``): it reads the audiences of the affected posts and lists with the statements of
``posts.audience`` (``visibility.audience_grant``), runs the very plan of the real verb
(``posts.post_set_visibility``, ``accounts.user_set``, ``follows.approve``, ``follows.block``),
reads the audiences again and diffs them. No rule is restated here.

A list (an account's ``followers`` and ``following``) is, today, visible like a ``public`` post of
its owner (docs/rules.md, known followers): everyone but the accounts blocked either way, or for a
private account the account and its followers. When list visibility lands, :func:`list_grant`
takes the list's own level instead of ``"public"``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.base.models import AccessChange, AccountSet, Outcome, Preview
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops import accounts, follows, posts
from mutuals.rules import visibility

KINDS: Final = ("visibility", "private", "approve", "block")
LISTS: Final = ("followers", "following")
ALL: Final = 10_000_000  # read whole audiences (a preview is an owner's question, not a hot path)


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A change to preview, built by one of the constructors (each validates its arguments):
    ``WhatIf.post_set_visibility(P, "friends")``, ``WhatIf.user_set(U, private=True)``,
    ``WhatIf.approve(OWNER, REQUESTER)``, ``WhatIf.block(A, B)``."""

    kind: str
    subject: str
    other: str

    @classmethod
    def post_set_visibility(cls, post: Any, visibility: Any) -> WhatIf:
        return cls("visibility", v.ident("post", post), v.choice("visibility", visibility, v.VISIBILITIES))

    @classmethod
    def user_set(cls, user: Any, *, private: Any) -> WhatIf:
        return cls("private", v.ident("user", user), "true" if v.flag("private", private) else "false")

    @classmethod
    def approve(cls, owner: Any, requester: Any) -> WhatIf:
        o, r = v.ident("owner", owner), v.ident("requester", requester)
        v.distinct("owner", o, "requester", r)
        return cls("approve", o, r)

    @classmethod
    def block(cls, blocker: Any, blocked: Any) -> WhatIf:
        a, b = v.ident("blocker", blocker), v.ident("blocked", blocked)
        v.distinct("blocker", a, "blocked", b)
        return cls("block", a, b)

    def describe(self) -> str:
        return {
            "visibility": f"post_set_visibility({self.subject}, {self.other})",
            "private": f"user_set({self.subject}, private={self.other})",
            "approve": f"approve({self.subject}, {self.other})",
            "block": f"block({self.subject}, {self.other})",
        }[self.kind]


def checked(change: Any) -> WhatIf:
    """The change, re-validated (a WhatIf built by hand, not by a constructor, is checked too)."""
    if not isinstance(change, WhatIf) or not isinstance(change.kind, str):
        raise InvalidInput("change", f"must be a WhatIf (WhatIf.block(a, b)...), got {v.shown(change)}")
    build: dict[str, Callable[[], WhatIf]] = {
        "visibility": lambda: WhatIf.post_set_visibility(change.subject, change.other),
        "private": lambda: WhatIf.user_set(change.subject, private={"true": True, "false": False}.get(change.other)),
        "approve": lambda: WhatIf.approve(change.subject, change.other),
        "block": lambda: WhatIf.block(change.subject, change.other),
    }
    if change.kind not in build:
        raise InvalidInput("change", f"kind must be one of {', '.join(KINDS)}, got {v.shown(change.kind)}")
    try:
        return build[change.kind]()
    except InvalidInput as e:
        raise InvalidInput(f"change.{e.field}", e.problem) from None


def verb_plan(change: WhatIf) -> PlanFactory[Outcome]:
    """The real verb's plan, as the engine builds it."""
    if change.kind == "visibility":
        return posts.post_set_visibility(change.subject, change.other)
    if change.kind == "private":
        return accounts.user_set(change.subject, private=change.other == "true")
    if change.kind == "approve":
        return follows.approve(change.subject, change.other)
    return follows.block(change.subject, change.other)


Audiences = dict[tuple[str, str], tuple[bool, frozenset[str]]]  # (kind, item) -> (everyone, ids)


def list_grant(author_private: bool) -> str | None:
    """Who may see an account's followers/following list today: as a public post of the owner."""
    return visibility.audience_grant("public", author_private)


def owners(change: WhatIf) -> Plan[list[str]]:
    """The accounts whose posts and lists the change may affect: the pair of a pair operation,
    the author of a post, or an account going public and everyone whose request it would approve."""
    if change.kind == "visibility":
        (f,) = yield from posts.facts(None, [change.subject])
        return [f.author]
    if change.kind == "private":
        result = yield Run("list_requests_in", {"user": change.subject, "after": "", "limit": ALL})
        row = result.one()
        return [change.subject, *(row["ids"] if row is not None else [])]
    return [change.subject, change.other]


def audiences(authors: list[str], post_filter: str | None) -> Plan[Audiences]:
    """The audience of every post of these authors (or of the one post) and of their lists."""
    found = yield from accounts.lock(authors)
    out: Audiences = {}
    result = yield Run("posts_by_author", {"authors": authors})
    ids = [row["id"] for row in result.rows if post_filter is None or row["id"] == post_filter]
    for f in (yield from posts.facts(None, ids)) if ids else []:
        grant = posts.grant_of(f)
        members = yield from posts.audience_ids(f.author, grant, after="", limit=ALL)
        out[("post", f.post)] = (grant == "everyone", frozenset(members))
    if post_filter is None:
        for owner in authors:
            if owner not in found:
                continue
            grant = list_grant(found[owner].private)
            members = yield from posts.audience_ids(owner, grant, after="", limit=ALL)
            for name in LISTS:
                out[("list", f"{owner}/{name}")] = (grant == "everyone", frozenset(members))
    return out


def diff(before: tuple[bool, frozenset[str]], after: tuple[bool, frozenset[str]]) -> tuple[AccountSet, AccountSet]:
    """(gained, lost) between two audiences, each either a list or everyone-except-a-list."""
    (b_all, b), (a_all, a) = before, after
    if not b_all and not a_all:
        return AccountSet(False, tuple(sorted(a - b))), AccountSet(False, tuple(sorted(b - a)))
    if b_all and not a_all:  # was everyone but b; now only a
        return AccountSet(False, tuple(sorted(a & b))), AccountSet(True, tuple(sorted(a | b)))
    if not b_all and a_all:  # was only b; now everyone but a
        return AccountSet(True, tuple(sorted(a | b))), AccountSet(False, tuple(sorted(a & b)))
    return AccountSet(False, tuple(sorted(b - a))), AccountSet(False, tuple(sorted(a - b)))


def shorter(s: AccountSet, limit: int) -> AccountSet:
    """At most ``limit`` ids of a list (the counts stay whole); the exceptions of "everyone" are
    kept whole, since a shortened list of exceptions would say more accounts gain or lose."""
    return s if s.everyone else AccountSet(False, s.ids[:limit])


def size(s: AccountSet, total: int) -> int:
    return total - len(s.ids) if s.everyone else len(s.ids)


def preview_change(change: Any, *, limit: Any = 100) -> PlanFactory[Preview]:
    """The plan of a preview (run it with ``rollback=True``)."""
    what = checked(change)
    shown = v.limit("limit", limit)
    verb = verb_plan(what)

    def plan() -> Plan[Preview]:
        authors = yield from owners(what)
        only = what.subject if what.kind == "visibility" else None
        before = yield from audiences(authors, only)
        outcome = yield from verb()
        after = yield from audiences(authors, only)
        total_row = (yield Run("account_total", {})).one()
        total = int(total_row["n"]) if total_row is not None else 0
        changes: list[AccessChange] = []
        for key in sorted(set(before) | set(after)):
            if key not in before or key not in after:
                continue  # a post cannot appear or vanish through these verbs
            gained, lost = diff(before[key], after[key])
            if not (gained.everyone or gained.ids or lost.everyone or lost.ids):
                continue
            changes.append(
                AccessChange(
                    kind=key[0],
                    item=key[1],
                    gained_count=size(gained, total),
                    lost_count=size(lost, total),
                    gained=shorter(gained, shown),
                    lost=shorter(lost, shown),
                )
            )
        return Preview(
            change=what.describe(),
            outcome=outcome.outcome,
            gained=sum(c.gained_count for c in changes),
            lost=sum(c.lost_count for c in changes),
            items=tuple(changes),
        )

    return plan
