"""``-p KEY=VALUE`` options, parsed one way for `query` and `report run`.

:func:`pairs` is the one parser (the same split, the same errors, the last value of a key
wins); the two commands differ only in who reads the values: `query` reads each as JSON when it
parses (a statement declares no types), a report by the types its declaration gives (so
``-p user=007`` stays the id ``"007"``).
"""

from __future__ import annotations

import json
from typing import Any

from mutuals.base.errors import InvalidInput


def pairs(values: list[str]) -> dict[str, str]:
    """``["user=007", "days=30"]`` -> ``{"user": "007", "days": "30"}``: each value as typed."""
    params: dict[str, str] = {}
    for pair in values:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("--param", f"expected KEY=VALUE, got {pair[:40]!r}")
        params[key.strip()] = raw
    return params


def parse_params(values: list[str]) -> dict[str, Any]:
    """``["n=3", "name=alice", 'ids=["a","b"]']`` -> ``{"n": 3, "name": "alice", "ids": ["a", "b"]}``
    (for `query`): a value that parses as JSON is taken as JSON (numbers, true/false/null, lists,
    objects, quoted strings); anything else is text."""
    return {key: _json_or_text(key, raw) for key, raw in pairs(values).items()}


def parse_text_params(values: list[str]) -> dict[str, str]:
    """The pairs for `report run`: values stay text, read by the report's declared types."""
    return pairs(values)


def _json_or_text(key: str, raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw
    except RecursionError:  # '[[[[...' thousands deep: the engine refuses nesting past 8 anyway
        raise InvalidInput(f"--param {key[:40]}", "is nested too deeply") from None
