"""can_view / can_message / can_comment / can_duet / can_stitch: one test per branch, with explanations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import follows, people

from mutuals import Engine, InvalidInput, NotFound

ENGINE_FLAVORS = ("sync", "async")

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def world(engine: Engine) -> Engine:
    """author `au` (public): friend `fr`, follower `fo` (au does not follow back), stranger `st`;
    `pa` is private with approved follower `ap`; `bl` is blocked by au; `bb` blocks au."""
    people(engine, "au", "fr", "fo", "st", "bl", "bb", "ap")
    engine.user_add("pa", private=True)
    follows(engine, "au<>fr", "fo>au", "ap>pa")
    engine.approve("pa", "ap")
    engine.follow("bl", "au")
    engine.block("au", "bl")
    engine.follow("bb", "au")
    engine.block("bb", "au")
    for i, vis in enumerate(("public", "followers", "friends", "only_me")):
        engine.post_add(f"au-{vis}", "au", vis, created_at=T0.replace(hour=i))
    engine.post_add("pa-public", "pa", "public", created_at=T0)
    engine.post_add("pa-friends", "pa", "friends", created_at=T0)
    return engine


def view(engine: Engine, viewer: str | None, post: str) -> tuple[bool, str]:
    decision = engine.can_view(viewer, post)
    assert decision.reasons and all(isinstance(r, str) and r for r in decision.reasons)
    return decision.allowed, decision.rule


# -- can_view, in the order of docs/rules.md --------------------------------------------------------


def test_view_author_always_sees_own_post(world: Engine) -> None:
    assert view(world, "au", "au-only_me") == (True, "author")
    assert view(world, "pa", "pa-friends") == (True, "author")


def test_view_block_by_author_denies(world: Engine) -> None:
    assert view(world, "bl", "au-public") == (False, "blocked_by_author")
    assert world.can_view("bl", "au-public").reasons == ("au has blocked bl",)


def test_view_block_by_viewer_denies(world: Engine) -> None:
    assert view(world, "bb", "au-public") == (False, "blocking_author")


def test_view_only_me_denies_everyone_else(world: Engine) -> None:
    assert view(world, "fr", "au-only_me") == (False, "only_me")


def test_view_friends_post_allows_a_friend(world: Engine) -> None:
    assert view(world, "fr", "au-friends") == (True, "friends")


def test_view_friends_post_denies_a_follower_with_the_reason(world: Engine) -> None:
    decision = world.can_view("fo", "au-friends")
    assert (decision.allowed, decision.rule) == (False, "not_friends")
    assert decision.reasons == (
        "the post is for friends only, and fo and au are not friends (au does not follow fo back)",
    )


def test_view_followers_post_allows_a_follower_and_denies_a_stranger(world: Engine) -> None:
    assert view(world, "fo", "au-followers") == (True, "follower")
    assert view(world, "st", "au-followers") == (False, "not_follower")


def test_view_public_post_of_public_account(world: Engine) -> None:
    assert view(world, "st", "au-public") == (True, "public")


def test_view_public_post_of_private_account_needs_an_approved_follow(world: Engine) -> None:
    assert view(world, "ap", "pa-public") == (True, "approved_follower")
    decision = world.can_view("st", "pa-public")
    assert (decision.allowed, decision.rule) == (False, "private_author")
    assert decision.reasons == ("the author's account is private and st is not an approved follower",)


def test_view_pending_request_is_not_a_follow(world: Engine) -> None:
    world.follow("st", "pa")
    assert view(world, "st", "pa-public") == (False, "private_author")


def test_view_anonymous_sees_only_public_posts_of_public_accounts(world: Engine) -> None:
    assert view(world, None, "au-public") == (True, "anonymous_public")
    assert view(world, None, "au-followers") == (False, "anonymous_not_public")
    assert view(world, None, "au-only_me") == (False, "anonymous_not_public")
    assert view(world, None, "pa-public") == (False, "anonymous_private_author")


def test_view_unknown_post_or_viewer_is_not_found(world: Engine) -> None:
    with pytest.raises(NotFound):
        world.can_view("st", "nope")
    with pytest.raises(NotFound):
        world.can_view("ghost", "au-public")


def test_visibility_change_takes_effect_at_once(world: Engine) -> None:
    assert view(world, "fo", "au-public")[0] is True
    assert world.post_set_visibility("au-public", "friends").outcome == "updated"
    assert view(world, "fo", "au-public") == (False, "not_friends")
    assert world.post_set_visibility("au-public", "friends").outcome == "unchanged"
    with pytest.raises(InvalidInput):
        world.post_set_visibility("au-public", "secret")


def test_can_view_many_answers_a_page_in_order(world: Engine) -> None:
    ids = ["au-public", "au-followers", "au-friends", "au-only_me", "pa-public", "missing"]
    answers = world.can_view_many("fo", ids)
    assert list(answers) == ids
    assert [answers[i].allowed for i in ids] == [True, True, False, False, False, False]
    assert answers["missing"].rule == "no_such_post"
    assert [d.allowed for d in world.can_view_many(None, ids).values()] == [True, False, False, False, False, False]
    assert world.can_view_many("fo", []) == {}


# -- can_message ---------------------------------------------------------------------------------


def test_message_self_is_invalid_only_as_an_interaction(world: Engine) -> None:
    with pytest.raises(InvalidInput):
        world.interact("message", "au", "au")
    assert world.can_message("au", "au").rule == "self"


def test_message_block_either_way_denies(world: Engine) -> None:
    world.user_set("bl", dm_policy="everyone")
    assert world.can_message("au", "bl").rule == "blocking_target"
    assert world.can_message("bl", "au").rule == "blocked_by_target"


def test_message_policy_everyone_friends_nobody(world: Engine) -> None:
    assert world.can_message("fr", "au").allowed is True  # default friends, and they are friends
    assert world.can_message("fo", "au").rule == "dm_friends_only"
    world.user_set("au", dm_policy="everyone")
    assert world.can_message("st", "au").rule == "dm_everyone"
    world.user_set("au", dm_policy="nobody")
    assert world.can_message("fr", "au").rule == "dm_nobody"


# -- can_comment ---------------------------------------------------------------------------------


def test_comment_needs_view_first(world: Engine) -> None:
    decision = world.can_comment("fo", "au-friends")
    assert (decision.allowed, decision.rule) == (False, "not_friends")


def test_comment_policy_everyone(world: Engine) -> None:
    decision = world.can_comment("st", "au-public")
    assert (decision.allowed, decision.rule) == (True, "comment_everyone")
    assert len(decision.reasons) == 2


def test_comment_policy_friends(world: Engine) -> None:
    world.user_set("au", comment_policy="friends")
    assert world.can_comment("fr", "au-public").rule == "comment_friends"
    assert world.can_comment("st", "au-public").rule == "comment_friends_only"


def test_comment_policy_nobody_but_the_author(world: Engine) -> None:
    world.user_set("au", comment_policy="nobody")
    assert world.can_comment("fr", "au-public").rule == "comment_nobody"
    assert world.can_comment("au", "au-public").allowed is True


def test_comment_anonymous_denied(world: Engine) -> None:
    assert world.can_comment(None, "au-public").allowed is False  # type: ignore[arg-type]


# -- can_duet / can_stitch -----------------------------------------------------------------------


def test_duet_follows_the_author_policy(world: Engine) -> None:
    assert world.can_duet("st", "au-public").rule == "duet_everyone"
    world.user_set("au", duet_policy="friends")
    assert world.can_duet("st", "au-public").rule == "duet_friends_only"
    assert world.can_duet("fr", "au-public").rule == "duet_friends"
    world.user_set("au", duet_policy="only_me")
    assert world.can_duet("fr", "au-public").rule == "duet_only_me"
    assert world.can_duet("au", "au-public").allowed is True


def test_post_override_wins_over_the_author_policy(world: Engine) -> None:
    world.user_set("au", duet_policy="everyone", stitch_policy="only_me")
    world.post_add("ov", "au", "public", duet_policy="only_me", stitch_policy="everyone")
    assert world.can_duet("fr", "ov").rule == "duet_only_me"
    assert world.can_stitch("st", "ov").rule == "stitch_everyone"
    assert world.can_stitch("st", "au-public").rule == "stitch_only_me"
    post = world.post_show("ov")
    assert (post.duet_policy, post.stitch_policy) == ("only_me", "everyone")


def test_stitch_needs_view_and_friends_policy(world: Engine) -> None:
    world.user_set("au", stitch_policy="friends")
    assert world.can_stitch("fo", "au-followers").rule == "stitch_friends_only"
    assert world.can_stitch("fr", "au-friends").rule == "stitch_friends"
    assert world.can_stitch("bl", "au-public").rule == "blocked_by_author"
