"""Follow admission has one definition: `follow`, the online import and the offline import give
the same outcome and the same rejection text for the same rows (an import loads existing state,
so its follows are already approved: a follow of a private account is a follow there)."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from conftest import free_port
from helpers import follows, people, wipe
from test_bulk import rejects

from mutuals import Config, Engine, NotFound, import_offline
from mutuals.io.connection import embedded_server
from mutuals.rules.admission import FOLLOW, REQUEST, UNCHANGED, Pair, admit

# (follower, followee, the pair's state before the row)
ROWS: list[tuple[str, str, Pair]] = [
    ("a1", "b1", Pair("a1", "b1")),  # a fresh pair
    ("a2", "b2", Pair("a2", "b2", b_follows_a=True)),  # reciprocal: became_friends
    ("a3", "b3", Pair("a3", "b3", a_follows_b=True)),  # already following
    ("a4", "pv4", Pair("a4", "pv4", b_private=True, a_requested_b=True)),  # a pending request
    ("a5", "b5", Pair("a5", "b5", b_blocks_a=True)),  # blocked by the target
    ("a6", "b6", Pair("a6", "b6", a_blocks_b=True)),  # blocking the target
    ("a7", "zed", Pair("a7", "zed", b_found=False)),  # an unknown account
    ("a8", "pv8", Pair("a8", "pv8", b_private=True)),  # a private target
]
ACCOUNTS = ("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "b1", "b2", "b3", "b5", "b6", "pv4", "pv8")


def world(engine: Engine) -> None:
    """The state before the rows, as ROWS describes it."""
    wipe(engine)
    people(engine, *ACCOUNTS, private=("pv4", "pv8"))
    follows(engine, "b2>a2", "a3>b3", "a4>pv4")  # a4's is a request: pv4 is private
    engine.block("b5", "a5")
    engine.block("a6", "b6")


def kind(outcome: str, detail: str) -> tuple[str, str]:
    """The class of an outcome, as every path can tell it: a follow, a request, nothing, or refused (with why)."""
    if outcome in FOLLOW:
        return ("follow", "")
    if outcome in REQUEST:
        return ("request", "")
    if outcome in UNCHANGED:
        return ("unchanged", "")
    return ("refused", detail)


def expected(approved: bool) -> dict[tuple[str, str], tuple[str, str]]:
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for a, b, state in ROWS:
        decision = admit(state, approved=approved)
        out[(a, b)] = kind(decision.outcome, decision.detail)
    return out


def write_rows(path: Path, *, before: Sequence[tuple[str, str]] = ()) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["follower", "followee", "since"])
        for a, b in [*before, *((a, b) for a, b, _ in ROWS)]:
            w.writerow([a, b, ""])
    return path


def by_row(
    engine: Engine, refused: dict[tuple[str, str], str], before: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str]]:
    """The class of each row after an import: refused (its detail), unchanged (the follow was
    there), or a follow (it is there now)."""
    now = {(r["a"], r["b"]) for r in engine.query("MATCH (a)-[:FOLLOWS]->(b) RETURN a.id AS a, b.id AS b").rows}
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for a, b, _ in ROWS:
        if (a, b) in refused:
            out[(a, b)] = ("refused", refused[(a, b)])
        elif (a, b) in before:
            out[(a, b)] = ("unchanged", "")
        else:
            out[(a, b)] = ("follow", "") if (a, b) in now else ("nothing", "")
    return out


def _refused(path: str | None) -> dict[tuple[str, str], str]:
    return {(r["follower"], r["followee"]): r["_detail"] for r in rejects(path)}


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[Config]:
    config = Config(home=tmp_path / "home", port=free_port(), heap="512m", page_cache="64m", auto_start=False)
    yield config
    embedded_server(config).stop()


def test_follow_and_both_imports_admit_the_same_rows_alike(
    session_engine: Engine, offline: Config, tmp_path: Path
) -> None:
    engine = session_engine
    # engine.follow, row by row
    world(engine)
    single: dict[tuple[str, str], tuple[str, str]] = {}
    for a, b, _ in ROWS:
        try:
            outcome = engine.follow(a, b)
        except NotFound as e:
            single[(a, b)] = ("refused", str(e))
        else:
            single[(a, b)] = kind(outcome.outcome, outcome.reasons[0] if outcome.reasons else "")
            assert outcome.refused == (outcome.outcome == "blocked")

    # the online import of the same rows
    world(engine)
    before = {(r["a"], r["b"]) for r in engine.query("MATCH (a)-[:FOLLOWS]->(b) RETURN a.id AS a, b.id AS b").rows}
    summary = engine.import_("follows", write_rows(tmp_path / "rows.csv"), rejects=tmp_path / "online.rejects.csv")
    online = by_row(engine, _refused(summary.rejects_file), before)
    assert summary.written == sum(c == ("follow", "") for c in online.values())
    assert summary.unchanged == sum(c == ("unchanged", "") for c in online.values())

    # the offline import: the same state (exported) and the same rows after it
    world(engine)
    data = tmp_path / "data"
    engine.export(data)
    wipe(engine)
    exported = [(r[0], r[1]) for r in list(csv.reader((data / "follows.csv").open()))[1:]]
    write_rows(data / "follows.csv", before=exported)
    (data / "requests.csv").unlink()  # offline, requests load after follows: the pending one is moot
    loaded = import_offline(offline, data)
    embedded_server(offline).start()
    with Engine(offline) as built:
        off = by_row(built, _refused(loaded.rejects_files.get("follows")), before)
    assert loaded.written["follows"] == len(exported) + sum(c == ("follow", "") for c in off.values())

    assert single == expected(approved=False)
    assert online == expected(approved=True)
    assert off == online
    # the rows where approval does not matter give the same outcome on all three paths
    same = [(a, b) for a, b, s in ROWS if not s.b_private]
    assert all(single[k] == online[k] for k in same)
    assert single[("a5", "b5")] == ("refused", "b5 has blocked a5")
    assert online[("a6", "b6")] == ("refused", "a6 has blocked b6")
    assert off[("a7", "zed")] == ("refused", "account not found: zed")
