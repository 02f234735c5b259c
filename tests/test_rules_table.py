"""The pure rules as tables of cases, in the spirit of OpenFGA's check test files: facts in,
decision and rule code out. No database: these run in milliseconds."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import product
from typing import Any

import pytest

from mutuals import rules
from mutuals.base.validate import VISIBILITIES
from mutuals.rules import admission, lists, visibility
from mutuals.rules.admission import Pair, admit
from mutuals.rules.fragments import inline
from mutuals.rules.permissions import PostFacts

BASE = PostFacts(
    post="p1",
    author="ann",
    visibility="public",
    author_private=False,
    comment_policy="everyone",
    duet_policy="everyone",
    stitch_policy="everyone",
    viewer="ben",
)
FOLLOWER = {"viewer_follows_author": True}
FRIEND = {"viewer_follows_author": True, "author_follows_viewer": True}

# (visibility, author_private, viewer, relation, allowed, rule)
VIEW_CASES: list[tuple[str, bool, str | None, dict[str, Any], bool, str]] = [
    ("public", False, None, {}, True, "anonymous_public"),
    ("public", True, None, {}, False, "anonymous_private_author"),
    ("followers", False, None, {}, False, "anonymous_not_public"),
    ("friends", False, None, {}, False, "anonymous_not_public"),
    ("only_me", False, None, {}, False, "anonymous_not_public"),
    ("only_me", True, "ann", {}, True, "author"),
    ("friends", False, "ann", {}, True, "author"),
    ("public", False, "ben", {}, True, "public"),
    ("public", False, "ben", FRIEND, True, "public"),
    ("public", True, "ben", {}, False, "private_author"),
    ("public", True, "ben", {"author_follows_viewer": True}, False, "private_author"),
    ("public", True, "ben", FOLLOWER, True, "approved_follower"),
    ("followers", False, "ben", {}, False, "not_follower"),
    ("followers", False, "ben", {"author_follows_viewer": True}, False, "not_follower"),
    ("followers", False, "ben", FOLLOWER, True, "follower"),
    ("followers", True, "ben", FOLLOWER, True, "follower"),
    ("friends", False, "ben", FOLLOWER, False, "not_friends"),
    ("friends", False, "ben", {"author_follows_viewer": True}, False, "not_friends"),
    ("friends", False, "ben", {}, False, "not_friends"),
    ("friends", True, "ben", FRIEND, True, "friends"),
    ("only_me", False, "ben", FRIEND, False, "only_me"),
    ("public", False, "ben", {**FRIEND, "author_blocks_viewer": True}, False, "blocked_by_author"),
    ("public", False, "ben", {**FRIEND, "viewer_blocks_author": True}, False, "blocking_author"),
    ("friends", False, "ben", {"author_blocks_viewer": True, "viewer_blocks_author": True}, False, "blocked_by_author"),
    ("unheard_of", False, "ben", FRIEND, False, "unknown_visibility"),
    # close friends: the author's curated list decides, friendship does not
    ("close_friends", False, None, {}, False, "anonymous_not_public"),
    ("close_friends", False, "ann", {}, True, "author"),
    ("close_friends", False, "ben", {"viewer_close_friend": True}, True, "close_friend"),
    ("close_friends", True, "ben", {"viewer_close_friend": True}, True, "close_friend"),
    ("close_friends", False, "ben", FRIEND, False, "not_close_friend"),
    ("close_friends", False, "ben", {**FRIEND, "viewer_close_friend": True}, True, "close_friend"),
    (
        "close_friends",
        False,
        "ben",
        {"viewer_close_friend": True, "author_blocks_viewer": True},
        False,
        "blocked_by_author",
    ),
]


@pytest.mark.parametrize(("visibility", "private", "viewer", "relation", "allowed", "rule"), VIEW_CASES)
def test_can_view(
    visibility: str, private: bool, viewer: str | None, relation: dict[str, Any], allowed: bool, rule: str
) -> None:
    facts = replace(BASE, visibility=visibility, author_private=private, viewer=viewer, **relation)
    decision = rules.view(facts)
    assert (decision.allowed, decision.rule) == (allowed, rule)
    assert len(decision.reasons) == 1 and decision.reasons[0]


def test_view_reasons_keep_their_words() -> None:
    friends_only = replace(BASE, visibility="friends", **FOLLOWER)
    assert rules.view(friends_only).reasons == (
        "the post is for friends only, and ben and ann are not friends (ann does not follow ben back)",
    )
    assert rules.view(replace(BASE, visibility="followers", viewer=None)).reasons == (
        "the post is for followers only; a logged-out viewer sees only public posts of public accounts",
    )
    assert rules.view(replace(BASE, author_private=True, **FOLLOWER)).reasons == (
        "ann's account is private and ben is an approved follower",
    )


# (action, policy, relation, allowed, rule)
POLICY_CASES: list[tuple[str, str, dict[str, Any], bool, str]] = [
    ("comment", "everyone", {}, True, "comment_everyone"),
    ("comment", "friends", FOLLOWER, False, "comment_friends_only"),
    ("comment", "friends", FRIEND, True, "comment_friends"),
    ("comment", "nobody", FRIEND, False, "comment_nobody"),
    ("duet", "everyone", {}, True, "duet_everyone"),
    ("duet", "friends", FRIEND, True, "duet_friends"),
    ("duet", "only_me", FRIEND, False, "duet_only_me"),
    ("stitch", "friends", {}, False, "stitch_friends_only"),
    ("stitch", "nobody", FRIEND, False, "stitch_nobody"),
    ("stitch", "everyone", {"author_blocks_viewer": True}, False, "blocked_by_author"),
]
ACTIONS = {"comment": rules.comment, "duet": rules.duet, "stitch": rules.stitch}


@pytest.mark.parametrize(("action", "policy", "relation", "allowed", "rule"), POLICY_CASES)
def test_post_policies(action: str, policy: str, relation: dict[str, Any], allowed: bool, rule: str) -> None:
    facts = replace(BASE, **{f"{action}_policy": policy}, **relation)
    decision = ACTIONS[action](facts)
    assert (decision.allowed, decision.rule) == (allowed, rule)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_post_policies_need_a_view_and_a_viewer(action: str) -> None:
    hidden = ACTIONS[action](replace(BASE, visibility="friends", **{f"{action}_policy": "everyone"}))
    assert (hidden.allowed, hidden.rule) == (False, "not_friends")
    anonymous = ACTIONS[action](replace(BASE, viewer=None))
    assert (anonymous.allowed, anonymous.rule) == (False, "anonymous")
    own = ACTIONS[action](replace(BASE, viewer="ann", visibility="only_me", **{f"{action}_policy": "nobody"}))
    assert (own.allowed, own.rule) == (True, "author")
    assert len(own.reasons) == 2


# (sender, recipient, sender_blocks, recipient_blocks, dm_policy, friends, allowed, rule)
MESSAGE_CASES = [
    ("ann", "ann", False, False, "everyone", False, False, "self"),
    ("ann", "ben", False, True, "everyone", True, False, "blocked_by_target"),
    ("ann", "ben", True, False, "everyone", True, False, "blocking_target"),
    ("ann", "ben", False, False, "everyone", False, True, "dm_everyone"),
    ("ann", "ben", False, False, "nobody", True, False, "dm_nobody"),
    ("ann", "ben", False, False, "friends", True, True, "dm_friends"),
    ("ann", "ben", False, False, "friends", False, False, "dm_friends_only"),
]


@pytest.mark.parametrize(("a", "b", "a_blocks", "b_blocks", "policy", "friends", "allowed", "rule"), MESSAGE_CASES)
def test_can_message(
    a: str, b: str, a_blocks: bool, b_blocks: bool, policy: str, friends: bool, allowed: bool, rule: str
) -> None:
    decision = rules.message(a, b, sender_blocks=a_blocks, recipient_blocks=b_blocks, dm_policy=policy, friends=friends)
    assert (decision.allowed, decision.rule) == (allowed, rule)


# (state, approved, outcome, reason, detail)
ADMISSION_CASES: list[tuple[dict[str, Any], bool, str, str, str]] = [
    ({}, False, "followed", "", ""),
    ({"b_follows_a": True}, False, "became_friends", "", ""),
    ({"a_follows_b": True}, False, "already_following", "", ""),
    ({"a_follows_b": True, "b_private": True}, False, "already_following", "", ""),
    ({"b_private": True}, False, "requested", "", ""),
    ({"b_private": True, "a_requested_b": True}, False, "already_requested", "", ""),
    ({"b_private": True}, True, "followed", "", ""),
    ({"b_private": True, "a_requested_b": True, "b_follows_a": True}, True, "became_friends", "", ""),
    ({"b_blocks_a": True}, False, "blocked", "blocked_pair", "ben has blocked ann"),
    ({"a_blocks_b": True}, True, "blocked", "blocked_pair", "ann has blocked ben"),
    ({"a_blocks_b": True, "b_blocks_a": True}, False, "blocked", "blocked_pair", "ben has blocked ann"),
    ({"a_follows_b": True, "b_blocks_a": True}, True, "blocked", "blocked_pair", "ben has blocked ann"),
    ({"a_found": False, "b_found": False}, True, "unknown_account", "unknown_account", "account not found: ann"),
    ({"b_found": False}, False, "unknown_account", "unknown_account", "account not found: ben"),
]


@pytest.mark.parametrize(("state", "approved", "outcome", "reason", "detail"), ADMISSION_CASES)
def test_follow_admission(state: dict[str, Any], approved: bool, outcome: str, reason: str, detail: str) -> None:
    decision = admit(Pair("ann", "ben", **state), approved=approved)
    assert (decision.outcome, decision.reason, decision.detail) == (outcome, reason, detail)
    assert decision.refused == bool(reason)


def test_an_admitted_follow_consumes_the_pending_request() -> None:
    assert admit(Pair("ann", "ben", b_private=True, a_requested_b=True), approved=True).consumes_request
    assert not admit(Pair("ann", "ben", b_private=True), approved=True).consumes_request


def test_every_visibility_has_a_row_in_the_table() -> None:
    assert set(visibility.LEVELS) == set(VISIBILITIES)
    for level in visibility.LEVELS.values():
        assert all(grant.relation in visibility.RELATIONS for grant in level.grants)
        # the audience is one list (at most one relation that needs a viewer per level)
        assert sum(visibility.RELATIONS[g.relation].audience is not None for g in level.grants) <= 1


@pytest.mark.parametrize(
    ("level", "private", "grant"),
    [
        ("public", False, "everyone"),
        ("public", True, "list_followers"),
        ("followers", False, "list_followers"),
        ("friends", False, "list_friends"),
        ("only_me", False, None),
        ("close_friends", False, "list_close_friends"),
        ("unheard_of", False, None),
    ],
)
def test_audience_comes_from_the_table(level: str, private: bool, grant: str | None) -> None:
    assert visibility.audience_grant(level, private) == grant


def _cypher_value(text: str, env: dict[str, Any]) -> bool:
    """Evaluate the generated fragment in Python (it only uses CASE, OR, AND, NOT, coalesce and
    list membership), to check that it agrees with the Python decision on every case."""
    expr = (
        text.replace("EXISTS { (a)-[:CLOSE_FRIEND]->(vw) }", "cf")
        .replace("CASE p.visibility", "{")
        .replace(" ELSE false END", "}.get(p_visibility, False)")
        .replace("coalesce(a.private, false)", "a_private")
        .replace("NOT ", "not ")
        .replace(" OR ", " or ")
        .replace(" AND ", " and ")
        .replace("true", "True")
        .replace("false", "False")
    )
    for visibility_name in visibility.LEVELS:
        expr = expr.replace(f"WHEN '{visibility_name}' THEN ", f"'{visibility_name}': ")
    expr = expr.replace(" '", ", '").replace("{, '", "{'")
    return bool(eval(expr, {}, env))


@pytest.mark.parametrize("case", [c for c in VIEW_CASES if c[2] is not None])
def test_the_cypher_fragment_agrees_with_the_python_decision(case: tuple[Any, ...]) -> None:
    level, private, viewer, relation, allowed, _ = case
    facts = replace(BASE, visibility=level, author_private=private, viewer=viewer, **relation)
    text = inline("{{can_view(post=p, author=a, viewer=vw, follows=f, friends=fr, blocked=bl, is_author=me)}}")
    env = {
        "p_visibility": level,
        "a_private": private,
        "f": facts.viewer_follows_author,
        "fr": facts.friends,
        "bl": facts.viewer_blocks_author or facts.author_blocks_viewer,
        "me": viewer == facts.author,
        "cf": facts.viewer_close_friend,
    }
    assert _cypher_value(text, env) is allowed


@pytest.mark.parametrize(
    "marker",
    [
        "{{can_view(post=p)}}",
        "{{can_view(post=p, author=a, viewer=v, follows=f, friends=fr, blocked=bl, is_author=$x)}}",
        "{{can_view(post=p, author=a, viewer=v, follows=f, friends=fr, blocked=bl, is_author=x' OR true)}}",
        "{{can_view(post=p, author=a, follows=f, friends=fr, blocked=bl, is_author=me)}}",  # no viewer
        "{{no_such_rule(x=y)}}",
    ],
)
def test_a_malformed_marker_is_refused(marker: str) -> None:
    with pytest.raises(ValueError):
        inline(marker)


@pytest.mark.parametrize("state", list(product((False, True), repeat=4)))
def test_the_import_fragment_is_the_truth_table_of_admission(state: tuple[bool, bool, bool, bool]) -> None:
    text = admission.fragment(follows="f", requested="r", blocks="b", blocked_by="bb")
    python = text.replace("true", "True").replace("false", "False").replace(" IN ", " in ")
    f, r, b, bb = state
    expected = admit(
        Pair("ann", "ben", a_follows_b=f, a_requested_b=r, a_blocks_b=b, b_blocks_a=bb), approved=True
    ).writes_follow
    assert eval(python, {}, {"f": f, "r": r, "b": b, "bb": bb}) is expected


def test_the_follow_fragment_is_the_truth_table_of_admission() -> None:
    """Each state of the pair is in exactly one branch of follow_admission, whose outcome and
    write are what admit() says (the one-statement follow, follow_apply)."""
    names = ("b_private", "a_follows_b", "b_follows_a", "a_requested_b", "a_blocks_b", "b_blocks_a")
    text = admission.follow_fragment(**{n: n for n in names})
    branches = re.findall(r"WHEN \[[^\]]*\] IN \[(.*?)\] THEN \{outcome: '(\w+)', write: ('?\w+'?)\}", text)
    seen: dict[tuple[bool, ...], tuple[str, str | None]] = {}
    for listed, outcome, write in branches:
        for state in re.findall(r"\[([a-z, ]+)\]", listed):
            flags = tuple(word == "true" for word in state.split(", "))
            assert flags not in seen
            seen[flags] = (outcome, None if write == "null" else write.strip("'"))
    assert set(seen) == set(product((False, True), repeat=6))
    for flags, (outcome, write) in seen.items():
        decision = admit(Pair("ann", "ben", **dict(zip(names, flags, strict=True))))
        assert outcome == decision.outcome
        assert write == ("follow" if decision.writes_follow else "request" if decision.writes_request else None)


# -- who may see my lists (engine/rules/lists.py) ----------------------------------------------
LIST_BASE = lists.ListFacts(
    owner="ann",
    viewer="ben",
    list="followers",
    setting="everyone",
    owner_private=False,
    viewer_follows_owner=False,
    owner_follows_viewer=False,
    blocked=False,
)
# (setting, owner_private, facts, allowed, rule)
LIST_CASES: list[tuple[str, bool, dict[str, Any], bool, str]] = [
    ("everyone", False, {}, True, "everyone"),
    ("everyone", False, {"viewer": "ann"}, True, "owner"),
    ("only_me", True, {"viewer": "ann", "blocked": True}, True, "owner"),
    ("everyone", False, {"blocked": True}, False, "unavailable"),
    ("everyone", True, {}, False, "private_owner"),
    ("everyone", True, {"viewer_follows_owner": True}, True, "everyone"),
    ("everyone", True, {"viewer_follows_owner": True, "blocked": True}, False, "unavailable"),
    ("friends", False, {"viewer_follows_owner": True}, False, "not_friends"),
    ("friends", False, {"owner_follows_viewer": True}, False, "not_friends"),
    ("friends", False, {"viewer_follows_owner": True, "owner_follows_viewer": True}, True, "friends"),
    ("friends", True, {"owner_follows_viewer": True}, False, "private_owner"),
    ("only_me", False, {"viewer_follows_owner": True, "owner_follows_viewer": True}, False, "only_me"),
    ("shared", False, {}, False, "unknown_setting"),  # when in doubt, deny
]


@pytest.mark.parametrize(("setting", "private", "facts", "allowed", "rule"), LIST_CASES)
def test_list_visibility(setting: str, private: bool, facts: dict[str, Any], allowed: bool, rule: str) -> None:
    decision = lists.decide(replace(LIST_BASE, setting=setting, owner_private=private, **facts))
    assert (decision.allowed, decision.rule) == (allowed, rule)
    if decision.rule == "unavailable":
        assert "block" not in " ".join(decision.reasons)  # never says a block decided


@pytest.mark.parametrize("setting", [*lists.SETTINGS, "shared"])
def test_a_list_is_seen_by_the_audience_of_its_post_level(setting: str) -> None:
    """lists.SAME_AUDIENCE_AS (what preview_change reads list audiences by) agrees with the list
    rule for every combination of facts."""
    level = lists.audience_level(setting)
    for private, follows, followed, blocked in product((False, True), repeat=4):
        listed = lists.decide(
            replace(
                LIST_BASE,
                setting=setting,
                owner_private=private,
                viewer_follows_owner=follows,
                owner_follows_viewer=followed,
                blocked=blocked,
            )
        )
        post = visibility.decide(
            replace(
                BASE,
                visibility=level,
                author_private=private,
                viewer_follows_author=follows,
                author_follows_viewer=followed,
                author_blocks_viewer=blocked,
            )
        )
        assert listed.allowed == post[0], (setting, private, follows, followed, blocked)
