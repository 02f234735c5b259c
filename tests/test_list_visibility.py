"""Who may see my lists (docs/rules.md, "Who may see my lists"), on both engines, real Neo4j."""

from __future__ import annotations

import pytest

from mutuals import Engine
from mutuals.base.errors import InvalidInput, NotAllowed

ENGINE_FLAVORS = ("sync", "async")


@pytest.fixture
def graph(engine: Engine) -> Engine:
    """o is followed by f (a friend: o follows f back) and by s (a stranger follower); k follows
    o; v is a stranger who follows k."""
    for uid in ("o", "f", "s", "v", "k"):
        engine.user_add(uid)
    for a, b in (("f", "o"), ("o", "f"), ("s", "o"), ("k", "o"), ("v", "k")):
        engine.follow(a, b)
    return engine


def test_everyone_by_default(graph: Engine) -> None:
    assert graph.followers("o", viewer="v").items == ("f", "k", "s")
    assert graph.following("o", viewer="v").items == ("f",)
    assert graph.friends("o", viewer="v").items == ("f",)
    assert graph.followers("o").items == ("f", "k", "s")  # no viewer: the service view


def test_friends_setting(graph: Engine) -> None:
    graph.user_set("o", followers_visibility="friends")
    assert graph.followers("o", viewer="f").items == ("f", "k", "s")
    with pytest.raises(NotAllowed) as err:
        graph.followers("o", viewer="s")
    assert "only to friends" in err.value.reasons[0]
    assert graph.following("o", viewer="s").items == ("f",)  # the other list is unaffected
    with pytest.raises(NotAllowed):
        graph.friends("o", viewer="s")  # friends reveal both lists


def test_only_me_setting(graph: Engine) -> None:
    graph.user_set("o", following_visibility="only_me")
    assert graph.following("o", viewer="o").items == ("f",)
    with pytest.raises(NotAllowed) as err:
        graph.following("o", viewer="f")
    assert "to themselves" in err.value.reasons[0]


def test_private_account_overrides_the_setting(graph: Engine) -> None:
    graph.user_set("o", private=True)
    assert graph.followers("o", viewer="s").items == ("f", "k", "s")  # an approved follower
    with pytest.raises(NotAllowed) as err:
        graph.followers("o", viewer="v")
    assert "private" in err.value.reasons[0]


def test_never_across_a_block_and_the_reason_does_not_say_so(graph: Engine) -> None:
    graph.block("o", "v")
    with pytest.raises(NotAllowed) as err:
        graph.followers("o", viewer="v")
    assert "block" not in " ".join(err.value.reasons)
    (profile,) = graph.profiles(["o"], viewer="v")
    assert profile.followers is None and profile.following is None
    (shown,) = graph.profiles(["o"], viewer="s")
    assert shown.followers == 3  # a hidden list would still show its count (as TikTok does)


def test_hidden_list_still_shows_its_count(graph: Engine) -> None:
    graph.user_set("o", followers_visibility="only_me")
    (profile,) = graph.profiles(["o"], viewer="v")
    assert profile.followers == 3


def test_known_followers_uses_only_visible_edges(graph: Engine) -> None:
    # v follows k, and k follows o: shown while v may see k's following or o's followers
    assert graph.known_followers("v", "o").items == ("k",)
    graph.user_set("o", followers_visibility="only_me")
    assert graph.known_followers("v", "o").items == ("k",)  # k's following list is visible
    graph.user_set("k", following_visibility="only_me")
    page = graph.known_followers("v", "o")
    assert page.items == () and page.total == 0


def test_suggestion_whose_evidence_is_hidden_is_not_made(engine: Engine) -> None:
    for uid in ("u", "f", "w"):
        engine.user_add(uid)
    for a, b in (("u", "f"), ("f", "u"), ("f", "w"), ("w", "f")):
        engine.follow(a, b)
    assert [(s.id, s.via) for s in engine.suggest("u")] == [("w", ("f",))]
    engine.user_set("f", following_visibility="only_me")
    assert [s.id for s in engine.suggest("u")] == ["w"]  # f->w still shown by w's followers
    engine.user_set("w", followers_visibility="only_me")
    assert engine.suggest("u") == []


def test_settings_are_validated_and_shown(engine: Engine) -> None:
    engine.user_add("o", followers_visibility="friends")
    assert engine.user_show("o").account.followers_visibility == "friends"
    assert engine.user_show("o").account.following_visibility == "everyone"
    with pytest.raises(InvalidInput) as err:
        engine.user_set("o", following_visibility="nobody")
    assert err.value.field == "following_visibility"
    with pytest.raises(InvalidInput):
        engine.followers("o", viewer="o x")
