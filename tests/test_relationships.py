"""Every rule of the relationship section of docs/rules.md, against the real database."""

from __future__ import annotations

import pytest
from helpers import follows, people

from mutuals import Engine, InvalidInput, NotFound

ENGINE_FLAVORS = ("sync", "async")


def test_follow_then_follow_back_becomes_friends(engine: Engine) -> None:
    people(engine, "ann", "ben")
    assert engine.follow("ann", "ben").outcome == "followed"
    assert engine.follow("ben", "ann").outcome == "became_friends"
    assert engine.friends("ann").items == ("ben",)
    assert engine.friends("ben").items == ("ann",)


def test_follow_is_idempotent(engine: Engine) -> None:
    people(engine, "ann", "ben")
    engine.follow("ann", "ben")
    again = engine.follow("ann", "ben")
    assert again.outcome == "already_following"
    assert not again.refused
    assert engine.followers("ben").items == ("ann",)
    assert (
        engine.query("MATCH (:Account {id:'ann'})-[r:FOLLOWS]->(:Account {id:'ben'}) RETURN count(r) AS n").rows[0]["n"]
        == 1
    )


def test_follow_private_files_a_request(engine: Engine) -> None:
    people(engine, "ann", "pia", private=("pia",))
    assert engine.follow("ann", "pia").outcome == "requested"
    assert engine.follow("ann", "pia").outcome == "already_requested"
    assert engine.followers("pia").items == ()
    assert engine.segment("pia", "requests-in").items == ("ann",)
    assert engine.segment("ann", "requests_out").items == ("pia",)


def test_follow_private_when_already_following_changes_nothing(engine: Engine) -> None:
    people(engine, "ann", "pia")
    engine.follow("ann", "pia")
    engine.user_set("pia", private=True)
    assert engine.follow("ann", "pia").outcome == "already_following"
    assert engine.segment("pia", "requests-in").items == ()


def test_follow_refused_when_either_side_blocks(engine: Engine) -> None:
    people(engine, "ann", "ben", "cat")
    engine.block("ann", "ben")
    engine.block("cat", "ann")
    first = engine.follow("ann", "ben")
    assert (first.outcome, first.refused) == ("blocked", True)
    assert engine.follow("ben", "ann").outcome == "blocked"
    assert engine.follow("ann", "cat").outcome == "blocked"
    assert engine.follow("cat", "ann").outcome == "blocked"
    assert engine.following("ann").items == ()
    assert engine.followers("ann").items == ()


def test_follow_of_a_private_account_across_a_block_files_no_request(engine: Engine) -> None:
    people(engine, "ann", "pia", private=("pia",))
    engine.block("pia", "ann")
    assert engine.follow("ann", "pia").outcome == "blocked"
    assert engine.segment("pia", "requests-in").items == ()


def test_self_follow_is_invalid_input(engine: Engine) -> None:
    people(engine, "ann")
    with pytest.raises(InvalidInput) as caught:
        engine.follow("ann", "ann")
    assert caught.value.field == "followee"


def test_unknown_account_is_not_found(engine: Engine) -> None:
    people(engine, "ann")
    with pytest.raises(NotFound) as caught:
        engine.follow("ann", "ghost")
    assert caught.value.ident == "ghost"
    with pytest.raises(NotFound):
        engine.friends("ghost")
    with pytest.raises(NotFound):
        engine.relationship("ghost", "ann")


def test_unfollow(engine: Engine) -> None:
    people(engine, "ann", "ben")
    follows(engine, "ann<>ben")
    assert engine.unfollow("ann", "ben").outcome == "unfollowed"
    assert engine.unfollow("ann", "ben").outcome == "not_following"
    assert engine.friends("ben").items == ()
    assert engine.followers("ann").items == ("ben",)


def test_unfollow_withdraws_a_pending_request(engine: Engine) -> None:
    people(engine, "ann", "pia", private=("pia",))
    engine.follow("ann", "pia")
    assert engine.unfollow("ann", "pia").outcome == "request_cancelled"
    assert engine.segment("pia", "requests-in").items == ()


def test_approve_turns_the_request_into_a_follow(engine: Engine) -> None:
    people(engine, "ann", "pia", private=("pia",))
    engine.follow("ann", "pia")
    assert engine.approve("pia", "ann").outcome == "approved"
    assert engine.approve("pia", "ann").outcome == "no_request"
    assert engine.followers("pia").items == ("ann",)
    assert engine.segment("pia", "requests-in").items == ()


def test_approve_of_a_request_when_owner_follows_makes_friends(engine: Engine) -> None:
    people(engine, "ann", "pia", private=("pia",))
    engine.follow("pia", "ann")
    engine.follow("ann", "pia")
    engine.approve("pia", "ann")
    assert engine.friends("pia").items == ("ann",)


def test_deny_deletes_the_request(engine: Engine) -> None:
    people(engine, "ann", "pia", private=("pia",))
    engine.follow("ann", "pia")
    assert engine.deny("pia", "ann").outcome == "denied"
    assert engine.deny("pia", "ann").outcome == "no_request"
    assert engine.segment("pia", "requests-in").items == ()
    assert engine.followers("pia").items == ()


def test_remove_follower(engine: Engine) -> None:
    people(engine, "ann", "ben")
    follows(engine, "ann<>ben")
    assert engine.remove_follower("ben", "ann").outcome == "removed"
    assert engine.remove_follower("ben", "ann").outcome == "not_following"
    assert engine.followers("ben").items == ()
    assert engine.following("ben").items == ("ann",)


def test_block_clears_follows_and_requests_both_ways(engine: Engine) -> None:
    people(engine, "ann", "ben", "pia", private=("pia",))
    follows(engine, "ann<>ben", "ann>pia", "ben>pia")
    engine.approve("pia", "ben")
    assert engine.followers("pia").items == ("ben",)
    assert engine.block("ann", "ben").outcome == "blocked"
    assert engine.block("ann", "ben").outcome == "already_blocked"
    assert engine.following("ann").items == ()
    assert engine.followers("ann").items == ()
    assert engine.segment("ann", "requests-out").items == ("pia",)
    assert engine.segment("ann", "blocked").items == ("ben",)
    engine.block("pia", "ann")
    assert engine.segment("pia", "requests-in").items == ()
    assert engine.followers("pia").items == ("ben",)
    rel = engine.relationship("ben", "ann")
    assert (rel.blocked_by, rel.blocking, rel.following, rel.followed_by) == (True, False, False, False)


def test_unblock_restores_nothing(engine: Engine) -> None:
    people(engine, "ann", "ben")
    follows(engine, "ann<>ben")
    engine.block("ann", "ben")
    assert engine.unblock("ann", "ben").outcome == "unblocked"
    assert engine.unblock("ann", "ben").outcome == "not_blocked"
    assert engine.friends("ann").items == ()
    assert engine.follow("ben", "ann").outcome == "followed"


def test_unblock_only_removes_own_block(engine: Engine) -> None:
    people(engine, "ann", "ben")
    engine.block("ann", "ben")
    engine.block("ben", "ann")
    engine.unblock("ann", "ben")
    assert engine.follow("ann", "ben").outcome == "blocked"


def test_making_an_account_public_approves_pending_requests(engine: Engine) -> None:
    people(engine, "ann", "ben", "pia", private=("pia",))
    engine.follow("ann", "pia")
    engine.follow("ben", "pia")
    changed = engine.user_set("pia", private=False)
    assert changed.outcome == "updated"
    assert changed.approved == ("ann", "ben")
    assert engine.followers("pia").items == ("ann", "ben")
    assert engine.segment("pia", "requests-in").items == ()
    assert engine.follow("ann", "pia").outcome == "already_following"


def test_making_an_account_private_keeps_its_followers(engine: Engine) -> None:
    people(engine, "ann", "pia")
    engine.follow("ann", "pia")
    assert engine.user_set("pia", private=True).outcome == "updated"
    assert engine.followers("pia").items == ("ann",)
    assert engine.user_set("pia", private=True).outcome == "unchanged"


def test_user_add_and_show(engine: Engine) -> None:
    assert engine.user_add("ann", private=True, dm_policy="nobody", duet_policy="only_me").outcome == "created"
    assert engine.user_add("ann").outcome == "already_exists"
    profile = engine.user_show("ann")
    assert profile.account.private is True
    assert profile.account.dm_policy == "nobody"
    assert profile.account.comment_policy == "everyone"
    assert profile.account.duet_policy == "only_me"
    assert (profile.followers, profile.following, profile.friends) == (0, 0, 0)
    assert profile.account.created_at is not None


def test_user_set_policies(engine: Engine) -> None:
    people(engine, "ann")
    assert engine.user_set("ann", dm_policy="everyone", stitch_policy="friends").outcome == "updated"
    account = engine.user_show("ann").account
    assert (account.dm_policy, account.stitch_policy) == ("everyone", "friends")
    with pytest.raises(NotFound):
        engine.user_set("ghost", private=True)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"dm_policy": "friends-only"}, "dm_policy"),
        ({"comment_policy": "only_me"}, "comment_policy"),
        ({"duet_policy": "nobody"}, "duet_policy"),
        ({"stitch_policy": 3}, "stitch_policy"),
        ({"private": "yes"}, "private"),
    ],
)
def test_bad_settings_name_the_field_and_write_nothing(engine: Engine, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        engine.user_add("ann", **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert engine.query("MATCH (a:Account) RETURN count(a) AS n").rows[0]["n"] == 0


@pytest.mark.parametrize("bad", ["", "a b", "x" * 65, "é", "a/b", "'}) DETACH DELETE n //", None, 7])
def test_bad_ids_are_refused(engine: Engine, bad: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        engine.user_add(bad)  # type: ignore[arg-type]
    assert caught.value.field == "id"


def test_user_delete_removes_every_relationship(engine: Engine) -> None:
    people(engine, "ann", "ben")
    follows(engine, "ann<>ben")
    assert engine.user_delete("ann").outcome == "deleted"
    assert engine.user_delete("ann").outcome == "not_found"
    assert engine.followers("ben").items == ()
