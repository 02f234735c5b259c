"""An account's ego network, read for a picture: its friends, followers-only and following-only
accounts (up to a limit shared between the three, see :func:`shares`) and the follows among them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from mutuals.base import limits
from mutuals.base import validate as v
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.accounts import _counts

SEGMENTS: Final = ("friends", "followers_only", "following_only")
STATEMENTS: Final = {
    "friends": "list_friends",
    "followers_only": "list_followers_only",
    "following_only": "list_following_only",
}
DEFAULT_LIMIT: Final = limits.EGO_DEFAULT_LIMIT
MAX_LIMIT: Final = limits.EGO_MAX_LIMIT


@dataclass(frozen=True, slots=True)
class EgoNetwork:
    """The accounts drawn in each segment, each segment's full size, and the follows among the drawn."""

    user: str
    segments: dict[str, tuple[str, ...]]
    totals: dict[str, int]
    edges: tuple[tuple[str, str], ...] = ()

    @property
    def drawn(self) -> int:
        return sum(len(ids) for ids in self.segments.values())

    @property
    def total(self) -> int:
        return sum(self.totals.values())


@dataclass(frozen=True, slots=True)
class EgoPicture:
    """The picture written by ``Engine.draw``: where, and how much of the network it shows."""

    user: str
    path: str
    drawn: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def truncated(self) -> bool:
        return self.drawn != self.totals

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "path": self.path,
            "drawn": dict(self.drawn),
            "totals": dict(self.totals),
            "truncated": self.truncated,
        }


def shares(totals: dict[str, int], limit: int) -> dict[str, int]:
    """How many of each segment to draw: all when they fit; else each segment gets an equal share
    of ``limit``, a segment smaller than its share is drawn whole, and what it leaves goes to the
    larger ones (so a handful of following-only accounts is never hidden by 10,000 followers)."""
    out: dict[str, int] = {}
    remaining = limit
    names = sorted(totals, key=lambda name: totals[name])
    for i, name in enumerate(names):
        out[name] = min(totals[name], remaining // (len(names) - i))
        remaining -= out[name]
    return {name: out[name] for name in totals}


def ego_network(user: Any, limit: Any = DEFAULT_LIMIT) -> PlanFactory[EgoNetwork]:
    """Read the ego network of ``user`` (NotFound for an unknown account)."""
    uid = v.ident("user", user)
    size = v.limit("limit", limit, maximum=MAX_LIMIT)

    def plan() -> Plan[EgoNetwork]:
        row = yield from _counts(uid)
        totals = {name: int(row[name]) for name in SEGMENTS}
        wanted = shares(totals, size)
        segments: dict[str, tuple[str, ...]] = {}
        for name in SEGMENTS:
            ids: tuple[str, ...] = ()
            if wanted[name]:
                result = yield Run(STATEMENTS[name], {"user": uid, "after": "", "limit": wanted[name]})
                found = result.one()
                ids = tuple(found["ids"]) if found else ()
            segments[name] = ids
        drawn = [uid for ids in segments.values() for uid in ids]
        edges: tuple[tuple[str, str], ...] = ()
        if drawn:
            result = yield Run("ego_edges", {"ids": drawn})
            edges = tuple((r["a"], r["b"]) for r in result.rows)
        return EgoNetwork(uid, segments, totals, edges)

    return plan


def picture(network: EgoNetwork, out: Any) -> EgoPicture:
    """Draw the network as a PNG at ``out`` and say what was drawn out of what exists."""
    from mutuals.views import charts

    written = charts.ego(network.user, dict(network.segments), network.totals, network.edges, path=out)
    drawn = {name: len(ids) for name, ids in network.segments.items()}
    return EgoPicture(network.user, str(written), drawn, dict(network.totals))
