"""Consistency tokens: the Neo4j bookmarks of a write, as one opaque string.

Every write returns a token; a read given ``after=token`` (on any engine, sync or async, in any
process) waits until the server it reads from has applied that write, which also holds for a
cluster's secondaries. Carry it across requests in a cookie or a header (docs/services.md).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import neo4j

from mutuals.base.errors import InvalidInput

_PREFIX = "ct1."
_MAX = 4096


def encode(bookmarks: neo4j.Bookmarks) -> str | None:
    """The token of these bookmarks (None when there are none)."""
    values = sorted(bookmarks.raw_values)
    if not values:
        return None
    return _PREFIX + base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def merged(*tokens: str | None) -> str | None:
    """One token for several writes (concurrent batches): a read given it waits for all of them."""
    values: set[str] = set()
    for token in tokens:
        bookmarks = decode(token)
        if bookmarks is not None:
            values.update(bookmarks.raw_values)
    return encode(neo4j.Bookmarks.from_raw_values(sorted(values))) if values else None


def decode(token: Any) -> neo4j.Bookmarks | None:
    """The bookmarks inside a token; None for no token; InvalidInput for anything else."""
    if token is None or token == "":
        return None
    if not isinstance(token, str) or not token.startswith(_PREFIX) or len(token) > _MAX:
        raise InvalidInput("after", "is not a consistency token returned by a write")
    body = token[len(_PREFIX) :]
    try:
        values = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        raise InvalidInput("after", "is not a consistency token returned by a write") from None
    if not isinstance(values, list) or not values or not all(isinstance(x, str) and x for x in values):
        raise InvalidInput("after", "is not a consistency token returned by a write")
    return neo4j.Bookmarks.from_raw_values(values)


def checked(token: Any) -> str | None:
    """``token`` if it is a consistency token (or None); InvalidInput naming ``after`` otherwise.
    The engine checks it at its edge, before any I/O."""
    decode(token)
    return token if token else None
