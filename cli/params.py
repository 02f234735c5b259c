"""Parsing ``-p KEY=VALUE`` options (for `query` and `report run`)."""

from __future__ import annotations

import json
from typing import Any

from mutuals.base.errors import InvalidInput


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``["n=3", "name=alice", 'ids=["a","b"]']`` -> ``{"n": 3, "name": "alice", "ids": ["a", "b"]}``.

    A value that parses as JSON is taken as JSON (numbers, true/false/null, lists, objects,
    quoted strings); anything else is text.
    """
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("--param", f"expected KEY=VALUE, got {pair[:40]!r}")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        except RecursionError:  # '[[[[...' thousands deep: the engine refuses nesting past 8 anyway
            raise InvalidInput(f"--param {key.strip()[:40]}", "is nested too deeply") from None
        params[key.strip()] = value
    return params


def parse_text_params(pairs: list[str]) -> dict[str, str]:
    """``["user=007", "days=30"]`` -> ``{"user": "007", "days": "30"}``: values stay text, and the
    report reads each by the type its declaration gives (so an id ``007`` stays ``"007"``)."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("--param", f"expected KEY=VALUE, got {pair[:40]!r}")
        params[key.strip()] = raw
    return params
