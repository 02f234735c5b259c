"""The schema (constraints and indexes), applied idempotently from ``cypher/engine/schema/``."""

from __future__ import annotations

from typing import Any

from mutuals.io.cypher import schema_statements
from mutuals.io.plan import Plan, Run


def missing(names: list[str]) -> list[str]:
    """Schema statement names whose index or constraint does not exist yet."""
    have = set(names)
    return [name for name, _ in schema_statements() if name.removeprefix("schema/") not in have]


def existing_names() -> Plan[list[str]]:
    """Read the names of the indexes that exist."""
    result = yield Run("schema_names", {})
    row = result.one()
    return list(row["names"]) if row else []


def apply_one(name: str) -> Any:
    """Create one index or constraint (each in a transaction of its own, as schema changes need)."""
    yield Run(name, {})


def await_indexes() -> Any:
    """Wait until every index is online."""
    yield Run("await_indexes", {"seconds": 300})
