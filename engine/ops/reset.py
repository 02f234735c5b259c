"""Emptying a database of any size: ``Engine.reset`` (``mutuals db reset``).

Detach-deleting every node in one statement holds the whole graph in one transaction's state and
fails on the server's transaction memory pool from a few hundred thousand follows on; so the
relationships are deleted first, then the nodes, each in transactions of at most ``batch_size``
(a batch that still exceeds the pool is halved and tried again, down to ``MIN_BATCH``). The
schema (constraints and indexes) stays. Every node goes, the event outbox included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput, TransactionTooLarge
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.io.runner import Op, Runner

DEFAULT_BATCH: Final = v.RESET_BATCH
MAX_BATCH: Final = v.MAX_RESET_BATCH
MIN_BATCH: Final = v.MIN_RESET_BATCH


@dataclass(frozen=True, slots=True)
class ResetProgress:
    """How far a reset is: relationships and nodes deleted so far, of the totals counted at the start."""

    relationships_deleted: int
    nodes_deleted: int
    relationships: int
    nodes: int

    @property
    def done(self) -> int:
        return self.relationships_deleted + self.nodes_deleted

    @property
    def total(self) -> int:
        return max(self.relationships + self.nodes, self.done)


@dataclass(frozen=True, slots=True)
class ResetSummary:
    """What a reset deleted: ``outcome`` is ``reset``, or ``already_empty`` when there was nothing;
    ``transactions`` is how many it took; ``token`` is the consistency token of the last one."""

    outcome: str
    nodes_deleted: int
    relationships_deleted: int
    transactions: int
    batch_size: int
    token: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields."""
        return asdict(self)


def _counts() -> Plan[tuple[int, int]]:
    result = yield Run("reset_counts", {})
    row = result.one() or {}
    return int(row.get("nodes") or 0), int(row.get("relationships") or 0)


def _delete(what: str, batch: int) -> PlanFactory[int]:
    def plan() -> Plan[int]:
        if what == "relationships":
            result = yield Run("reset_relationships", {"batch": batch})
        else:
            result = yield Run("reset_nodes", {"batch": batch})
        row = result.one() or {}
        return int(row.get("deleted") or 0)

    return plan


def reset(
    runner: Runner, *, batch_size: Any = DEFAULT_BATCH, progress: Callable[[ResetProgress], None] | None = None
) -> Op[ResetSummary]:
    """Delete every relationship, then every node, in transactions of at most ``batch_size``."""
    size = v.limit("batch_size", batch_size, maximum=MAX_BATCH)
    if progress is not None and not callable(progress):
        raise InvalidInput("progress", f"must be a function of ResetProgress, got {v.shown(progress)}")
    return _reset(runner, size, progress)


def _reset(runner: Runner, size: int, progress: Callable[[ResetProgress], None] | None) -> Op[ResetSummary]:
    nodes, relationships = yield from runner.read(_counts)
    deleted = {"relationships": 0, "nodes": 0}
    transactions, token = 0, None

    def report() -> None:
        if progress is not None:
            progress(ResetProgress(deleted["relationships"], deleted["nodes"], relationships, nodes))

    report()
    for what in ("relationships", "nodes"):
        while True:
            try:
                count, written = yield from runner.commit(_delete(what, size))
            except TransactionTooLarge:
                if size <= MIN_BATCH:
                    raise
                size = max(MIN_BATCH, size // 2)  # the pool is smaller than a batch: halve it
                continue
            transactions += 1
            token = written or token
            deleted[what] += count
            report()
            if count < size:
                break
    outcome = "reset" if deleted["nodes"] or deleted["relationships"] else "already_empty"
    return ResetSummary(outcome, deleted["nodes"], deleted["relationships"], transactions, size, token)
