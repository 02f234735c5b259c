"""The offline preparation's whole-column helpers (numpy over account numbers): the follows
so far as sorted runs of pair codes, the state the rules read as the rows are taken, and the
fast lane's selections and merges of rows.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from mutuals.base import validate as v

_IDS: Final = re.compile(f"(?:{v.ID_PATTERN}\n)*")  # ids, each ended by a newline


Ints = npt.NDArray[np.int64]


Bools = npt.NDArray[np.bool_]


def _member(reference: Ints, queries: Ints, ordered: bool = False) -> Bools:
    """Whether each query is in the sorted ``reference``: queries in sorted order when both are
    large (a binary search then walks the reference in one direction: far fewer cache misses);
    ``ordered``: they are sorted already."""
    found: Bools = np.zeros(len(queries), np.bool_)
    if not len(reference) or not len(queries):
        return found
    if not ordered and len(reference) > 1 << 16 and len(queries) > 1 << 10:
        order = np.argsort(queries)
        found[order] = _member(reference, queries[order], ordered=True)
        return found
    at = np.minimum(np.searchsorted(reference, queries), len(reference) - 1)
    return reference[at] == queries  # type: ignore[no-any-return]


class Follows:
    """The follows written so far, as pair codes (``a << 32 | b`` of the account numbers): sorted
    runs, which the fast lane adds (a run merged with the one before it once it is as long, so
    there are few runs and an addition seldom copies much), and a set, which single rows add."""

    def __init__(self) -> None:
        self.runs: list[Ints] = []
        self.single: set[int] = set()

    def __contains__(self, code: int) -> bool:
        if code in self.single:
            return True
        for run in self.runs:
            at = int(np.searchsorted(run, code))
            if at < len(run) and int(run[at]) == code:
                return True
        return False

    def add(self, code: int) -> None:
        self.single.add(code)

    def contains(self, codes: Ints) -> Bools:
        """Whether each code is a follow."""
        if self.single:
            self.extend(np.fromiter(self.single, np.int64, len(self.single)))
            self.single = set()
        found: Bools = np.zeros(len(codes), np.bool_)
        if self.runs and len(codes):
            order = np.argsort(codes)  # searched in order: each search walks a run one way
            ordered = codes[order]
            for run in self.runs:
                found[order] |= _member(run, ordered, ordered=True)
        return found

    def extend(self, codes: Ints) -> None:
        """Add codes not held yet (distinct)."""
        self.runs.append(np.sort(codes))
        while len(self.runs) > 1 and len(self.runs[-2]) <= len(self.runs[-1]):
            last = self.runs.pop()
            self.runs[-1] = np.insert(self.runs[-1], np.searchsorted(self.runs[-1], last), last)


class _State:
    """What the rules need, as the rows are taken in import order (accounts as small ints)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.follows = Follows()
        self.requests: set[int] = set()
        self.blocked: set[int] = set()  # both directions of every block
        self.directed: set[int] = set()  # blocker -> blocked

    def code(self, a: str, b: str) -> int:
        return self.index[a] << 32 | self.index[b]


def _where(values: list[Any], mark: object) -> list[int]:
    """The positions of ``mark`` in ``values``."""
    return np.flatnonzero(np.fromiter(map(operator.is_, values, repeat(mark)), np.bool_, len(values))).tolist()


def _idents(ids: list[str]) -> bool:
    """Whether every value is an id (:func:`mutuals.base.validate.is_ident`)."""
    return _IDS.fullmatch("\n".join(ids) + "\n") is not None and v.LOGGED_OUT not in ids


def _parses(ids: list[str], oks: list[Bools]) -> Bools:
    """Rows whose id is valid and whose other values parse (``oks``: by column)."""
    n = len(ids)
    ok: Bools = np.ones(n, np.bool_) if _idents(ids) else np.fromiter(map(v.is_ident, ids), np.bool_, n)
    for column in oks:
        ok &= column
    return ok


def _first(keys: list[str], among: Bools) -> Bools:
    """Rows ``among`` whose key is not in an earlier row ``among``."""
    rows = np.flatnonzero(among).tolist()
    chosen = [keys[i] for i in rows]
    first = dict(zip(reversed(chosen), reversed(rows), strict=True))
    out: Bools = np.zeros(len(keys), np.bool_)
    out[list(first.values())] = True
    return out


def _merge(
    changes: _Out,
    rows: list[int],
    types: list[str],
    actors: list[str],
    subjects: list[str] | None,
    posts: list[str] | None,
    details: list[str],
    general: _Out,
) -> None:
    """Add to ``changes`` the changes of the fast lane's rows and those of the general lane's
    (``general.places``: the row of each change), in the order of the rows."""
    n = len(rows)
    columns = [types, actors, subjects or [""] * n, posts or [""] * n, details]
    others = [general.types, general.actors, general.subjects or [""] * len(general.types),
              general.posts or [""] * len(general.types), general.details]  # fmt: skip
    if general.types:
        order = np.argsort(np.array(rows + general.places, np.int64), kind="stable").tolist()
        columns = [[(mine + theirs)[k] for k in order] for mine, theirs in zip(columns, others, strict=True)]
    for target, column in zip(
        (changes.types, changes.actors, changes.subjects, changes.posts, changes.details), columns, strict=True
    ):
        target.extend(column)


def _taken(values: Sequence[str], rows: Ints, n: int) -> Sequence[str]:
    """``values`` at ``rows`` (all of them when ``rows`` is every row)."""
    if len(rows) == n:
        return values
    return [values[i] for i in rows.tolist()]


@dataclass
class _Out:
    """What one chunk of rows gives: the importer's rows, counts, and the changes, in order."""

    rows: list[str] = field(default_factory=list)
    post_rows: list[str] = field(default_factory=list)
    read: int = 0
    written: int = 0
    messages: int = 0
    types: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    places: list[int] = field(default_factory=list)  # the row of each change (the general lane's, in a fast chunk)
