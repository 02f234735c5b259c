"""The embedded server: loopback only, password required and private, clean stop/start, recovery,
a clear error when the port is taken; and `mutuals db start | stop | status` around it."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Target, docker_answers, free_port
from neo4j import GraphDatabase
from typer.testing import CliRunner

from mutuals import AuthenticationFailed, Config, DatabaseUnavailable, Engine
from mutuals.cli.main import app
from mutuals.io import class_archive
from mutuals.io.embedded import LOCK_ACQUISITION_TIMEOUT, EmbeddedServer, launcher_jar

runner = CliRunner()


def _listen_addresses(port: int) -> list[str]:
    """Local addresses in LISTEN state on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.append(address)
    return found


def test_bolt_listens_on_loopback_only(neo4j_target: Target) -> None:
    if neo4j_target.server is None:
        pytest.skip("the tests run against an external server, not the embedded one")
    port = int(neo4j_target.uri.rsplit(":", 1)[1])
    addresses = _listen_addresses(port)
    loopback = {"0100007F", "0000000000000000FFFF00000100007F"}  # 127.0.0.1, as IPv4 or IPv4-mapped IPv6
    assert addresses
    assert set(addresses) <= loopback  # nothing on 0.0.0.0, :: or an external address


def test_a_lock_wait_has_an_end(neo4j_target: Target) -> None:
    """The server waits at most LOCK_ACQUISITION_TIMEOUT for a lock (`db.lock.acquisition.timeout`):
    a deadlock Neo4j's detection misses ends as a transient error that the driver retries, not as a
    stall that the driver abandons after 120 s with a dead connection (docs/decisions.md)."""
    if neo4j_target.server is None:
        pytest.skip("the tests run against an external server, not the embedded one")
    with GraphDatabase.driver(neo4j_target.uri, auth=(neo4j_target.username, neo4j_target.password)) as driver:
        records, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value", name="db.lock.acquisition.timeout"
        )
    assert [r["value"] for r in records] == [LOCK_ACQUISITION_TIMEOUT]


def test_password_file_is_owner_only(neo4j_target: Target) -> None:
    if neo4j_target.server is None:
        pytest.skip("the tests run against an external server, not the embedded one")
    mode = stat.S_IMODE(os.stat(neo4j_target.server.password_file).st_mode)
    assert mode == 0o600
    assert len(neo4j_target.server.password()) >= 24


def test_wrong_password_is_refused(neo4j_target: Target, tmp_path: Path) -> None:
    config = Config(
        uri=neo4j_target.uri,
        username="neo4j",
        password="not-the-password",
        auto_start=False,
        home=tmp_path,
        retry_seconds=0,
    )
    with pytest.raises(AuthenticationFailed):
        Engine(config)
    config = Config(
        uri=neo4j_target.uri, username="neo4j", password="", auto_start=False, home=tmp_path, retry_seconds=0
    )
    with pytest.raises(AuthenticationFailed):
        Engine(config)


@pytest.fixture(scope="module")
def lifecycle_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    home = tmp_path_factory.mktemp("lifecycle")
    values = {
        "MUTUALS_HOME": str(home),
        "MUTUALS_PORT": str(free_port()),
        "MUTUALS_HEAP": "512m",
        "MUTUALS_PAGE_CACHE": "64m",
    }
    yield values
    EmbeddedServer(home / "neo4j").stop()


def _cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run the CLI against the embedded server of ``env`` (any NEO4J_* variable is unset)."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("NEO4J_")}
    result = runner.invoke(app, list(args), env={**unset, **env})
    return result.exit_code, result.stdout, result.stderr


def test_db_stop_start_keeps_data_and_recovers_after_a_kill(lifecycle_env: dict[str, str], tmp_path: Path) -> None:
    env = lifecycle_env
    code, out, err = _cli(env, "db", "status")
    assert code == 1 and "not running" in out
    code, out, err = _cli(env, "db", "start", "--json")
    assert code == 0, err
    started = json.loads(out)
    assert started["running"] is True and started["uri"].startswith("bolt://127.0.0.1:")
    # the JVM maps the launcher's class-data archive (mutuals.io.class_archive), built with it
    archive = launcher_jar().parent / class_archive.ARCHIVE
    assert archive.is_file(), (launcher_jar().parent / class_archive.FAILED).read_text()
    assert str(archive) in Path(f"/proc/{started['pid']}/maps").read_text()
    for args in (["user", "add", "ann"], ["user", "add", "ben"], ["follow", "ann", "ben"], ["follow", "ben", "ann"]):
        assert _cli(env, *args)[0] == 0
    assert _cli(env, "db", "stop")[0] == 0
    code, out, _ = _cli(env, "db", "status", "--json")
    assert json.loads(out)["running"] is False
    # the password file is the source of truth: edited while the server is stopped, it is the
    # password after the next start (and the old one no longer logs in)
    password_file = Path(env["MUTUALS_HOME"]) / "neo4j" / "password"
    old_password = password_file.read_text().strip()
    password_file.write_text("edited-by-the-owner-0123456789\n")
    assert _cli(env, "db", "start")[0] == 0
    code, out, _ = _cli(env, "friends", "ann", "--json")
    assert code == 0 and json.loads(out) == ["ben"]
    uri = f"bolt://127.0.0.1:{env['MUTUALS_PORT']}"
    with pytest.raises(AuthenticationFailed):
        Engine(Config(uri=uri, password=old_password, auto_start=False, home=tmp_path, retry_seconds=0))

    # An unclean stop: the JVM is killed; the next start recovers the store.
    assert _cli(env, "follow", "ann", "ben")[0] == 0
    assert _cli(env, "user", "add", "cat")[0] == 0
    server = EmbeddedServer(Path(env["MUTUALS_HOME"]) / "neo4j")
    assert server.kill()
    code, out, _ = _cli(env, "db", "status")
    assert code == 1
    assert _cli(env, "db", "start")[0] == 0
    code, out, _ = _cli(env, "user", "show", "cat", "--json")
    assert code == 0 and json.loads(out)["id"] == "cat"
    assert json.loads(_cli(env, "friends", "ben", "--json")[1]) == ["ann"]


def test_commands_start_the_embedded_server_when_needed(lifecycle_env: dict[str, str]) -> None:
    env = lifecycle_env
    _cli(env, "db", "stop")
    code, out, err = _cli(env, "user", "add", "dan", "--json")
    assert code == 0, err
    created = json.loads(out)
    assert isinstance(created.pop("token"), str)
    assert created == {"outcome": "created"}
    assert json.loads(_cli(env, "db", "status", "--json")[1])["running"] is True


def test_port_in_use_is_a_clear_error(lifecycle_env: dict[str, str], tmp_path: Path) -> None:
    env = lifecycle_env
    assert _cli(env, "db", "start")[0] == 0
    other = EmbeddedServer(tmp_path / "other", port=int(env["MUTUALS_PORT"]), heap="256m", page_cache="32m")
    with pytest.raises(DatabaseUnavailable) as caught:
        other.start()
    assert "already in use" in str(caught.value)
    assert "MUTUALS_PORT" in str(caught.value)


def test_testcontainers_path() -> None:
    """The Docker path of the fixtures; this machine has no Docker engine, so it is skipped here."""
    if not docker_answers():
        pytest.skip("no Docker engine answers on this machine")
    from testcontainers.community.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5.26-community") as container:
        config = Config(uri=container.get_connection_url(), password=container.password, auto_start=False)
        with Engine(config) as engine:
            engine.user_add("ann")
            assert engine.user_show("ann").account.id == "ann"


def test_an_import_stopped_by_a_killed_database_is_completed_by_a_re_run(
    lifecycle_env: dict[str, str], tmp_path: Path
) -> None:
    env = lifecycle_env
    assert _cli(env, "db", "start")[0] == 0
    config = Config(home=Path(env["MUTUALS_HOME"]), port=int(env["MUTUALS_PORT"]), auto_start=False, retry_seconds=1)
    ids = [f"k{i:02d}" for i in range(10)]
    pairs = [f"{a},{b}" for a in ids for b in ids if a != b][:60]
    users = tmp_path / "users.csv"
    users.write_text("id\n" + "\n".join(ids) + "\n")
    source = tmp_path / "follows.csv"
    source.write_text("follower,followee\n" + "\n".join(pairs) + "\n")
    server = EmbeddedServer(Path(env["MUTUALS_HOME"]) / "neo4j")

    def kill_after_the_first_batch(step: object) -> None:
        server.kill()

    with Engine(config) as engine:
        engine.import_("users", users)
        with pytest.raises(DatabaseUnavailable):
            engine.import_("follows", source, batch_size=20, progress=kill_after_the_first_batch)
    assert _cli(env, "db", "start")[0] == 0
    with Engine(config) as engine:
        assert engine.doctor().ok  # the batches the kill cut short left nothing behind
        # the follows among this test's accounts (the module's database holds earlier tests' too),
        # counted by walking the edges: not the count store, which a kill may leave behind
        walk = (
            "MATCH (a:Account)-[r:FOLLOWS]->(b:Account) WHERE a.id IN $ids AND b.id IN $ids"
            " RETURN count(r) AS n, count(DISTINCT [a, b]) AS pairs"
        )
        first = engine.query(walk, {"ids": ids}).rows[0]["n"]
        assert engine.query(walk, {"ids": ids}).rows[0]["pairs"] == first
        assert 20 <= first < 60  # the first round: one batch, or two on disjoint accounts
        done = engine.import_("follows", source, batch_size=20)
        assert (done.written, done.unchanged, done.rejected) == (60 - first, first, 0)
        assert engine.query(walk, {"ids": ids}).rows[0] == {"n": 60, "pairs": 60}
        assert engine.doctor().ok


def test_java_options_reach_the_jvm_and_nothing_else_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mutuals import InvalidInput
    from mutuals.io.connection import embedded_server

    monkeypatch.delenv("MUTUALS_JAVA_OPTS", raising=False)
    config = Config.from_env({"MUTUALS_HOME": str(tmp_path), "MUTUALS_JAVA_OPTS": "-XX:TieredStopAtLevel=1 -Dx='a b'"})
    cmd = embedded_server(config).command(tmp_path / "launcher.jar")
    assert cmd[cmd.index("-jar") - 2 : cmd.index("-jar")] == ["-XX:TieredStopAtLevel=1", "-Dx=a b"]
    monkeypatch.setenv("MUTUALS_JAVA_OPTS", "-Xss2m")  # servers made without a Config read it too
    assert EmbeddedServer(tmp_path).java_opts == ["-Xss2m"]
    assert EmbeddedServer(tmp_path, java_opts="").java_opts == []
    for bad in ("evil.jar", "-jar x.jar", "-cp /tmp", "'unclosed"):
        with pytest.raises(InvalidInput) as refused:
            EmbeddedServer(tmp_path, java_opts=bad)
        assert refused.value.field == "MUTUALS_JAVA_OPTS"


def test_a_failed_archive_training_says_why_and_starts_go_on_without(tmp_path: Path) -> None:
    jar = tmp_path / "launcher.jar"
    jar.write_bytes(b"not a jar")
    assert class_archive.train(jar) is False
    assert class_archive.settled(jar) and class_archive.options(jar) == []
    assert "did not start" in (tmp_path / class_archive.FAILED).read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["launcher.jar", class_archive.FAILED]
