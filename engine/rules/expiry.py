"""When a block or a mute applies: the one definition of "active", and its Cypher fragments.

A block (``BLOCKS``) or a mute (``MUTES``) may carry ``until``, the moment it ends. It applies
while ``until`` is null or later than now, and stops applying at that very moment, for every
check, feed and list: no clean-up job is needed for correctness (``prune`` may delete expired
ones later). ``now`` is always the parameter ``$now``, which the engine binds to its clock for
every statement that names it (a for-you walk binds the reference time of its first page).
Follows and requests never carry ``until``, so they are always active.

The fragments, inlined by :mod:`mutuals.rules.fragments`:

* ``{{active(rel=r)}}``: the relationship ``r`` applies now;
* ``{{blocks(a=x, b=y)}}``: x blocks y, actively;
* ``{{blocked_either(a=x, b=y)}}``: an active block either way between x and y;
* ``{{mutes(a=x, b=y)}}``: x mutes y, actively.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

_VAR: Final = re.compile(r"[a-z_][A-Za-z0-9_]*")


def is_active(until: datetime | None, now: datetime) -> bool:
    """The Python statement of the rule: a block or mute with this ``until`` applies at ``now``."""
    return until is None or until > now


def _var(fragment: str, name: str, value: str) -> str:
    if not _VAR.fullmatch(value):
        raise ValueError(f"{fragment} input {name}={value!r} is not a variable name")
    return value


def active(*, rel: str) -> str:
    """``rel`` (a BLOCKS or MUTES relationship, or one that never expires) applies at ``$now``."""
    r = _var("active", "rel", rel)
    # ``until IS NULL OR until > $now``, written so that the planner cannot split it into a
    # union of two index seeks (which would lose the seek's order and sort the list).
    return f"coalesce({r}.until > $now, true)"


def _exists(kind: str, a: str, b: str, arrow: str) -> str:
    rel = "timed__"
    return f"EXISTS {{ ({a})-[{rel}:{kind}]-{arrow}({b}) WHERE {active(rel=rel)} }}"


def blocks(*, a: str, b: str) -> str:
    """a blocks b, actively."""
    return _exists("BLOCKS", _var("blocks", "a", a), _var("blocks", "b", b), ">")


def blocked_either(*, a: str, b: str) -> str:
    """An active block either way between a and b."""
    return _exists("BLOCKS", _var("blocked_either", "a", a), _var("blocked_either", "b", b), "")


def mutes(*, a: str, b: str) -> str:
    """a mutes b, actively."""
    return _exists("MUTES", _var("mutes", "a", a), _var("mutes", "b", b), ">")
