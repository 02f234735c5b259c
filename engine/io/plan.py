"""Operations as plans: generators that yield statements and receive their results.

A plan holds the rules of one operation (what to read, how to decide, what to write) without
doing I/O; the runner (:mod:`mutuals.io.runner`, performed by the sync and async connections)
executes each yielded :class:`Run` in one transaction and sends back the :class:`Result`. One
implementation of each rule serves every runner, and a retried transaction simply replays the
plan from the start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, TypeVar

from mutuals.io.cypher import statement

T = TypeVar("T")
_NOW: Final = re.compile(r"\$now\b")


@dataclass(frozen=True, slots=True)
class Run:
    """Run the named statement of ``cypher/engine/`` with these parameters."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return statement(self.name)

    @property
    def bound_params(self) -> dict[str, Any]:
        """The parameters sent: ``now`` (the engine's clock, which decides whether a block or a
        mute still applies: mutuals.rules.expiry) is bound for a statement that names ``$now``
        when the plan did not bind it itself."""
        if "now" not in self.params and _NOW.search(self.text):
            return {**self.params, "now": datetime.now(UTC)}
        return self.params


@dataclass(frozen=True, slots=True)
class Result:
    """The rows of one statement and what it changed."""

    rows: list[dict[str, Any]]
    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0

    def one(self) -> dict[str, Any] | None:
        """The first row, or None."""
        return self.rows[0] if self.rows else None

    @property
    def changed(self) -> bool:
        return bool(
            self.nodes_created or self.nodes_deleted or self.relationships_created or self.relationships_deleted
        )


Plan = Generator[Run, Result, T]
PlanFactory = Callable[[], Plan[T]]


def single(name: str, params: dict[str, Any], convert: Callable[[Result], T]) -> Callable[[], Plan[T]]:
    """A plan of one statement whose result is converted by ``convert``."""

    def plan() -> Plan[T]:
        result = yield Run(name, params)
        return convert(result)

    return plan
