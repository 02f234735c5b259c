"""Who may see an account's followers and following lists: one table, and what derives from it.

Each account has ``followers_visibility`` and ``following_visibility`` (:data:`SETTINGS`,
default ``everyone``). Whether viewer V may see list L of owner O is decided in this order (the
first that decides, with its rule code and reason):

1. V = O → yes (``owner``);
2. an active block either way between V and O (:mod:`.expiry`) → no (``blocked``), whatever
   the setting says (rule ``unavailable``, in words that never say a block decided);
3. O is private and V is not an approved follower → no (``private_owner``), whatever the
   setting says;
4. the setting's grants (:data:`TABLE`): ``everyone`` → yes; ``friends`` → yes if V and O are
   friends; ``only_me`` → no.

From the table come :func:`decide` (the Python decision of the viewer-scoped list reads) and
:func:`fragment`, the Cypher boolean the loader inlines where a statement writes
``{{can_see_list(owner=o, viewer=v, list=followers)}}``; and :func:`reveals_follow_fragment`
(``{{reveals_follow(viewer=v, src=x, dst=y)}}``): an edge X→Y is shown to V (known followers,
suggestions' ``via``) only when V may see X's following list or Y's followers list; and
:func:`profile_fragment` (``{{lists_reachable(owner=o, viewer=v)}}``): steps 1-3 alone, which
gate the known followers shown on O's profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from mutuals.rules import expiry
from mutuals.rules.permissions import Decision

SETTINGS: Final = ("everyone", "friends", "only_me")
DEFAULT: Final = "everyone"
LISTS: Final = ("followers", "following")


@dataclass(frozen=True, slots=True)
class ListFacts:
    """What the list rule reads about owner and viewer (``blocked``: an active block either way)."""

    owner: str
    viewer: str
    list: str
    setting: str
    owner_private: bool
    viewer_follows_owner: bool
    owner_follows_viewer: bool
    blocked: bool


@dataclass(frozen=True, slots=True)
class Grant:
    """A relation of the viewer to the owner that shows the list: Python fact, Cypher over
    ``{follows}`` (V follows O) and ``{followed}`` (O follows V), rule code and reason."""

    fact: Callable[[ListFacts], bool]
    cypher: str
    rule: str
    reason: str


TABLE: Final[dict[str, tuple[tuple[Grant, ...], str, str]]] = {
    # setting: (grants, refusal rule, refusal reason); {v} viewer, {o} owner, {l} the list
    "everyone": ((Grant(lambda f: True, "true", "everyone", "{o} shows their {l} list to everyone"),), "", ""),
    "friends": (
        (
            Grant(
                lambda f: f.viewer_follows_owner and f.owner_follows_viewer,
                "({follows} AND {followed})",
                "friends",
                "{o} shows their {l} list to friends, and {v} and {o} are friends",
            ),
        ),
        "not_friends",
        "{o} shows their {l} list only to friends, and {v} and {o} are not friends",
    ),
    "only_me": ((), "only_me", "{o} keeps their {l} list to themselves"),
}


def decide(f: ListFacts) -> Decision:
    """May ``f.viewer`` see ``f.owner``'s ``f.list`` list? In the order of the module's docstring."""
    v, o, lst = f.viewer, f.owner, f.list
    if v == o:
        return Decision(True, "owner", (f"{v} sees their own {lst} list",))
    if f.blocked:
        # Neutral words: a refusal never tells the viewer that the owner blocked them.
        return Decision(False, "unavailable", (f"{o}'s {lst} list is not available to {v}",))
    if f.owner_private and not f.viewer_follows_owner:
        return Decision(
            False,
            "private_owner",
            (f"{o}'s account is private and {v} is not an approved follower, so {o}'s {lst} list is hidden",),
        )
    unknown = ((), "unknown_setting", "{o}'s {l} list setting is unknown")  # when in doubt, deny
    grants, denied_rule, denied_reason = TABLE.get(f.setting, unknown)
    for grant in grants:
        if grant.fact(f):
            return Decision(True, grant.rule, (grant.reason.format(v=v, o=o, l=lst),))
    return Decision(False, denied_rule, (denied_reason.format(v=v, o=o, l=lst),))


# A list shown with setting S is seen by exactly those who may view a post of level
# SAME_AUDIENCE_AS[S] by its owner (the owner, then no block either way, then a private owner
# only for approved followers, then the level's grants): the preview reads a list's audience by
# the post audience statements through it. tests/test_rules_table.py checks the equivalence over
# every combination of facts, so the two tables cannot drift apart.
SAME_AUDIENCE_AS: Final = {"everyone": "public", "friends": "friends", "only_me": "only_me"}


def audience_level(setting: str) -> str:
    """The post visibility whose audience is the audience of a list with this setting (an
    unknown setting: ``only_me``; when in doubt, deny)."""
    return SAME_AUDIENCE_AS.get(setting, "only_me")


def both(first: Decision, second: Decision) -> Decision:
    """Both lists must be visible (the friends list reveals followers and following): the first
    refusal, else the first grant."""
    return first if not first.allowed else second if not second.allowed else first


_VAR: Final = re.compile(r"[a-z_][A-Za-z0-9_]*")


def _var(name: str, value: str) -> str:
    if not _VAR.fullmatch(value):
        raise ValueError(f"list rule input {name}={value!r} is not a variable name")
    return value


def fragment(*, owner: str, viewer: str, list: str) -> str:
    """The rule as a Cypher boolean over the ``owner`` and ``viewer`` nodes of the calling
    statement; ``list`` is ``followers`` or ``following`` (a word of :data:`LISTS`, not a value)."""
    o, v = _var("owner", owner), _var("viewer", viewer)
    if list not in LISTS:
        raise ValueError(f"list must be one of {', '.join(LISTS)}, got {list!r}")
    follows = f"EXISTS {{ ({v})-[:FOLLOWS]->({o}) }}"
    followed = f"EXISTS {{ ({o})-[:FOLLOWS]->({v}) }}"
    cases = []
    for setting, (grants, _rule, _reason) in TABLE.items():
        terms = [f"({g.cypher.format(follows=follows, followed=followed)})" for g in grants]
        cases.append(f"WHEN '{setting}' THEN {' OR '.join(terms) if terms else 'false'}")
    setting = f"CASE coalesce({o}.{list}_visibility, '{DEFAULT}') {' '.join(cases)} ELSE false END"
    return f"({v} = {o} OR ({_overrides(o, v, follows)} AND {setting}))"


def _overrides(o: str, v: str, follows: str) -> str:
    """Steps 2 and 3 of the rule: no active block either way, and a private owner only for an
    approved follower."""
    return f"NOT {expiry.blocked_either(a=v, b=o)} AND (NOT coalesce({o}.private, false) OR {follows})"


def profile_fragment(*, owner: str, viewer: str) -> str:
    """Steps 1-3 of the rule, whatever the settings say: the owner's lists could be shown to the
    viewer at all (known followers appear on the owner's profile only then)."""
    o, v = _var("owner", owner), _var("viewer", viewer)
    return f"({v} = {o} OR ({_overrides(o, v, f'EXISTS {{ ({v})-[:FOLLOWS]->({o}) }}')}))"


def reveals_follow_fragment(*, viewer: str, src: str, dst: str) -> str:
    """The follow src→dst may be shown to viewer: viewer may see src's following list or dst's
    followers list."""
    following = fragment(owner=src, viewer=viewer, list="following")
    followers = fragment(owner=dst, viewer=viewer, list="followers")
    return f"({following} OR {followers})"
