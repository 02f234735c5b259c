"""Opaque keyset cursors.

A cursor names the list it belongs to (scope), the last key of the page, and when it was
issued; it is signed, so a cursor that was edited, belongs to another list, or is older than
the time-to-live is refused with :class:`InvalidInput` naming the ``cursor`` field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from mutuals.base.errors import InvalidInput

VERSION = 1
DEFAULT_TTL = 24 * 3600
_MAX_LEN = 2048


class Cursors:
    """Makes and reads cursors with one signing key."""

    def __init__(self, secret: str | None = None, ttl_seconds: int = DEFAULT_TTL) -> None:
        """``secret`` signs the cursors (engines sharing it read each other's); None: a random key."""
        material = secrets.token_bytes(32) if secret is None else secret.encode("utf-8", "surrogatepass")
        self._key = hashlib.sha256(material).digest()
        self._ttl = ttl_seconds

    def _sign(self, payload: bytes) -> str:
        return hmac.new(self._key, payload, hashlib.sha256).hexdigest()[:20]

    def make(self, scope: str, key: Any) -> str:
        """A cursor for the page after ``key`` in the list ``scope``."""
        payload = json.dumps([VERSION, scope, key, int(time.time())], separators=(",", ":")).encode("utf-8")
        return base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=") + "." + self._sign(payload)

    def read(self, scope: str, cursor: Any) -> Any:
        """The key stored in ``cursor`` if it is genuine, current and belongs to ``scope``; None for no cursor."""
        if cursor is None or cursor == "":
            return None
        if not isinstance(cursor, str) or len(cursor) > _MAX_LEN or cursor.count(".") != 1:
            raise InvalidInput("cursor", "is not a cursor this engine issued")
        body, signature = cursor.split(".")
        try:
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (ValueError, TypeError):
            raise InvalidInput("cursor", "is not a cursor this engine issued") from None
        if not hmac.compare_digest(self._sign(payload).encode("ascii"), signature.encode("utf-8", "surrogatepass")):
            raise InvalidInput("cursor", "is not a cursor this engine issued (it was altered or forged)")
        try:
            version, cursor_scope, key, issued = json.loads(payload)
        except (ValueError, TypeError):
            raise InvalidInput("cursor", "is not a cursor this engine issued") from None
        if version != VERSION:
            raise InvalidInput("cursor", "comes from another version of mutuals; start from the first page")
        if cursor_scope != scope:
            raise InvalidInput("cursor", "belongs to another list; start from the first page")
        if key is None:  # never issued: None means "no cursor"
            raise InvalidInput("cursor", "is not a cursor this engine issued")
        if not isinstance(issued, int) or time.time() - issued > self._ttl:
            raise InvalidInput("cursor", "has expired; start from the first page")
        return key
