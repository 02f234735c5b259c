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
    across a block), and ``reasons`` then says why, in words (the text an import writes for the
    same row). ``approved`` lists the requests a change of settings approved. ``token`` is the
    consistency token of the write: pass it as ``after=`` to any read to see this write.
    """

    outcome: str
    refused: bool = False
    approved: tuple[str, ...] = ()
    token: str | None = None
    reasons: tuple[str, ...] = ()

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
    followers_visibility: str = "everyone"  # who may see the lists (engine/rules/lists.py)
    following_visibility: str = "everyone"


@dataclass(frozen=True, slots=True)
class Profile(_Dict):
    """An account with its counts (read from degree counts, not by walking edges). Read for a
    viewer, the counts are None across an active block (docs/rules.md, "Who may see my lists")."""

    account: Account
    followers: int | None
    following: int | None
    friends: int | None

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
    """How many accounts are in each segment of an account's audience. Top friends (derived from
    depth), engaged followers and passive followers partition the followers (docs/ranking.md);
    ``close_friends`` is the size of the owner-curated close-friends list (docs/rules.md)."""

    friends: int
    followers_only: int
    following_only: int
    requests_in: int
    requests_out: int
    blocked: int
    top_friends: int
    engaged_followers: int
    passive_followers: int
    close_friends: int


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
    depth: int = 0
    interactions_out: dict[str, int] = field(default_factory=dict)
    interactions_in: dict[str, int] = field(default_factory=dict)
    # when a's block of b, b's block of a and a's mute of b end (None: no end, or none active);
    # whether b mutes a is never told (docs/rules.md, "Mute").
    blocking_until: datetime | None = None
    blocked_by_until: datetime | None = None
    muting: bool = False
    muting_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Suggestion(_Dict):
    """An account to follow, with how many of your friends are its friends and a few of them."""

    id: str
    mutual_friends: int
    via: tuple[str, ...] = field(default=())
    depth: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "mutual_friends": self.mutual_friends, "via": list(self.via)}
        if self.depth is not None:
            out["depth"] = self.depth
        return out


@dataclass(frozen=True, slots=True)
class Post(_Dict):
    """A post, its visibility, its duet/stitch overrides (None: the author's policy) and its counts."""

    id: str
    author: str
    visibility: str
    created_at: datetime
    duet_policy: str | None = None
    stitch_policy: str | None = None
    likes: int = 0
    comments: int = 0
    duets: int = 0
    stitches: int = 0


@dataclass(frozen=True, slots=True)
class FeedItem(_Dict):
    """A post in a feed; ``score`` and ``depth`` are set on the for-you tab, with ``source``:
    ``following``, or a discovered post's ``friends_of_friends`` or ``popular`` (its depth is None)."""

    id: str
    author: str
    visibility: str
    created_at: datetime
    score: float | None = None
    depth: int | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "author": self.author,
            "visibility": self.visibility,
            "created_at": self.created_at.isoformat(),
        }
        if self.score is not None:
            out["score"] = round(self.score, 6)
            out["depth"] = self.depth
            out["source"] = self.source
        return out


@dataclass(frozen=True, slots=True)
class Audience:
    """Who can view a post. ``everyone`` (a public post of a public account): anyone except the
    accounts in ``accounts`` (blocked either way with the author). Otherwise ``accounts`` is the
    list of those who can (the author included), a page at a time."""

    post: str
    everyone: bool
    accounts: Page[str]

    def to_rows(self) -> list[dict[str, Any]]:
        """The JSON shape of `mutuals audience`: an array of objects with an ``id``."""
        if self.everyone:
            return [{"id": "*", "everyone": True, "except": list(self.accounts.items)}]
        return [{"id": account} for account in self.accounts.items]


@dataclass(frozen=True, slots=True)
class Event(_Dict):
    """One state change from the outbox: ``seq`` orders them all, with no gap."""

    seq: int
    type: str
    actor: str | None
    subject: str | None
    post: str | None
    detail: str | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class AccountSet(_Dict):
    """A set of accounts: the ``ids`` or, when ``everyone``, every account except the ``ids``."""

    everyone: bool
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccessChange(_Dict):
    """Who gains and who loses access to one post (``kind`` "post", ``item`` its id) or one list
    (``kind`` "list", ``item`` "OWNER/followers" or "OWNER/following"). The counts are whole
    (``everyone`` counts every account now); the ids (for an ``everyone`` set, its exceptions)
    are those of the page: an item whose ids run over a page is continued on the next."""

    kind: str
    item: str
    gained_count: int
    lost_count: int
    gained: AccountSet
    lost: AccountSet


@dataclass(frozen=True, slots=True)
class Preview(_Dict):
    """What a change would do to who may see what (preview_change): the verb's ``outcome`` as it
    would answer, the totals of access gained and lost (whole on every page), and the posts and
    lists that change, a page at a time (``next_cursor``: None on the last page)."""

    change: str
    outcome: str
    gained: int
    lost: int
    items: tuple[AccessChange, ...]
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class ViewerProfile(_Dict):
    """An account as shown to a viewer (profile_for). ``available`` false: the account does not
    exist or has blocked the viewer, and the two look the same (nothing else is filled in)."""

    id: str
    available: bool
    profile: Profile | None = None
    following: bool = False
    followed_by: bool = False
    friends: bool = False
    requested: bool = False
    blocking: bool = False
    can_message: bool = False
    mutual_friends: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "available": self.available}
        if not self.available:
            return out
        out.update({k: getattr(self, k) for k in RELATION_FIELDS})
        out["profile"] = None if self.profile is None else self.profile.to_dict()
        return out


RELATION_FIELDS = ("following", "followed_by", "friends", "requested", "blocking", "can_message", "mutual_friends")
