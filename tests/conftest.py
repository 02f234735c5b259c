"""Test fixtures: a real Neo4j for the whole session, a clean database for every test.

Where Neo4j comes from, in order: ``NEO4J_URI`` if set; else Testcontainers when a Docker
engine answers; else the embedded server on a free port with a throwaway data directory.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
import typer.testing
from facade import LoopThread, SyncFacade
from helpers import wipe
from hypothesis import settings

from mutuals import Config, Engine
from mutuals.io.embedded import EmbeddedServer

# CliRunner.invoke turns the Typer app into its Click command at every call: ~0.2 s of
# introspecting ~60 command signatures here, more than most commands take to run. The command
# is built once per app instead, as the `mutuals` program builds it once per process.
typer.testing._get_command = functools.cache(typer.main.get_command)


def pytest_configure(config: pytest.Config) -> None:
    """No test may touch the developer's own embedded server and data (``~/.local/share/mutuals``,
    port 7687): a test that forgets to point the engine or the CLI elsewhere gets a throwaway
    home of the run instead, and a port no one uses."""
    if "MUTUALS_HOME" not in os.environ:
        import tempfile

        os.environ["MUTUALS_HOME"] = tempfile.mkdtemp(prefix="mutuals-tests-home-")
        os.environ.setdefault("MUTUALS_PORT", str(free_port()))
        config.stash[_THROWAWAY_HOME] = os.environ["MUTUALS_HOME"]


_THROWAWAY_HOME = pytest.StashKey[str]()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop a server a test left running in the run's throwaway home, and delete the home."""
    home = config.stash.get(_THROWAWAY_HOME, None)
    if home is not None:
        if EmbeddedServer(Path(home) / "neo4j").stop():
            print(f"\nnote: a test left the embedded server of MUTUALS_HOME={home} running; stopped it")
        shutil.rmtree(home, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@dataclass(frozen=True)
class Target:
    """The Neo4j the tests use."""

    uri: str
    username: str
    password: str
    kind: str
    server: EmbeddedServer | None = None


def _testcontainers() -> Iterator[Target]:
    from testcontainers.community.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5.26-community") as container:
        yield Target(container.get_connection_url(), "neo4j", container.password, "testcontainers")


@pytest.fixture(scope="session")
def neo4j_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    if os.environ.get("NEO4J_URI"):
        yield Target(
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USERNAME", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            "environment",
        )
        return
    if docker_answers():
        yield from _testcontainers()
        return
    home = tmp_path_factory.mktemp("neo4j-home")
    server = EmbeddedServer(
        home,
        port=free_port(),
        heap=os.environ.get("MUTUALS_TEST_HEAP", "1g"),
        page_cache="256m",
        # a read given a consistency token the server has not reached fails fast (tests/test_services.py)
        # and, as every test empties the database and builds its own, a plan is not made again because
        # the statistics swung (some statements take 1-2.5 s to plan): the run lasts less than an hour
        conf={"db.transaction.bookmark_ready_timeout": "2s", "dbms.cypher.min_replan_interval": "1h"},
        # it serves the whole run: the JIT's optimising tier pays off (MUTUALS_JAVA_OPTS, which
        # `make test` sets to the first tier only for the short-lived servers, is not for it)
        java_opts="",
    )
    status = server.start()
    assert status.uri is not None
    try:
        yield Target(status.uri, "neo4j", server.password(), "embedded", server)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def config(neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory) -> Config:
    return Config(
        uri=neo4j_target.uri,
        username=neo4j_target.username,
        password=neo4j_target.password,
        auto_start=False,
        home=tmp_path_factory.mktemp("mutuals-home"),
    )


@pytest.fixture(scope="session")
def session_engine(config: Config) -> Iterator[Engine]:
    with Engine(config) as engine:
        yield engine


@pytest.fixture(scope="session")
def session_async_engine(config: Config) -> Iterator[SyncFacade]:
    """An AsyncEngine behind the Engine interface (tests/facade.py)."""
    loop = LoopThread()
    facade = SyncFacade(config, loop)
    try:
        yield facade
    finally:
        facade.close()
        loop.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules that set ``ENGINE_FLAVORS = ("sync", "async")`` run their tests on both engines."""
    flavors = getattr(metafunc.module, "ENGINE_FLAVORS", ("sync",))
    for name in ("engine", "rule_engine"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, flavors, indirect=True)


# The async engine's verbs are generated from Engine's and build the same plans (the same Cypher,
# the same rules): its property-based tests confirm that its I/O gives the same answers over a
# third of the random examples the sync engine is held to (as tests/test_fuzz.py's ASYNC_CASES).
ASYNC_EXAMPLE_SHARE = 3


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> object:
    test = getattr(item, "obj", None)
    params = getattr(getattr(item, "callspec", None), "params", {})
    inner = getattr(test, "_hypothesis_internal_use_settings", None)
    if inner is None or "async" not in (params.get("engine"), params.get("rule_engine")):
        return (yield)
    test._hypothesis_internal_use_settings = settings(
        inner, max_examples=max(1, inner.max_examples // ASYNC_EXAMPLE_SHARE)
    )
    try:
        return (yield)
    finally:
        test._hypothesis_internal_use_settings = inner


def _flavor(request: pytest.FixtureRequest) -> Engine:
    if getattr(request, "param", "sync") == "async":
        return request.getfixturevalue("session_async_engine")  # type: ignore[no-any-return]
    return request.getfixturevalue("session_engine")  # type: ignore[no-any-return]


@pytest.fixture
def engine(request: pytest.FixtureRequest, session_engine: Engine) -> Engine:
    """The engine (Engine, or AsyncEngine behind the same interface), on an empty database."""
    wipe(session_engine)
    return _flavor(request)


@pytest.fixture
def rule_engine(request: pytest.FixtureRequest) -> Engine:
    """Like ``engine`` without the wipe (property-based tests wipe per example)."""
    return _flavor(request)


@pytest.fixture
def env(config: Config, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment variables pointing the CLI at the test database."""
    values = {
        "NEO4J_URI": config.uri or "",
        "NEO4J_USERNAME": config.username,
        "NEO4J_PASSWORD": config.password or "",
        "MUTUALS_HOME": str(config.home),
        "MUTUALS_AUTO_START": "0",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values
