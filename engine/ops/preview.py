"""preview_change: who would gain and who would lose access to which posts and lists if a change
were made, computed by the engine's own rules on the graph as it would be.

The plan runs in ONE write transaction that the runner rolls back (``Connection.write(...,
rollback=True)``): it reads the audiences of the affected posts and lists with the statements of
``posts.audience`` (``visibility.audience_grant``), runs the very plan of the real verb
(``posts.post_set_visibility``, ``accounts.user_set``, ``follows.approve``, ``follows.block``),
reads the audiences again and diffs them. No rule is restated here.

A list (an account's ``followers`` and ``following``) is seen by the audience of a post of its
owner at the level the list's setting corresponds to (:func:`mutuals.rules.lists.audience_level`:
``everyone`` as ``public``, ``friends`` as ``friends``, ``only_me`` as ``only_me``), so its
audience is read by the same statements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.base.models import AccessChange, AccountSet, Outcome, Preview
from mutuals.io.cursor import Cursors
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops import accounts, follows, posts
from mutuals.rules import lists as list_rule
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


def list_grant(setting: str, owner_private: bool) -> str | None:
    """Who may see an account's followers/following list with this setting: the audience of a
    post of the owner at the corresponding level (engine/rules/lists.py)."""
    return visibility.audience_grant(list_rule.audience_level(setting), owner_private)


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
            account = found[owner]
            for name, setting in (
                ("followers", account.followers_visibility),
                ("following", account.following_visibility),
            ):
                grant = list_grant(setting, account.private)
                members = yield from posts.audience_ids(owner, grant, after="", limit=ALL)
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


def size(s: AccountSet, total: int) -> int:
    return total - len(s.ids) if s.everyone else len(s.ids)


Entry = tuple[str, str, str, str]  # (kind, item, side, id); side "" is the item's own entry


def entries(changes: list[AccessChange]) -> list[Entry]:
    """Every change flattened in the order of the pages: each item's own entry, then the ids it
    gains, then the ids it loses (for an "everyone" set: its exceptions), by id."""
    out: list[Entry] = []
    for c in changes:
        out.append((c.kind, c.item, "", ""))
        out += [(c.kind, c.item, "gained", i) for i in c.gained.ids]
        out += [(c.kind, c.item, "lost", i) for i in c.lost.ids]
    return out


def page_of(changes: list[AccessChange], after: Entry | None, limit: int) -> tuple[list[AccessChange], Entry | None]:
    """The items of one page (at most ``limit`` entries after ``after``; their counts whole, their
    ids those of the page) and the last entry of the page when more follow."""
    flat = entries(changes)
    start = 0 if after is None else next((n for n, e in enumerate(flat) if e > after), len(flat))
    chosen = flat[start : start + limit]
    on_page: dict[tuple[str, str], dict[str, list[str]]] = {}
    for kind, item, side, account in chosen:
        sides = on_page.setdefault((kind, item), {"gained": [], "lost": []})
        if side:
            sides[side].append(account)
    shown = [
        replace(
            c,
            gained=AccountSet(c.gained.everyone, tuple(on_page[(c.kind, c.item)]["gained"])),
            lost=AccountSet(c.lost.everyone, tuple(on_page[(c.kind, c.item)]["lost"])),
        )
        for c in changes
        if (c.kind, c.item) in on_page
    ]
    more = start + limit < len(flat)
    return shown, (chosen[-1] if more and chosen else None)


def _entry(key: Any) -> Entry:
    if not (isinstance(key, list) and len(key) == 4 and all(isinstance(k, str) for k in key)):
        raise InvalidInput("cursor", "is not a cursor of this preview")
    return (key[0], key[1], key[2], key[3])


def preview_change(change: Any, *, limit: Any = 100, cursor: Any = None, cursors: Cursors) -> PlanFactory[Preview]:
    """The plan of a preview (run it with ``rollback=True``): one page of the items whose access
    changes, ``limit`` entries at most (an item, or one account it gains or loses)."""
    what = checked(change)
    shown = v.limit("limit", limit)
    scope = f"preview:{what.describe()}"
    key = cursors.read(scope, cursor)
    after = None if key is None else _entry(key)
    verb = verb_plan(what)

    def plan() -> Plan[Preview]:
        authors = yield from owners(what)
        only = what.subject if what.kind == "visibility" else None
        before = yield from audiences(authors, only)
        outcome = yield from verb()
        after_change = yield from audiences(authors, only)
        total_row = (yield Run("account_total", {})).one()
        total = int(total_row["n"]) if total_row is not None else 0
        changes: list[AccessChange] = []
        for item_key in sorted(set(before) | set(after_change)):
            if item_key not in before or item_key not in after_change:
                continue  # a post cannot appear or vanish through these verbs
            gained, lost = diff(before[item_key], after_change[item_key])
            if not (gained.everyone or gained.ids or lost.everyone or lost.ids):
                continue
            changes.append(
                AccessChange(
                    kind=item_key[0],
                    item=item_key[1],
                    gained_count=size(gained, total),
                    lost_count=size(lost, total),
                    gained=gained,
                    lost=lost,
                )
            )
        items, last = page_of(changes, after, shown)
        return Preview(
            change=what.describe(),
            outcome=outcome.outcome,
            gained=sum(c.gained_count for c in changes),
            lost=sum(c.lost_count for c in changes),
            items=tuple(items),
            next_cursor=None if last is None else cursors.make(scope, list(last)),
        )

    return plan
