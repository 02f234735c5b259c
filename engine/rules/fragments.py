"""The rule fragments a Cypher statement may name, inlined when the statement is loaded.

A statement writes ``{{NAME(input=variable, ...)}}`` where it needs a rule as a Cypher boolean;
:func:`inline` replaces the marker by the text the rule's module builds from its one definition
(``can_view``: the table of :mod:`.visibility`; ``admits_imported_follow`` and
``follow_admission``: the truth table of :func:`.admission.admit`). The text is built from our
own code and the statement's variable names (checked to be plain names), never from a value:
values still travel as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from mutuals.rules import admission, expiry, lists, visibility

FRAGMENTS: Final[dict[str, Callable[..., str]]] = {
    "can_view": visibility.fragment,
    "admits_imported_follow": admission.fragment,
    "follow_admission": admission.follow_fragment,
    "active": expiry.active,
    "blocks": expiry.blocks,
    "blocked_either": expiry.blocked_either,
    "mutes": expiry.mutes,
    "can_see_list": lists.fragment,
    "reveals_follow": lists.reveals_follow_fragment,
    "lists_reachable": lists.profile_fragment,
}
_MARKER: Final = re.compile(r"\{\{\s*([a-z_]+)\s*\(([^)]*)\)\s*\}\}")
_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def inline(text: str, *, clock: str = "$now") -> str:
    """``text`` with each ``{{name(input=value, ...)}}`` marker replaced by its fragment;
    ValueError for an unknown fragment or a malformed marker. ``clock``: what "now" is in the
    fragments (``$now``, which the engine binds; a report, which any client may run with only its
    declared parameters, takes the statement's own ``datetime()``)."""

    def replace(match: re.Match[str]) -> str:
        name, args = match.group(1), match.group(2)
        if name not in FRAGMENTS:
            raise ValueError(f"unknown rule fragment {name!r} (known: {', '.join(FRAGMENTS)})")
        inputs: dict[str, str] = {}
        for part in args.split(","):
            key, sep, value = part.partition("=")
            if not sep or not _NAME.fullmatch(key.strip()):
                raise ValueError(f"rule fragment {match.group(0)!r}: expected name=value pairs")
            inputs[key.strip()] = value.strip()
        return FRAGMENTS[name](**inputs).replace("$now", clock)

    return _MARKER.sub(replace, text)
