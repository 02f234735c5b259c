"""`doctor`: check the invariants of the graph (what concurrent writes must never break)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.io.plan import Plan, Run
from mutuals.ops.interactions import KINDS

CHECKS: Final = (
    "duplicate_follow",
    "duplicate_request",
    "duplicate_block",
    "follow_or_request_across_block",
    "request_and_follow",
    "request_to_public_account",
    "self_relationship",
    "edge_key_mismatch",
    "edge_between_wrong_nodes",
    "invalid_account",
    "post_without_one_author",
    "post_author_mismatch",
    "invalid_post",
    "interaction_on_wrong_target",
    "interaction_key_mismatch",
    "message_to_self",
    "duplicate_like",
)


# what valid data looks like, from the one place that defines it
RULES: Final = {
    "id_pattern": v.ID_PATTERN,
    "dm_policies": list(v.DM_POLICIES),
    "comment_policies": list(v.COMMENT_POLICIES),
    "media_policies": list(v.MEDIA_POLICIES),
    "visibilities": list(v.VISIBILITIES),
    "kinds": list(KINDS),
}


@dataclass(frozen=True, slots=True)
class Check:
    """One invariant: how many places break it, and a few of them as (a, b) pairs."""

    name: str
    violations: int
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """Every invariant checked; ``ok`` when none is broken."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.violations == 0 for c in self.checks)

    @property
    def violations(self) -> int:
        return sum(c.violations for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": {
                c.name: {"violations": c.violations, "examples": [list(e) for e in c.examples]} for c in self.checks
            },
        }


def doctor(examples: int = 5) -> Plan[DoctorReport]:
    """Run every check in one read."""
    result = yield Run("doctor", {"examples": examples, **RULES})
    found = {row["check"]: row for row in result.rows}
    return DoctorReport(
        tuple(
            Check(name, found[name]["violations"], tuple(tuple(e) for e in found[name]["examples"]))
            if name in found
            else Check(name, 0)
            for name in CHECKS
        )
    )
