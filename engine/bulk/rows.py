"""What each kind of import row holds, and its validation in Python (before anything reaches Cypher).

A row that breaks a rule raises :class:`RowError` with a stable reason code (``bad_id``,
``self_follow``, ``bad_visibility``...) and a sentence saying what is wrong; the importer writes
it to the rejects file. Rules that need the graph (unknown account, blocked pair...) are decided
by the batch plans in :mod:`mutuals.bulk.load`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.ops.interactions import KINDS as INTERACTION_KINDS


class RowError(Exception):
    """A row that cannot be imported: ``reason`` is a stable code, ``detail`` a sentence."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


@dataclass(frozen=True, slots=True)
class UserRow:
    line: int
    id: str
    private: bool | None
    policies: dict[str, str]
    created_at: datetime | None

    @property
    def key(self) -> tuple[str, ...]:
        return (self.id,)


@dataclass(frozen=True, slots=True)
class PairRow:
    """A follow, block or request: ``a`` does it to ``b``; ``at`` is when (None: now)."""

    line: int
    a: str
    b: str
    at: datetime | None

    @property
    def key(self) -> tuple[str, ...]:
        return (self.a, self.b)


@dataclass(frozen=True, slots=True)
class PostRow:
    line: int
    id: str
    author: str
    visibility: str
    created_at: datetime | None
    duet_policy: str | None
    stitch_policy: str | None

    @property
    def key(self) -> tuple[str, ...]:
        return (self.id,)


@dataclass(frozen=True, slots=True)
class InteractionRow:
    line: int
    kind: str
    actor: str
    target: str
    at: datetime | None

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.actor, self.target, None if self.kind == "like" else self.at)


Row = UserRow | PairRow | PostRow | InteractionRow


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of import: its columns (``required`` first), how a row is read, and whether a
    repeated key must start a new batch (rows that carry data to set) or is simply unchanged."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    parse: Callable[[int, dict[str, Any]], Row]
    repeat_splits_batch: bool = False


def _text(fields: dict[str, Any], name: str) -> Any:
    value = fields.get(name)
    return None if value is None or value == "" else value


def _need(fields: dict[str, Any], name: str) -> Any:
    value = _text(fields, name)
    if value is None:
        raise RowError("missing_field", f"{name} is missing")
    return value


def _id(fields: dict[str, Any], name: str) -> str:
    try:
        return v.ident(name, _need(fields, name))
    except InvalidInput as e:
        raise RowError("bad_id", str(e)) from None


def _time(fields: dict[str, Any], name: str) -> datetime | None:
    value = _text(fields, name)
    if value is None:
        return None
    try:
        return v.timestamp(name, value)
    except InvalidInput as e:
        raise RowError("bad_timestamp", str(e)) from None


_TRUE: Final = {"true", "1", "yes"}
_FALSE: Final = {"false", "0", "no"}


def _bool(fields: dict[str, Any], name: str) -> bool | None:
    value = _text(fields, name)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise RowError("bad_value", f"{name}: must be true or false, got {v.shown(value)}")


def _policy(fields: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str | None:
    value = _text(fields, name)
    if value is None:
        return None
    try:
        return v.choice(name, value, allowed)
    except InvalidInput as e:
        raise RowError("bad_policy", str(e)) from None


def _distinct(a: str, b: str, reason: str, what: str) -> None:
    if a == b:
        raise RowError(reason, f"{a} cannot {what} themselves")


def user(line: int, fields: dict[str, Any]) -> UserRow:
    uid = _id(fields, "id")
    policies = {
        name: value
        for name, allowed in v.POLICY_CHOICES.items()
        if (value := _policy(fields, name, allowed)) is not None
    }
    return UserRow(line, uid, _bool(fields, "private"), policies, _time(fields, "created_at"))


def _pair(a_name: str, b_name: str, at_name: str, reason: str, what: str) -> Callable[[int, dict[str, Any]], PairRow]:
    def parse(line: int, fields: dict[str, Any]) -> PairRow:
        a, b = _id(fields, a_name), _id(fields, b_name)
        _distinct(a, b, reason, what)
        return PairRow(line, a, b, _time(fields, at_name))

    return parse


def post(line: int, fields: dict[str, Any]) -> PostRow:
    pid, author = _id(fields, "id"), _id(fields, "author")
    visibility = _need(fields, "visibility")
    if visibility not in v.VISIBILITIES:
        raise RowError(
            "bad_visibility", f"visibility: must be one of {', '.join(v.VISIBILITIES)}, got {v.shown(visibility)}"
        )
    return PostRow(
        line,
        pid,
        author,
        visibility,
        _time(fields, "created_at"),
        _policy(fields, "duet_policy", v.MEDIA_POLICIES),
        _policy(fields, "stitch_policy", v.MEDIA_POLICIES),
    )


def interaction(line: int, fields: dict[str, Any]) -> InteractionRow:
    kind = _need(fields, "kind")
    if kind not in INTERACTION_KINDS:
        raise RowError("bad_kind", f"kind: must be one of {', '.join(INTERACTION_KINDS)}, got {v.shown(kind)}")
    actor, target = _id(fields, "actor"), _id(fields, "target")
    at = _time(fields, "at")
    if kind == "message":
        _distinct(actor, target, "self_message", "message")
    if at is None and kind != "like":
        raise RowError("missing_field", f"at is missing: it identifies a {kind}, so a re-run can recognise it")
    return InteractionRow(line, kind, actor, target, at)


KINDS: Final = {
    "users": Kind(
        "users",
        ("id", "private", "dm_policy", "comment_policy", "duet_policy", "stitch_policy", "created_at"),
        ("id",),
        user,
        repeat_splits_batch=True,
    ),
    "follows": Kind(
        "follows",
        ("follower", "followee", "since"),
        ("follower", "followee"),
        _pair("follower", "followee", "since", "self_follow", "follow"),
    ),
    "blocks": Kind(
        "blocks",
        ("blocker", "blocked", "at"),
        ("blocker", "blocked"),
        _pair("blocker", "blocked", "at", "self_block", "block"),
    ),
    "requests": Kind(
        "requests",
        ("requester", "target", "at"),
        ("requester", "target"),
        _pair("requester", "target", "at", "self_request", "request to follow"),
    ),
    "posts": Kind(
        "posts",
        ("id", "author", "visibility", "created_at", "duet_policy", "stitch_policy"),
        ("id", "author", "visibility"),
        post,
        repeat_splits_batch=True,
    ),
    "interactions": Kind("interactions", ("kind", "actor", "target", "at"), ("kind", "actor", "target"), interaction),
}
ORDER: Final = ("users", "posts", "follows", "requests", "blocks", "interactions")


def kind(name: Any) -> Kind:
    """The import kind named ``name``."""
    if not isinstance(name, str) or name not in KINDS:
        raise InvalidInput("kind", f"must be one of {', '.join(KINDS)}, got {v.shown(name)}")
    return KINDS[name]


def check_header(spec: Kind, columns: list[str]) -> None:
    """A CSV header must name the required columns and no unknown one (``_``-prefixed columns,
    as in a rejects file, are ignored)."""
    unknown = [c for c in columns if c not in spec.columns and not c.startswith("_")]
    if unknown:
        raise InvalidInput(
            "file", f"unknown column {unknown[0]!r} for {spec.name} (columns: {', '.join(spec.columns)})"
        )
    missing = [c for c in spec.required if c not in columns]
    if missing:
        raise InvalidInput("file", f"the header lacks the column {missing[0]!r} (columns: {', '.join(spec.columns)})")
    if len(set(columns)) != len(columns):
        raise InvalidInput("file", "the header names a column twice")


def parse(spec: Kind, line: int, fields: dict[str, Any]) -> Row:
    """Read one row of ``spec``; RowError when it breaks a rule."""
    for name in fields:
        if not isinstance(name, str) or (name not in spec.columns and not name.startswith("_")):
            raise RowError("unknown_field", f"unknown field {v.shown(name)} (fields: {', '.join(spec.columns)})")
    return spec.parse(line, fields)
