"""The benchmark's raw path replays exactly what the engine sent: every operation it measures,
recorded from the engine and run again on the bare driver, must run (all parameters bound,
including the clock the engine adds) and return what the engine's own run read."""

from __future__ import annotations

import re

from helpers import follows, people

from bench.latency import Sample, operations, raw_call, record
from mutuals import Engine

PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def test_every_measured_operation_replays_on_the_raw_driver(engine: Engine) -> None:
    people(engine, "a", "b", "c", "d")
    follows(engine, "a<>b", "c>a", "d>a", "b<>c")
    for i, (author, vis) in enumerate((("a", "public"), ("a", "followers"), ("b", "friends"), ("c", "public"))):
        engine.post_add(f"p{i}", author, vis)
    sample = Sample(
        ordinary=["b", "c", "d"],
        hubs=["a"],
        posts_by={"a": ["p0", "p1"], "b": ["p2"], "c": ["p3"]},
        any_posts=["p0", "p1", "p2", "p3"],
        degrees={"a": 3, "b": 2, "c": 1, "d": 0},
    )
    driver = engine._conn.driver
    measured = operations(sample)
    assert {"can_view", "can_message", "feed_following", "audience"} <= set(measured)
    for name, variants in measured.items():
        for variant, calls in variants.items():
            statements = record(engine, calls[0])
            assert statements, f"{name}/{variant} recorded no statement"
            for text, params in statements:
                missing = set(PARAM.findall(text)) - set(params)
                assert not missing, f"{name}/{variant} leaves {missing} unbound"
            rows = raw_call(driver, statements)()
            assert len(rows) == len(statements)


def test_the_raw_writes_make_the_same_graph_change_as_the_engine(engine: Engine) -> None:
    """bench/writes.py compares each verb with the raw driver making the same change: on two
    mirror pairs, the engine's verb and the raw statement leave the same relationships, with the
    same property keys (the engine's events and locks aside)."""
    from bench.writes import OPERATIONS, engine_call, raw_call

    people(engine, "a", "b", "c", "d")
    follows(engine, "a<>b", "c<>d")
    engine.post_add("pa", "b", "public")
    engine.post_add("pc", "d", "public")
    driver = engine._conn.driver

    def shape(x: str, y: str, post: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
        rows = engine.query(
            "MATCH (s)-[r]->(t) WHERE s.id IN $ids OR t.id IN $ids "
            "RETURN s.id AS s, type(r) AS type, t.id AS t, keys(r) AS keys",
            {"ids": [x, y, post]},
        ).rows
        rename = {x: "X", y: "Y", post: "P"}
        return sorted(
            (rename.get(r["s"], "new"), r["type"], rename.get(r["t"], "new"), tuple(sorted(r["keys"])))
            for r in rows
            if r["type"] != "EMITTED"
        )

    arguments = {"post_add": ("a", "wa"), "like": ("a", "pa")}
    mirrored = {"post_add": ("c", "wc"), "like": ("c", "pc")}
    for op in OPERATIONS:
        a, b = arguments.get(op, ("a", "b"))
        c, d = mirrored.get(op, ("c", "d"))
        engine_call(engine, op)(a, b)
        raw_call(driver, op)(c, d)
        assert shape("a", "b", "pa") == shape("c", "d", "pc"), op
