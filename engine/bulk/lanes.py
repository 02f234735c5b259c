"""Batches of an import that can be written at the same time: they share no account.

Two transactions that lock no common account never wait for each other (Neo4j's "mix and
batch" advice; Rodriguez et al., arXiv 2005.04093). Each account falls in one of four classes
(a stable hash of its id); a row touches the classes of its accounts (a follow: two, an account
or a post row: one). A *split* divides the four classes into two halves; rows whose classes all
lie in one half can be written alongside rows of the other half. The three splits
{01|23, 02|13, 03|12} put every pair of classes in one half at least once, so every row can
be written concurrently in some round. :class:`Lanes` holds the rows waiting, by their class set,
and hands out rounds of two batches (one per half) of the split that pairs the most rows;
within a batch rows keep their file order, and rows of one class set stay in file order. A row
whose accounts are not all known before its batch reads the database (an interaction's post
author) touches every class: it goes in a batch of its own round.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Iterable
from typing import Final, Generic, TypeVar

R = TypeVar("R")

CLASSES: Final = 4
SPLITS: Final = (
    (frozenset({0, 1}), frozenset({2, 3})),
    (frozenset({0, 2}), frozenset({1, 3})),
    (frozenset({0, 3}), frozenset({1, 2})),
)


def account_class(uid: str) -> int:
    """The class of an account (stable across runs and processes)."""
    return zlib.crc32(uid.encode("utf-8")) % CLASSES


def classes(ids: Iterable[str]) -> frozenset[int]:
    """The classes a row touches."""
    return frozenset(account_class(uid) for uid in ids)


class Lanes(Generic[R]):
    """Rows waiting to be written, by the classes they touch (each with its place in the file)."""

    def __init__(self) -> None:
        self.buckets: dict[frozenset[int], deque[tuple[int, R]]] = {}
        self.size = 0
        self._added = 0

    def add(self, row: R, touched: frozenset[int]) -> None:
        self.buckets.setdefault(touched, deque()).append((self._added, row))
        self._added += 1
        self.size += 1

    def _available(self, half: frozenset[int]) -> int:
        return sum(len(rows) for touched, rows in self.buckets.items() if touched <= half)

    def _take(self, half: frozenset[int], limit: int) -> list[R]:
        taken: list[tuple[int, R]] = []
        for touched, rows in self.buckets.items():
            if touched <= half:
                while rows and len(taken) < limit:
                    taken.append(rows.popleft())
        self.size -= len(taken)
        return [row for _, row in sorted(taken, key=lambda item: item[0])]

    def round(self, batch_size: int) -> list[list[R]]:
        """The next round: up to two batches of at most ``batch_size`` rows that share no class
        (one when only one half has rows, or when all that waits fits in one batch: then in file
        order, as without lanes); [] when nothing waits."""
        if not self.size:
            return []
        if self.size <= batch_size:
            return [self._take(frozenset(range(CLASSES)), batch_size)]

        def score(split: tuple[frozenset[int], frozenset[int]]) -> tuple[int, int]:
            a, b = (min(self._available(half), batch_size) for half in split)
            return min(a, b), a + b

        split = max(SPLITS, key=score)
        batches = [batch for half in split if (batch := self._take(half, batch_size))]
        for touched in [t for t, rows in self.buckets.items() if not rows]:
            del self.buckets[touched]
        if not batches:  # rows that touch every class (their accounts are not known): one at a time
            batches = [self._take(frozenset(range(CLASSES)), batch_size)]
        return batches
