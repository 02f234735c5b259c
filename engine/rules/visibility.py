"""can_view in one place: the table of visibility levels, and everything derived from it.

Each visibility level of a post names the relations between viewer and author that grant a view
(in order: the first that holds decides, with its rule code and reason), and what a viewer who
has none of them is told. Each relation is defined once, as a Python fact over
:class:`~mutuals.rules.permissions.PostFacts`, as a Cypher expression over the named inputs of
the ``can_view`` fragment, and as the audience statement that lists who holds it. From the table
come:

* :func:`decide`: the Python decision with its explanation (``rules.view``);
* :func:`fragment`: the Cypher boolean the loader (``mutuals.io.cypher``, through
  :mod:`mutuals.rules.fragments`) inlines where a statement writes ``{{can_view(post=p,
  author=a, viewer=v, follows=..., friends=..., blocked=..., is_author=...)}}`` (the feeds, the reports);
* :func:`audience_grant`: which list of accounts may view a post (``posts.audience``).

Adding a visibility level is a row of :data:`LEVELS` (and, if it needs one, a relation of
:data:`RELATIONS`), plus :data:`mutuals.base.validate.VISIBILITIES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from mutuals.rules.permissions import PostFacts


@dataclass(frozen=True, slots=True)
class Relation:
    """What the viewer must be to the author (or what the author must be, for anyone to see).

    ``fact``: the Python test over the facts. ``cypher``: the same test as a Cypher expression,
    where ``{follows}``, ``{friends}``, ``{author}`` and ``{viewer}`` stand for the fragment's
    named inputs (``{{``/``}}``: a literal brace).
    ``audience``: the engine statement listing the accounts that hold the relation (None: it
    needs no viewer, so everyone holds it but the accounts blocked either way).
    """

    fact: Callable[[PostFacts], bool]
    cypher: str
    audience: str | None


RELATIONS: Final[dict[str, Relation]] = {
    "public_author": Relation(lambda f: not f.author_private, "NOT coalesce({author}.private, false)", None),
    "follower": Relation(lambda f: f.viewer_follows_author, "{follows}", "list_followers"),
    "friend": Relation(lambda f: f.friends, "{friends}", "list_friends"),
    # the author has put the viewer on their close-friends list (the owner-curated list)
    "close_friend": Relation(
        lambda f: f.viewer_close_friend, "EXISTS {{ ({author})-[:CLOSE_FRIEND]->({viewer}) }}", "list_close_friends"
    ),
}


@dataclass(frozen=True, slots=True)
class Grant:
    """A relation that lets a viewer see a post of a level: its rule code and reason (``{v}``:
    the viewer, ``{a}``: the author)."""

    relation: str
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Level:
    """One visibility level: its grants (first match decides), the refusal of a viewer with
    none of them (``{missing}``: which follows are missing), and how a logged-out viewer is
    told who the post is for."""

    grants: tuple[Grant, ...]
    denied_rule: str
    denied_reason: str
    audience_text: str


LEVELS: Final[dict[str, Level]] = {
    "public": Level(
        (
            Grant("public_author", "public", "the post is public and {a}'s account is public"),
            Grant("follower", "approved_follower", "{a}'s account is private and {v} is an approved follower"),
        ),
        "private_author",
        "the author's account is private and {v} is not an approved follower",
        "everyone",
    ),
    "followers": Level(
        (Grant("follower", "follower", "the post is for followers, and {v} follows {a}"),),
        "not_follower",
        "the post is for followers only, and {v} does not follow {a}",
        "followers only",
    ),
    "friends": Level(
        (Grant("friend", "friends", "the post is for friends, and {v} and {a} are friends"),),
        "not_friends",
        "the post is for friends only, and {v} and {a} are not friends ({missing})",
        "friends only",
    ),
    "only_me": Level((), "only_me", "the post is visible only to its author, {a}", "its author only"),
    "close_friends": Level(
        (
            Grant(
                "close_friend",
                "close_friend",
                "the post is for close friends, and {a} has {v} on their close-friends list",
            ),
        ),
        "not_close_friend",
        "the post is for {a}'s close friends only, and {v} is not on {a}'s close-friends list",
        "close friends only",
    ),
}


def missing_follows(f: PostFacts) -> str:
    """Which follows a pair lacks to be friends, in words."""
    v, a = f.viewer, f.author
    if not f.viewer_follows_author and not f.author_follows_viewer:
        return "neither follows the other"
    if not f.viewer_follows_author:
        return f"{v} does not follow {a}"
    return f"{a} does not follow {v} back"


def _level(visibility: str) -> Level:
    """The level of a visibility; an unknown one grants nothing (when in doubt, deny)."""
    return LEVELS.get(visibility, Level((), "unknown_visibility", "the post has an unknown visibility", visibility))


def decide(f: PostFacts) -> tuple[bool, str, str]:
    """can_view(V, P): (allowed, rule code, reason), in the order of docs/rules.md: logged out,
    author, blocks, then the level's grants."""
    v, a = f.viewer, f.author
    level = _level(f.visibility)
    if v is None:
        open_grants = [g for g in level.grants if RELATIONS[g.relation].audience is None]
        if any(RELATIONS[g.relation].fact(f) for g in open_grants):
            return True, "anonymous_public", f"the post is public and {a}'s account is public"
        if open_grants:
            return (
                False,
                "anonymous_private_author",
                f"{a}'s account is private; a logged-out viewer sees only public posts of public accounts",
            )
        return (
            False,
            "anonymous_not_public",
            f"the post is for {level.audience_text}; a logged-out viewer sees only public posts of public accounts",
        )
    if v == a:
        return True, "author", f"{v} is the author of the post"
    if f.author_blocks_viewer:
        return False, "blocked_by_author", f"{a} has blocked {v}"
    if f.viewer_blocks_author:
        return False, "blocking_author", f"{v} has blocked {a}; unblock them to see their posts"
    for grant in level.grants:
        if RELATIONS[grant.relation].fact(f):
            return True, grant.rule, grant.reason.format(v=v, a=a)
    missing = missing_follows(f) if "{missing}" in level.denied_reason else ""
    return False, level.denied_rule, level.denied_reason.format(v=v, a=a, missing=missing)


def audience_grant(visibility: str, author_private: bool) -> str | None:
    """Who may view a post besides its author: ``"everyone"`` (but the accounts blocked either
    way), the name of the statement listing them (``list_followers``...), or None (no one)."""
    for grant in _level(visibility).grants:
        relation = RELATIONS[grant.relation]
        if relation.audience is None:
            if not author_private:
                return "everyone"
            continue
        return relation.audience
    return None


def effective_audience(visibility: str, author_private: bool) -> str:
    """Who a post is really for, in one word (what the event outbox tells consumers): ``public``
    (everyone but the blocked), the level whose list may view it (``followers``, ``friends``), or
    ``only_me``. A ``public`` post of a private account is for ``followers``."""
    grant = audience_grant(visibility, author_private)
    if grant == "everyone":
        return "public"
    for name, level in LEVELS.items():
        if len(level.grants) == 1 and RELATIONS[level.grants[0].relation].audience == grant is not None:
            return name
    return "only_me"


# -- the Cypher fragment ------------------------------------------------------------------
FRAGMENT_INPUTS: Final = ("post", "author", "viewer", "follows", "friends", "blocked", "is_author")
_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VALUE: Final = re.compile(r"[a-z_][A-Za-z0-9_]*")  # a variable, or true / false


def _term(relation: Relation, names: dict[str, str]) -> str:
    """One relation as Cypher; with ``viewer=null`` (no viewer: what a logged-out viewer may see)
    a relation that needs the viewer node holds for no one."""
    if names["viewer"] == "null" and "{viewer}" in relation.cypher:
        return "(false)"
    return f"({relation.cypher.format(**names)})"


def fragment(**inputs: str) -> str:
    """The can_view rule as a Cypher boolean over named inputs (each a variable of the calling
    statement, or ``true``/``false``): ``post``, ``author`` and ``viewer`` nodes, and the flags ``follows``
    (the viewer follows the author), ``friends``, ``blocked`` (a block either way) and
    ``is_author``; ``viewer=null`` where the statement has no viewer node. The text is built from
    this table and the input names only."""
    if set(inputs) != set(FRAGMENT_INPUTS):
        raise ValueError(f"can_view needs exactly the inputs {', '.join(FRAGMENT_INPUTS)}; got {', '.join(inputs)}")
    for name, value in inputs.items():
        if not _VALUE.fullmatch(value):
            raise ValueError(f"can_view input {name}={value!r} is not a variable name")
    names = {key: inputs[key] for key in ("follows", "friends", "author", "viewer")}
    cases = []
    for visibility, level in LEVELS.items():
        if not _NAME.fullmatch(visibility):
            raise ValueError(f"visibility {visibility!r} is not a plain word")
        # The viewer's relations first: in a feed, where the viewer follows, they decide at once.
        relations = sorted((RELATIONS[g.relation] for g in level.grants), key=lambda r: r.audience is None)
        terms = [_term(r, names) for r in relations]
        cases.append(f"WHEN '{visibility}' THEN {' OR '.join(terms) if terms else 'false'}")
    levels = " ".join(cases)
    return (
        f"({inputs['is_author']} OR (NOT {inputs['blocked']} AND "
        f"CASE {inputs['post']}.visibility {levels} ELSE false END))"
    )
