"""A soak: about a minute of mixed reads and writes from 8 threads through one engine, with no
error, every invariant intact, and no growth in open connections (counted on both sides: this
process's sockets to the Bolt port, and the server's own list of connections). The longer run
is ``python -m bench.soak``."""

from __future__ import annotations

import os

import pytest
from figures import record

from bench.workload import Workload, client_sockets, open_transactions, server_connections
from mutuals import Config, Engine

SECONDS = float(os.environ.get("MUTUALS_SOAK_SECONDS", "60"))
THREADS = 8


@pytest.mark.slow
@pytest.mark.reliability
def test_a_minute_of_mixed_load_leaks_nothing(engine: Engine, config: Config) -> None:
    admin = engine  # the session's engine: measures, and is not used by the load
    port = int(admin.uri.rsplit(":", 1)[1])
    sockets_before = client_sockets(port)
    server_before = server_connections(admin)

    with Engine(config, apply_schema=False) as soak:
        work = Workload(soak)
        work.setup()
        warm = client_sockets(port) - sockets_before
        result = work.run(SECONDS, threads=THREADS)
        doctor = soak.doctor()
    sockets_after = client_sockets(port)
    server_after = server_connections(admin)
    still_open = open_transactions(admin)

    figures = result.to_dict()
    mine = [s[1] - sockets_before for s in result.samples]  # the soak engine's connections
    middle = len(mine) // 2
    record(
        "soak",
        "make reliability  # or: pytest tests/test_soak.py; longer: python -m bench.soak --minutes 10",
        **{k: v for k, v in figures.items() if k != "first_errors"},
        engine_sockets_after_setup=warm,
        engine_sockets_max=max(mine),
        engine_sockets_max_first_half=max(mine[:middle] or [0]),
        engine_sockets_max_second_half=max(mine[middle:] or [0]),
        engine_sockets_last=mine[-1],
        client_sockets_leaked=sockets_after - sockets_before,
        server_connections_leaked=server_after - server_before,
        open_transactions_after=still_open,
        violations=doctor.violations,
    )
    assert result.errors == []
    assert result.operations > 0 and result.reads > 0 and result.writes > 0
    assert doctor.ok, doctor.to_dict()
    assert len(result.samples) >= 3
    # the pool holds at most one connection per thread, plus the sampler's: at every sample of the
    # run (thousands of operations), so a connection leaked per operation, or per minute, shows
    assert all(0 <= n <= THREADS + 2 for n in mine), result.samples
    # closing the engine gives every connection back, on both sides; nothing is left open
    assert sockets_after == sockets_before
    assert server_after == server_before
    assert still_open == 0
