"""The frozen dataclasses the engine returns. Never raw driver records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class _Dict:
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields."""
        return {k: _jsonable(v) for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class Outcome(_Dict):
    """What an operation did, as one word: ``followed``, ``not_following``, ``approved``...

    ``refused`` is true when the rules refused the operation and nothing was written (a follow
    across a block). ``approved`` lists the requests a change of settings approved.
    """

    outcome: str
    refused: bool = False
    approved: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"outcome": self.outcome}
        if self.refused:
            out["refused"] = True
        if self.approved:
            out["approved"] = list(self.approved)
        return out


@dataclass(frozen=True, slots=True)
class Account(_Dict):
    """An account and its settings."""

    id: str
    private: bool
    dm_policy: str
    comment_policy: str
    duet_policy: str
    stitch_policy: str
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Profile(_Dict):
    """An account with its counts (read from degree counts, not by walking edges)."""

    account: Account
    followers: int
    following: int
    friends: int

    def to_dict(self) -> dict[str, Any]:
        out = self.account.to_dict()
        out.update(followers=self.followers, following=self.following, friends=self.friends)
        return out


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a keyset-paginated list; pass ``next_cursor`` back to get the next page."""

    items: tuple[T, ...]
    next_cursor: str | None = None
    total: int | None = None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class SegmentCounts(_Dict):
    """How many accounts are in each segment of an account's audience."""

    friends: int
    followers_only: int
    following_only: int
    requests_in: int
    requests_out: int
    blocked: int


@dataclass(frozen=True, slots=True)
class Relationship(_Dict):
    """Everything about how account ``a`` relates to account ``b``, read at once."""

    a: str
    b: str
    following: bool
    followed_by: bool
    friends: bool
    requested: bool
    requested_by: bool
    blocking: bool
    blocked_by: bool
    can_message: bool
    mutual_friends: int


@dataclass(frozen=True, slots=True)
class Suggestion(_Dict):
    """An account to follow, with how many of your friends are its friends and a few of them."""

    id: str
    mutual_friends: int
    via: tuple[str, ...] = field(default=())
