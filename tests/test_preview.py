"""preview_change: what a change would do to who may see what, by the engine's own rules on the
graph as it would be (a rolled-back transaction), never by a second copy of the rules."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import follows, people, snapshot, wipe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutuals import Engine, InvalidInput, NotAllowed, NotFound, WhatIf

ENGINE_FLAVORS = ("sync", "async")
IDS = ("a", "b", "c", "d", "e")
VIS = ("public", "followers", "friends", "only_me")
LIST_SETTINGS = ("everyone", "friends", "only_me")
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def audience_set(engine: Engine, post: str) -> set[str]:
    """Who may view the post, as an explicit set (everyone: every account but the exceptions)."""
    found = engine.audience(post, limit=500)
    ids = set(found.accounts.items)
    return set(IDS) - ids if found.everyone else ids


def list_audience(engine: Engine, item: str) -> set[str]:
    """Who may see the list "OWNER/followers" or "OWNER/following", by asking the viewer-scoped
    read for every account."""
    owner, name = item.split("/")
    read = engine.followers if name == "followers" else engine.following
    seen = set()
    for viewer in IDS:
        try:
            read(owner, viewer=viewer, limit=1)
        except NotAllowed:
            continue
        seen.add(viewer)
    return seen


LIST_ITEMS = [f"{owner}/{name}" for owner in IDS for name in ("followers", "following")]


def expanded(s: Any) -> set[str]:
    return set(IDS) - set(s.ids) if s.everyone else set(s.ids)


worlds = st.fixed_dictionaries(
    {
        "private": st.sets(st.sampled_from(IDS)),
        "edges": st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)), max_size=12),
        "blocks": st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)), max_size=2),
        "posts": st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(VIS)), min_size=1, max_size=6),
        "lists": st.dictionaries(
            st.sampled_from(IDS), st.tuples(st.sampled_from(LIST_SETTINGS), st.sampled_from(LIST_SETTINGS))
        ),
    }
)
changes = st.one_of(
    st.builds(lambda n, vis: ("visibility", f"p{n}", vis), st.integers(0, 5), st.sampled_from(VIS)),
    st.builds(lambda u, flag: ("private", u, flag), st.sampled_from(IDS), st.booleans()),
    st.builds(lambda a, b: ("approve", a, b), st.sampled_from(IDS), st.sampled_from(IDS)),
    st.builds(lambda a, b: ("block", a, b), st.sampled_from(IDS), st.sampled_from(IDS)),
)


def build(engine: Engine, world: dict[str, Any]) -> list[str]:
    wipe(engine)
    people(engine, *IDS, private=tuple(world["private"]))
    for owner, (followers_vis, following_vis) in world["lists"].items():
        engine.user_set(owner, followers_visibility=followers_vis, following_visibility=following_vis)
    for a, b in world["edges"]:
        if a != b:
            engine.follow(a, b)  # a request when b is private
    for a, b in world["blocks"]:
        if a != b:
            engine.block(a, b)
    posts = []
    for n, (author, vis) in enumerate(world["posts"]):
        engine.post_add(f"p{n}", author, vis)
        posts.append(f"p{n}")
    return posts


def whatif(change: tuple[str, str, Any]) -> WhatIf:
    kind, x, y = change
    if kind == "visibility":
        return WhatIf.post_set_visibility(x, y)
    if kind == "private":
        return WhatIf.user_set(x, private=y)
    return WhatIf.approve(x, y) if kind == "approve" else WhatIf.block(x, y)


def apply(engine: Engine, change: tuple[str, str, Any]) -> str:
    kind, x, y = change
    if kind == "visibility":
        return engine.post_set_visibility(x, y).outcome
    if kind == "private":
        return engine.user_set(x, private=y).outcome
    return engine.approve(x, y).outcome if kind == "approve" else engine.block(x, y).outcome


def test_preview_agrees_with_applying_the_change_and_changes_nothing(rule_engine: Engine) -> None:
    @SETTINGS
    @given(world=worlds, change=changes)
    def case(world: dict[str, Any], change: tuple[str, str, Any]) -> None:
        posts = build(rule_engine, world)
        if change[0] in {"approve", "block"} and change[1] == change[2]:
            with pytest.raises(InvalidInput):
                whatif(change)
            return
        if change[0] == "visibility" and change[1] not in posts:
            with pytest.raises(NotFound):
                rule_engine.preview_change(whatif(change))
            return
        before_snapshot = snapshot(rule_engine)
        seq = rule_engine.events(0, 1000)
        preview = rule_engine.preview_change(whatif(change), limit=500)
        assert snapshot(rule_engine) == before_snapshot  # rolled back: the graph is unchanged
        assert rule_engine.events(0, 1000) == seq  # and no event was left in the outbox
        before = {p: audience_set(rule_engine, p) for p in posts}
        lists_before = {item: list_audience(rule_engine, item) for item in LIST_ITEMS}
        outcome = apply(rule_engine, change)
        after = {p: audience_set(rule_engine, p) for p in posts}
        lists_after = {item: list_audience(rule_engine, item) for item in LIST_ITEMS}
        assert preview.outcome == outcome
        predicted = {(i.kind, i.item): (expanded(i.gained), expanded(i.lost)) for i in preview.items}
        for p in posts:
            gained, lost = after[p] - before[p], before[p] - after[p]
            assert predicted.get(("post", p), (set(), set())) == (gained, lost), (p, change)
        for item in LIST_ITEMS:
            gained, lost = lists_after[item] - lists_before[item], lists_before[item] - lists_after[item]
            assert predicted.get(("list", item), (set(), set())) == (gained, lost), (item, change)
        for item in preview.items:
            assert item.gained_count == len(expanded(item.gained))
            assert item.lost_count == len(expanded(item.lost))

    case()


def test_preview_of_going_private_names_who_loses_posts_and_lists(engine: Engine) -> None:
    people(engine, "ann", "ben", "cat")
    follows(engine, "ben>ann")
    engine.post_add("p1", "ann", "public")
    engine.post_add("p2", "ann", "followers")
    result = engine.preview_change(WhatIf.user_set("ann", private=True))
    by_item = {(i.kind, i.item): i for i in result.items}
    post = by_item[("post", "p1")]
    assert post.lost.everyone and set(post.lost.ids) == {"ann", "ben"} and post.lost_count == 1  # cat
    assert not post.gained.ids and post.gained_count == 0
    assert ("post", "p2") not in by_item  # followers only before and after
    listed = by_item[("list", "ann/followers")]
    assert listed.lost_count == 1 and ("list", "ann/following") in by_item
    assert result.outcome == "updated" and result.lost == 3
    assert engine.user_show("ann").account.private is False  # nothing changed


def test_preview_refuses_what_is_not_a_change(engine: Engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        engine.preview_change("block ann ben")  # type: ignore[arg-type]
    assert caught.value.field == "change"
    with pytest.raises(InvalidInput) as caught:
        engine.preview_change(WhatIf("block", "ann", "ann"))
    assert caught.value.field.startswith("change.")


def test_preview_pages_add_up_to_the_whole_answer(engine: Engine) -> None:
    people(engine, "ann", "ben", "cat", "dan", "eve")
    follows(engine, "ben>ann", "cat>ann", "dan>ann", "ann>ben")
    engine.user_set("ann", following_visibility="friends")
    engine.post_add("p1", "ann", "followers")
    engine.post_add("p2", "ann", "friends")
    change = WhatIf.block("ann", "ben")
    whole = engine.preview_change(change, limit=500)
    assert whole.next_cursor is None and whole.items
    seen: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    cursor, pages = None, 0
    while True:
        page = engine.preview_change(change, limit=2, cursor=cursor)
        pages += 1
        assert (page.gained, page.lost, page.outcome) == (whole.gained, whole.lost, whole.outcome)
        for item in page.items:
            gained, lost = seen.setdefault((item.kind, item.item), ([], []))
            gained += item.gained.ids
            lost += item.lost.ids
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages > 1
    assert seen == {(i.kind, i.item): (list(i.gained.ids), list(i.lost.ids)) for i in whole.items}
    with pytest.raises(InvalidInput) as err:
        engine.preview_change(WhatIf.block("ann", "cat"), cursor=page_cursor(engine, change))
    assert err.value.field == "cursor"  # a cursor of another preview is refused


def page_cursor(engine: Engine, change: WhatIf) -> str:
    cursor = engine.preview_change(change, limit=1).next_cursor
    assert cursor is not None
    return cursor
