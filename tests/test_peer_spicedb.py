"""The translation of a graph into SpiceDB tuples (bench/peers/spicedb/schema.py): pure, no database.

The benchmark checks the translation end to end against the engine (``make bench-peers`` stops
on any disagreement); this pins the tuples of a tiny graph and the schema's shape.
"""

from __future__ import annotations

import re

import pytest

from bench.peers.spicedb import schema


def tuples_of(rows: list[tuple[str, list[schema.Tuple]]]) -> list[str]:
    return [str(t) for _, ts in rows for t in ts]


def test_a_tiny_graph_becomes_these_tuples() -> None:
    private = {"ann": False, "bob": False, "cat": True, "dan.x": False}
    follows = [("ann", "bob"), ("bob", "ann"), ("ann", "cat")]
    blocks = [("dan.x", "ann")]
    posts = [
        ("p1", "bob", "public"),
        ("p2", "cat", "public"),
        ("p3", "bob", "followers"),
        ("p4", "bob", "friends"),
        ("p5", "bob", "only_me"),
        ("p6", "cat", "close_friends"),
    ]
    got = tuples_of(list(schema.graph_tuples(private, follows, blocks, posts)))
    assert got == [
        # a follow from both ends: friends = follower & following
        "user:bob#follower@user:ann",
        "user:ann#following@user:bob",
        "user:ann#follower@user:bob",
        "user:bob#following@user:ann",
        "user:cat#follower@user:ann",
        "user:ann#following@user:cat",
        # a block on both accounts ("either direction" is one exclusion); "." is "|" in SpiceDB ids
        "user:dan|x#blocked@user:ann",
        "user:ann#blocked@user:dan|x",
        # a post: its author and one audience subject set (none for only_me)
        "post:p1#author@user:bob",
        "post:p1#audience@user:*",
        "post:p2#author@user:cat",
        "post:p2#audience@user:cat#follower",  # public post of a private account: its followers
        "post:p3#author@user:bob",
        "post:p3#audience@user:bob#follower",
        "post:p4#author@user:bob",
        "post:p4#audience@user:bob#friend",
        "post:p5#author@user:bob",
        "post:p6#author@user:cat",
        "post:p6#audience@user:cat#close_friend",
    ]


def test_tuples_per_row() -> None:
    assert len(schema.follow_tuples("a", "b")) == 2
    assert len(schema.block_tuples("a", "b")) == 2
    assert len(schema.post_tuples("p", "a", "only_me", False)) == 1
    assert len(schema.post_tuples("p", "a", "friends", True)) == 2


def test_ids_map_one_to_one_and_anonymous_is_no_account() -> None:
    assert schema.object_id("a.b-c_d") == "a|b-c_d"
    assert schema.viewer_id(None) == schema.ANONYMOUS
    account = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
    assert not account.match(schema.ANONYMOUS)
    assert not account.match(schema.object_id("a.b"))
    with pytest.raises(ValueError):
        schema.object_id("no spaces")
    with pytest.raises(ValueError):
        schema.post_tuples("p", "a", "secret", False)


def test_the_schema_names_every_relation_the_tuples_use() -> None:
    text = schema.SCHEMA
    definitions = dict(re.findall(r"definition (\w+) \{(.*?)\n\}", text, flags=re.DOTALL))
    assert set(definitions) == {"user", "post"}
    relations = {(d, r) for d, body in definitions.items() for r in re.findall(r"relation (\w+):", body)}
    private = {"a": False, "b": True}
    rows = schema.graph_tuples(private, [("a", "b")], [("a", "b")], [("p", "a", "friends"), ("q", "b", "public")])
    for _, ts in rows:
        for t in ts:
            assert (t.resource_type, t.relation) in relations
            if t.subject_relation:  # a subject set names a relation or permission of user
                assert re.search(rf"(relation|permission) {t.subject_relation}\b", definitions["user"])
    # the rules: author first, the audience minus blocks either way, the feed within view
    assert "permission view = author + (audience - author->blocked)" in text
    assert "permission friend = follower & following" in text
    assert "permission following_feed = author->follower & view" in text
