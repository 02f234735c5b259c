"""The engine through a ``neo4j://`` routing URI (docs/scaling.md): the driver asks the server for
its routing table and sends reads to readers and writes to writers. Against the embedded server
the table names that one server in every role, which is exactly what a cluster member answers for
itself; the test shows the engine works unchanged on a routing URI and that its consistency
tokens are honoured there (a read given a write's token sees the write)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import neo4j
import pytest

from mutuals import Config, Engine


@pytest.fixture
def routed(config: Config, engine: Engine) -> Iterator[Engine]:
    assert config.uri is not None and config.uri.startswith("bolt://")
    routing = replace(config, uri="neo4j://" + config.uri.removeprefix("bolt://"))
    with Engine(routing) as e:
        yield e


def test_the_routing_table_names_readers_and_writers(config: Config) -> None:
    uri = "neo4j://" + (config.uri or "").removeprefix("bolt://")
    with neo4j.GraphDatabase.driver(uri, auth=(config.username, config.password or "")) as driver:
        records, _, _ = driver.execute_query("CALL dbms.routing.getRoutingTable({}, $db)", db=config.database)
    roles = {row["role"]: row["addresses"] for row in records[0]["servers"]}
    assert {"READ", "WRITE", "ROUTE"} <= set(roles)
    assert roles["WRITE"] and roles["READ"]


def test_reads_and_writes_through_a_routing_uri_honour_tokens(routed: Engine, engine: Engine) -> None:
    assert routed.uri.startswith("neo4j://")
    for account in ("ann", "ben"):
        routed.user_add(account)
    first = routed.follow("ann", "ben")
    assert first.outcome == "followed" and first.token
    second = routed.follow("ben", "ann")
    assert second.outcome == "became_friends"
    # a read routed to a reader, given the last write's token, sees both writes
    assert routed.friends("ann", after=second.token).items == ("ben",)
    assert routed.relationship("ann", "ben", after=second.token).friends
    # another engine, on a direct URI, reads the routed writes with the same token
    assert engine.friends("ben", after=second.token).items == ("ann",)
    # and the routed engine reads the direct engine's write
    third = engine.block("ann", "ben")
    assert routed.relationship("ann", "ben", after=third.token).blocking
