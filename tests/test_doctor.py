"""`doctor` is the checker of the concurrency, soak and fault tests: each check must find what it
looks for. The graph is damaged on purpose with raw Cypher (what a bad import or a hand-written
`mutuals query --write` could do), and each damage is reported by its check, and only by it."""

from __future__ import annotations

import pytest
from helpers import follows, people
from typer.testing import CliRunner

from mutuals import Engine
from mutuals.cli.main import app
from mutuals.views.doctor import CHECKS

runner = CliRunner()


def edge(a: str, rel: str, b: str, extra: str = "") -> str:
    """A raw write of an edge from the node with id ``a`` to the node with id ``b`` (test data only)."""
    return f"MATCH (a {{id: '{a}'}}), (b {{id: '{b}'}}) CREATE (a)-[:{rel} {{src: '{a}', dst: '{b}'{extra}}}]->(b)"


# check -> a write that breaks exactly that invariant (on the graph of the fixture)
DAMAGE = {
    "duplicate_follow": edge("ann", "FOLLOWS", "ben"),
    "duplicate_request": edge("cat", "REQUESTED", "pia"),
    "duplicate_block": edge("dan", "BLOCKS", "eve"),
    "follow_or_request_across_block": edge("eve", "FOLLOWS", "dan"),
    "request_and_follow": edge("ben", "FOLLOWS", "pia"),
    "request_to_public_account": edge("cat", "REQUESTED", "ann"),
    "self_relationship": edge("cat", "BLOCKS", "cat"),
    "edge_key_mismatch": "MATCH (:Account {id: 'ann'})-[r:FOLLOWS]->(:Account {id: 'ben'}) SET r.dst = 'cat'",
    "edge_between_wrong_nodes": edge("cat", "FOLLOWS", "p1"),
    "invalid_account": "MATCH (a:Account {id: 'cat'}) SET a.dm_policy = 'strangers'",
    "post_without_one_author": "MATCH (:Account)-[r:POSTED]->(:Post {id: 'p1'}) DELETE r",
    "post_author_mismatch": "MATCH (p:Post {id: 'p1'}) SET p.author = 'ben'",
    "invalid_post": "MATCH (p:Post {id: 'p1'}) SET p.visibility = 'secret'",
    "interaction_on_wrong_target": edge("ben", "INTERACTED", "ann", ", kind: 'like', at: datetime()"),
    "interaction_key_mismatch": "MATCH (:Account {id: 'ben'})-[i:INTERACTED {kind: 'like'}]->(:Post) SET i.dst = 'ben'",
    "message_to_self": edge("ann", "INTERACTED", "ann", ", kind: 'message', at: datetime()"),
    "duplicate_like": edge("ben", "INTERACTED", "p1", ", kind: 'like', post: 'p1', at: datetime()").replace(
        "dst: 'p1'", "dst: 'ann'"
    ),
}


@pytest.fixture
def healthy(engine: Engine) -> Engine:
    people(engine, "ann", "ben", "cat", "dan", "eve", "pia", private=("pia",))
    follows(engine, "ann<>ben", "cat>ben", "ben>pia", "cat>pia")
    engine.block("dan", "eve")
    engine.post_add("p1", "ann", "public")
    engine.interact("like", "ben", "p1")
    engine.interact("message", "ben", "ann", at="2026-01-01T00:00:00Z")
    assert engine.doctor().ok, engine.doctor().to_dict()
    return engine


def test_every_check_has_a_damage_that_it_finds() -> None:
    assert set(DAMAGE) == set(CHECKS)


@pytest.mark.parametrize("check", sorted(DAMAGE))
def test_each_damage_is_found_by_its_check(healthy: Engine, check: str) -> None:
    healthy.query(DAMAGE[check], write=True)
    report = healthy.doctor()
    broken = {c.name for c in report.checks if c.violations}
    assert check in broken, report.to_dict()
    # a damage may break a neighbouring rule too, but never goes unnoticed or blames everything
    assert len(broken) <= 2, broken


def test_doctor_command_shows_hostile_ids_as_text(healthy: Engine, env: dict[str, str]) -> None:
    healthy.query("CREATE (:Account {id: '[/]\u001b[2J', private: false})", write=True)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "invalid_account" in result.stdout and "[/]" in result.stdout and "\x1b" not in result.stdout
