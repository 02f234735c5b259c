"""The leaks of the red-team list, each closed: a blocked account cannot learn it is blocked, an
author cannot learn who blocked them, a hidden post looks like a missing one, events carry the
effective audience and every removal, reports read no messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import follows, people

from mutuals import Blocked, Engine, InvalidInput, NotAllowed
from mutuals.rules import NOT_AVAILABLE
from mutuals.views import reports

ENGINE_FLAVORS = ("sync", "async")


def test_profile_for_a_blocked_viewer_looks_like_a_missing_account(engine: Engine) -> None:
    people(engine, "ann", "ben", "cat")
    follows(engine, "ben>ann")
    engine.block("ann", "ben")
    assert engine.relationship("ben", "ann").blocked_by is True  # the admin answer is unchanged
    hidden = engine.profile_for("ben", "ann")
    missing = engine.profile_for("ben", "ghost")
    assert hidden.to_dict() == {"id": "ann", "available": False}
    assert missing.to_dict() == {"id": "ghost", "available": False}
    assert "blocked_by" not in hidden.to_dict() and hidden.profile is None
    seen = engine.profile_for("cat", "ann")
    assert seen.available and seen.profile is not None and seen.profile.account.id == "ann"
    own = engine.profile_for("ann", "ben")  # the blocker knows their own block
    assert own.available and own.blocking is True


def test_public_reason_never_says_blocked(engine: Engine) -> None:
    people(engine, "ann", "ben")
    engine.post_add("p1", "ann", "public")
    engine.block("ann", "ben")
    decision = engine.can_view("ben", "p1")
    assert "blocked" in decision.reasons[0]  # the support agent's text
    assert decision.public_reason == NOT_AVAILABLE
    message = engine.can_message("ben", "ann")
    assert "block" not in message.public_reason.lower()
    engine.user_set("ann", dm_policy="nobody")
    engine.unblock("ann", "ben")
    assert engine.can_message("ben", "ann").public_reason == message.public_reason  # block = policy
    engine.block("ann", "ben")
    with pytest.raises(Blocked) as caught:
        engine.interact("like", "ben", "p1")
    assert caught.value.public_reason == NOT_AVAILABLE


def test_a_hidden_post_and_a_missing_post_look_the_same_to_the_viewer(engine: Engine) -> None:
    people(engine, "ann", "eve")
    engine.post_add("secret", "ann", "only_me")
    engine.post_add("close", "ann", "friends")
    answers = engine.can_view_many("eve", ["secret", "close", "nothing"])
    shown = {p: d.for_viewer() for p, d in answers.items()}
    assert shown["secret"] == shown["close"] == shown["nothing"] == {"allowed": False, "public_reason": NOT_AVAILABLE}
    assert all("ann" not in d.public_reason for d in answers.values())


def test_the_audience_shown_to_the_author_names_only_their_own_blocks(engine: Engine) -> None:
    people(engine, "ann", "ben", "cat")
    engine.post_add("p1", "ann", "public")
    engine.block("ben", "ann")  # ben blocked the author
    engine.block("ann", "cat")
    assert set(engine.audience("p1").accounts.items) == {"ben", "cat"}  # the admin answer
    shown = engine.audience("p1", as_author=True)
    assert shown.everyone and shown.accounts.items == ("cat",)


def test_events_carry_the_effective_audience_and_every_removal(engine: Engine) -> None:
    people(engine, "ann", "ben", private=("ann",))
    engine.post_add("p1", "ann", "public")
    engine.user_set("ann", private=False)
    engine.user_set("ann", private=True)
    engine.user_delete("ann")
    events = [(e.type, e.post, e.detail) for e in engine.events(0, 100)]
    assert ("post_created", "p1", "followers") in events  # never "public" for a private account
    updates = [d for t, _, d in events if t == "account_updated"]
    assert updates == ["private=false", "private=true"]
    assert ("visibility_changed", "p1", "public") in events and ("visibility_changed", "p1", "followers") in events
    assert events[-2][:2] == ("post_deleted", "p1") and events[-1][0] == "account_deleted"
    assert events[-1][2] == "follows,requests,blocks,posts,interactions"


def test_a_report_that_could_read_messages_is_refused(tmp_path: Path) -> None:
    for body in (
        "MATCH (a)-[i:INTERACTED]->(b:Account) RETURN count(i) AS n",
        "MATCH ()-[i:INTERACTED]->() RETURN count(i) AS n",
        "MATCH (a)-[r]->(b) RETURN count(r) AS n",
        "MATCH (a)-->(b) RETURN count(*) AS n",
    ):
        (tmp_path / "sneaky.cypher").write_text(f"// name: sneaky\n// description: x\n{body}\n")
        with pytest.raises(InvalidInput, match="direct messages"):
            reports.load_all(tmp_path)
    assert NotAllowed  # the refusal classes carry public_reason too (test_public_reason_never_says_blocked)
