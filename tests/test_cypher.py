"""Every Cypher statement is EXPLAIN-checked by the real database; hot queries use the plans they must."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from mutuals import Engine
from mutuals.io.cypher import cypher_root, statement, statements
from mutuals.ops.events import CARRY_EVENTS
from mutuals.views.reports import builtin_dir, load_all

ROOT = Path(__file__).parent.parent
DATA_STATEMENTS = sorted(name for name in statements() if not name.startswith("schema/") and name != "schema_names")


def _plan(engine: Engine, text: str) -> dict[str, Any]:
    with engine._conn.driver.session(database=engine.config.database) as session:
        result = session.run("EXPLAIN " + text)  # type: ignore[arg-type]
        summary = result.consume()
    assert summary.plan is not None
    return summary.plan


def _operators(plan: dict[str, Any]) -> list[str]:
    found = [plan["operatorType"].split("@")[0] + " " + str(plan.get("args", {}).get("Details", ""))]
    for child in plan.get("children", []):
        found.extend(_operators(child))
    return found


@pytest.mark.parametrize("name", DATA_STATEMENTS)
def test_statement_is_accepted_by_the_database(session_engine: Engine, name: str) -> None:
    plan = _plan(session_engine, statements()[name])
    assert plan["operatorType"]


@pytest.mark.parametrize("name", sorted(CARRY_EVENTS))
def test_a_write_and_its_outbox_append_run_as_one_statement(session_engine: Engine, name: str) -> None:
    """emit_with: ``NAME+events_append`` is both statements as unit subqueries, in one round trip."""
    plan = _plan(session_engine, statement(f"{name}+events_append"))
    operators = " ".join(_operators(plan))
    assert "OutboxPending" in operators


def test_every_outbox_append_writes_the_same_change_set() -> None:
    """The one-statement follow appends its change set with the same CREATE as events_append."""
    creates = {
        name: re.findall(r"CREATE \(:OutboxPending \{[^}]*\}\)", text)
        for name, text in statements().items()
        if "OutboxPending {" in text
    }
    assert set(creates) >= {"events_append", "follow_apply"}
    assert {text for found in creates.values() for text in found} == set(creates["events_append"])


@pytest.mark.parametrize("name", sorted(path.stem for path in builtin_dir().glob("*.cypher")))
def test_report_is_accepted_by_the_database(session_engine: Engine, name: str) -> None:
    report = {r.name: r for r in load_all(None)}[name]
    plan = _plan(session_engine, report.text)
    assert plan["operatorType"]


def test_schema_file_names_match_what_they_create() -> None:
    for name, text in statements().items():
        if name.startswith("schema/"):
            created = re.search(r"CREATE (?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS", text)
            assert created, name
            assert created.group(1) == name.removeprefix("schema/")


def test_schema_is_applied_and_idempotent(session_engine: Engine) -> None:
    assert session_engine.apply_schema() == []
    names = {row["name"] for row in session_engine.query("SHOW INDEXES YIELD name RETURN name").rows}
    for name in statements():
        if name.startswith("schema/"):
            assert name.removeprefix("schema/") in names


def test_every_statement_is_used_and_every_use_exists() -> None:
    code = "\n".join(p.read_text() for p in (ROOT / "engine").rglob("*.py"))
    used = set(re.findall(r'(?:Run|statement)\(\s*"([a-z_/]+)"', code)) | set(
        re.findall(r'"(list_[a-z_]+|suggest_[a-z_]+)"', code)
    )
    known = set(statements())
    assert used - known == set()
    unused = {n for n in known - used if not n.startswith("schema/")}
    assert unused == set()


def test_no_cypher_is_built_from_strings_in_python() -> None:
    pattern = re.compile(r"\b(MATCH|MERGE|CREATE|UNWIND)\s+[(\[$]")
    for path in (ROOT / "engine").rglob("*.py"):
        for line in path.read_text().splitlines():
            if pattern.search(line) and not line.strip().startswith(("#", '"""', ">>>")):
                raise AssertionError(f"Cypher in Python: {path.name}: {line.strip()}")


@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("list_followers", "follows_dst_src"),
        ("list_following", "follows_src_dst"),
        ("list_followers_only", "follows_dst_src"),
        ("list_following_only", "follows_src_dst"),
        ("list_requests_in", "requested_dst_src"),
        ("list_requests_out", "requested_src_dst"),
        ("list_blocked", "blocks_src_dst"),
        ("list_muted", "mutes_src_dst"),
    ],
)
def test_lists_seek_an_index_in_order_without_sorting(session_engine: Engine, name: str, index: str) -> None:
    ops = _operators(_plan(session_engine, statements()[name]))
    assert any("RelationshipIndexSeek" in op for op in ops), ops
    assert not any(op.startswith(("Sort", "Top ")) for op in ops), ops


@pytest.mark.parametrize(
    "name",
    [
        "bulk/lock_accounts",
        "bulk/pair_states",
        "bulk/requests_create",
        "bulk/blocks_create",
        "bulk/post_interaction_facts",
        "bulk/post_interactions_create",
        "bulk/message_facts",
        "bulk/messages_create",
    ],
)
def test_bulk_statements_seek_accounts_by_index_without_eager_steps(session_engine: Engine, name: str) -> None:
    ops = _operators(_plan(session_engine, statements()[name]))
    assert any("NodeUniqueIndexSeek" in op for op in ops), ops
    assert not any(op.startswith(("AllNodesScan", "NodeByLabelScan", "Eager ")) for op in ops), ops


def test_bulk_follows_read_the_state_by_one_expand_between_the_two_accounts(session_engine: Engine) -> None:
    """One statement per batch: both accounts by their unique index, the state of the pair by one
    Expand(Into) between them, nothing scanned. The plan cannot depend on statistics: seeks of
    the (src, dst) relationship indexes were planned as full index scans when the index was empty
    or its sample stale (a batch of 1,000 then took 20 s). Its Eager step is wanted: every row's
    state is read before the first follow of the batch is written."""
    ops = _operators(_plan(session_engine, statements()["bulk/follows_apply"]))
    assert sum(op.startswith("NodeUniqueIndexSeek") for op in ops) == 2, ops
    assert any(op.startswith("Expand(Into)") and "FOLLOWS|REQUESTED|BLOCKS" in op for op in ops), ops
    assert any(op.startswith("Eager") for op in ops), ops
    assert not any("Scan" in op.split(" ")[0] or op.startswith("Expand(All)") for op in ops), ops


@pytest.mark.parametrize("name", ["account_counts", "segment_counts"])
def test_counts_are_degree_lookups(session_engine: Engine, name: str) -> None:
    ops = _operators(_plan(session_engine, statements()[name]))
    text = "\n".join(ops)
    assert "getDegree" in text or "GetDegree" in text, text


def test_cypher_files_ship_in_the_package() -> None:
    assert (cypher_root() / "engine").is_dir()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"cypher" = "mutuals/_cypher"' in pyproject
