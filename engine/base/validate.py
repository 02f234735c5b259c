"""Validation at the engine's edge: every value is checked here before it reaches Cypher."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from mutuals.base.errors import InvalidInput

ID_RULE: Final = "1-64 ASCII letters, digits, '_', '.' or '-'"
ID_PATTERN: Final = r"[A-Za-z0-9_.\-]{1,64}"  # also the pattern `doctor` checks stored ids against
_ID = re.compile(ID_PATTERN)
# the CLI's logged-out viewer (`mutuals can view - POST`): never an account or post id
LOGGED_OUT: Final = "-"

DM_POLICIES: Final = ("everyone", "friends", "nobody")
COMMENT_POLICIES: Final = ("everyone", "friends", "nobody")
MEDIA_POLICIES: Final = ("everyone", "friends", "only_me")
VISIBILITIES: Final = ("public", "followers", "friends", "only_me", "close_friends")

DEFAULT_POLICIES: Final = {
    "dm_policy": "friends",
    "comment_policy": "everyone",
    "duet_policy": "everyone",
    "stitch_policy": "everyone",
}
POLICY_CHOICES: Final = {
    "dm_policy": DM_POLICIES,
    "comment_policy": COMMENT_POLICIES,
    "duet_policy": MEDIA_POLICIES,
    "stitch_policy": MEDIA_POLICIES,
}

MAX_PAGE: Final = 1000


def shown(value: Any, limit: int = 40) -> str:
    """A short, printable rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ident(field: str, value: Any) -> str:
    """An account or post id."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"must be a string of {ID_RULE}, got {type(value).__name__}")
    if not _ID.fullmatch(value):
        raise InvalidInput(field, f"must be {ID_RULE}, got {shown(value)}")
    if value == LOGGED_OUT:
        raise InvalidInput(field, f"{LOGGED_OUT!r} is reserved (the command line's logged-out viewer), not an id")
    return value


def is_ident(value: str) -> bool:
    """Whether ``value`` follows the id rule (and is not the reserved ``-``)."""
    return _ID.fullmatch(value) is not None and value != LOGGED_OUT


def idents(field: str, values: Any, *, max_items: int = 1000) -> list[str]:
    """A list of ids (duplicates kept out, order kept)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInput(field, "must be a list of ids")
    out: list[str] = []
    seen: set[str] = set()
    for i, v in enumerate(values):
        if len(out) >= max_items:
            raise InvalidInput(field, f"at most {max_items} ids at once")
        one = ident(f"{field}[{i}]", v)
        if one not in seen:
            seen.add(one)
            out.append(one)
    return out


def choice(field: str, value: Any, allowed: tuple[str, ...]) -> str:
    """One of a fixed set of words."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput(field, f"must be one of {', '.join(allowed)}, got {shown(value)}")
    return value


def flag(field: str, value: Any) -> bool:
    """A real boolean (no truthy strings)."""
    if not isinstance(value, bool):
        raise InvalidInput(field, f"must be true or false, got {shown(value)}")
    return value


def limit(field: str, value: Any, *, maximum: int = MAX_PAGE) -> int:
    """A page size."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, f"must be a whole number, got {shown(value)}")
    if not 1 <= value <= maximum:
        raise InvalidInput(field, f"must be between 1 and {maximum}, got {value}")
    return value


def distinct(field_a: str, a: str, field_b: str, b: str) -> None:
    """Two accounts of a pair must differ."""
    if a == b:
        raise InvalidInput(field_b, f"must differ from {field_a} (an account cannot do this to itself)")


_ISO_TEXT = re.compile(r"[0-9WT:.,+\-Zz ]{4,40}")


def timestamp(field: str, value: Any) -> datetime:
    """An ISO-8601 timestamp or datetime; naive values are taken as UTC. Returns an aware UTC datetime
    between 1970 and 9999 (a time zone that pushes a moment past either end is refused, not an overflow)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and _ISO_TEXT.fullmatch(value.strip()):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(field, f"must be an ISO-8601 timestamp, got {shown(value)}") from None
    else:
        raise InvalidInput(field, f"must be an ISO-8601 timestamp, got {shown(value)}")
    try:
        if moment.tzinfo is None or moment.utcoffset() is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError, TypeError):  # year 9999 at -05:00 is year 10000 in UTC
        raise InvalidInput(field, f"must be between 1970 and 9999 (UTC), got {shown(value)}") from None
    if not 1970 <= moment.year <= 9999:
        raise InvalidInput(field, f"must be between 1970 and 9999, got {moment.year}")
    return moment


_DURATION = re.compile(r"([1-9][0-9]{0,4})([smhdw])")
_UNITS: Final = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def until(field: str, value: Any, now: datetime) -> datetime | None:
    """When a block or a mute ends: None (never, until lifted), an ISO-8601 timestamp or
    datetime, a timedelta, or a duration from ``now`` such as ``90s``, ``30m``, ``12h``, ``7d``,
    ``2w``. Returns an aware UTC datetime strictly after ``now``."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        moment = now + value
    elif isinstance(value, str) and (match := _DURATION.fullmatch(value.strip().lower())):
        moment = now + timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    elif isinstance(value, (str, datetime)):
        try:
            moment = timestamp(field, value)
        except InvalidInput:
            raise InvalidInput(
                field, f"must be an ISO-8601 timestamp or a duration such as 7d, 12h, 30m, got {shown(value)}"
            ) from None
    else:
        raise InvalidInput(field, f"must be an ISO-8601 timestamp or a duration such as 7d, got {shown(value)}")
    if moment <= now:
        raise InvalidInput(field, f"must be in the future, got {moment.isoformat()}")
    return moment


def policies(given: dict[str, Any]) -> dict[str, str]:
    """The policy fields that were given (None means 'not given'), each checked."""
    out: dict[str, str] = {}
    for name, allowed in POLICY_CHOICES.items():
        value = given.get(name)
        if value is not None:
            out[name] = choice(name, value, allowed)
    return out


_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_STATEMENT: Final = 100_000


def unicode_text(field: str, value: str) -> str:
    """Text that can travel to Neo4j: valid Unicode (no lone surrogates, which cannot be encoded
    as UTF-8 and arrive from undecodable bytes on a command line)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InvalidInput(field, f"must be valid Unicode text (undecodable character at position {e.start})") from None
    return value


def statement_text(field: str, value: Any) -> str:
    """A user's Cypher statement: non-empty text without NUL bytes."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "must be a non-empty Cypher statement")
    if "\x00" in value:
        raise InvalidInput(field, "must not contain NUL bytes")
    if len(value) > MAX_STATEMENT:
        raise InvalidInput(field, f"must be at most {MAX_STATEMENT} characters")
    return unicode_text(field, value)


def _param_value(field: str, value: Any, depth: int = 0) -> Any:
    if depth > 8:
        raise InvalidInput(field, "is nested too deeply")
    if isinstance(value, str):
        return unicode_text(field, value)
    if value is None or isinstance(value, (bool, int, float)):
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise InvalidInput(field, "is out of the 64-bit integer range")
        return value
    if isinstance(value, (list, tuple)):
        return [_param_value(f"{field}[{i}]", item, depth + 1) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {_param_key(field, k): _param_value(f"{field}.{k}", item, depth + 1) for k, item in value.items()}
    if isinstance(value, datetime):
        return value
    raise InvalidInput(field, f"cannot be sent to Neo4j ({type(value).__name__})")


def _param_key(field: str, key: Any) -> str:
    if not isinstance(key, str) or not _PARAM_NAME.fullmatch(key):
        raise InvalidInput(field, f"parameter names are letters, digits and '_', got {shown(key)}")
    return key


def parameters(field: str, values: Any) -> dict[str, Any]:
    """Query parameters: names are identifiers, values are JSON-like."""
    if not isinstance(values, dict):
        raise InvalidInput(field, "must be a mapping of parameter names to values")
    return {_param_key(field, k): _param_value(f"{field}.{k}", val) for k, val in values.items()}


MAX_PATH: Final = 4096
# rows per transaction of an import (mutuals.bulk), here so `mutuals import --help` needs no driver
IMPORT_BATCH: Final = 10_000
MAX_IMPORT_BATCH: Final = 100_000


def path(field: str, value: Any) -> Path:
    """A file-system path: text (or a PathLike) without NUL bytes or lone surrogates, not empty."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise InvalidInput(field, f"must be a path, got {type(value).__name__}")
    if not value or len(value) > MAX_PATH:
        raise InvalidInput(field, f"must be a path of 1 to {MAX_PATH} characters")
    if "\x00" in value:
        raise InvalidInput(field, "must not contain NUL bytes")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(field, "must be valid text (it has a lone surrogate)") from None
    return Path(value)


# `db reset`: deletions per transaction (the default, the largest a caller may ask, the smallest a
# batch is halved to); here, not in ops/reset.py, so that the CLI's options need no driver import
RESET_BATCH: Final = 10_000
MAX_RESET_BATCH: Final = 100_000
MIN_RESET_BATCH: Final = 100
