"""The rounds of an import's batches (mutuals.bulk.lanes), without a database: every row once,
the two batches of a round never share an account, and the order that matters is kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mutuals.bulk.lanes import CLASSES, SPLITS, Lanes, account_class, classes

ids = st.sampled_from([f"u{i}" for i in range(40)])
pairs = st.lists(st.tuples(ids, ids).filter(lambda p: p[0] != p[1]), max_size=300)


def test_every_pair_of_classes_shares_a_half_in_some_split() -> None:
    for a in range(CLASSES):
        for b in range(CLASSES):
            assert any({a, b} <= half for split in SPLITS for half in split)
    for left, right in SPLITS:
        assert not left & right and left | right == set(range(CLASSES))


@settings(max_examples=200, deadline=None)
@given(rows=pairs, batch=st.integers(min_value=1, max_value=60))
def test_rounds_write_every_row_once_on_disjoint_accounts_in_order(rows: list[tuple[str, str]], batch: int) -> None:
    lanes: Lanes[tuple[int, str, str]] = Lanes()
    for n, (a, b) in enumerate(rows):
        lanes.add((n, a, b), classes((a, b)))
    written: list[tuple[int, str, str]] = []
    while batches := lanes.round(batch):
        assert 1 <= len(batches) <= 2 and all(1 <= len(x) <= batch for x in batches)
        if len(batches) == 2:
            first, second = ({uid for _, a, b in x for uid in (a, b)} for x in batches)
            assert not first & second, "two batches of a round lock a common account"
        for x in batches:
            assert [n for n, _, _ in x] == sorted(n for n, _, _ in x), "a batch keeps file order"
        written.extend(row for x in batches for row in x)
    assert sorted(written) == [(n, a, b) for n, (a, b) in enumerate(rows)]
    assert lanes.size == 0
    # the rows of one pair (a follow and its reverse) are written in file order
    place = {row: i for i, row in enumerate(written)}
    for x in written:
        for y in written:
            if x[0] < y[0] and {x[1], x[2]} == {y[1], y[2]}:
                assert place[x] < place[y]


@given(rows=pairs)
def test_what_fits_in_one_batch_is_one_batch_in_file_order(rows: list[tuple[str, str]]) -> None:
    lanes: Lanes[tuple[int, str, str]] = Lanes()
    for n, (a, b) in enumerate(rows):
        lanes.add((n, a, b), classes((a, b)))
    if rows:
        assert lanes.round(len(rows)) == [[(n, a, b) for n, (a, b) in enumerate(rows)]]


def test_a_row_of_unknown_accounts_goes_alone_and_classes_are_stable() -> None:
    lanes: Lanes[int] = Lanes()
    for n in range(5):
        lanes.add(n, frozenset(range(CLASSES)))
    assert lanes.round(2) == [[0, 1]]
    assert lanes.round(2) == [[2, 3]]
    assert lanes.round(2) == [[4]]
    assert account_class("ann") == account_class("ann") and 0 <= account_class("ann") < CLASSES
