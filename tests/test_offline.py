"""`mutuals import --offline DIR`: Neo4j's batch importer builds a fresh embedded database that
holds exactly the graph the online import builds from the same files, refusing the same rows."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import free_port
from helpers import follows, people, wipe
from test_bulk import graph, reasons
from typer.testing import CliRunner

from mutuals import Config, Engine, InvalidInput, import_offline
from mutuals.bulk import ORDER
from mutuals.cli.main import app
from mutuals.io.connection import embedded_server


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[Config]:
    config = Config(home=tmp_path / "home", port=free_port(), heap="512m", page_cache="64m", auto_start=False)
    yield config
    embedded_server(config).stop()


def source(engine: Engine, directory: Path) -> Path:
    """A directory of files to load: a small world exported, plus rows every rule refuses."""
    now = datetime.now(UTC).replace(microsecond=0)
    people(engine, "ann", "ben", "cat", "dan", "pia", private=("pia",))
    engine.user_set("ben", dm_policy="friends", comment_policy="friends")
    follows(engine, "ann<>ben", "ann<>cat", "dan>ann", "ben>cat", "cat>pia")
    engine.approve("pia", "cat")
    engine.follow("dan", "pia")  # a pending request
    engine.block("cat", "dan")
    engine.post_add("p1", "ann", "friends", created_at=now - timedelta(days=3), duet_policy="friends")
    engine.post_add("p2", "pia", "followers", created_at=now - timedelta(days=1))
    engine.interact("like", "ben", "p1", at=now)
    engine.interact("comment", "cat", "p2", at=now - timedelta(hours=1))
    engine.interact("message", "ann", "ben", at=now - timedelta(hours=3))
    engine.export(directory)
    bad = {
        "users": ["bad id,,,,,,", "eve,maybe,,,,,"],
        "posts": ["p9,zed,public,,,", "p8,ann,secret,,,", "p1,ben,public,,,"],
        "follows": ["ann,ann,", "ann,zed,", "ann,ben,"],
        "requests": ["dan,ann,", "ann,ben,", "ben,pia,2026-13-01T00:00:00Z"],
        "blocks": ["cat,cat,", "zed,ann,"],
        "interactions": ["like,dan,p1,", "message,dan,ben,", "like,ann,p404,", "wave,ann,ben,"],
    }
    for kind, lines in bad.items():
        with (directory / f"{kind}.csv").open("a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
    return directory


def test_offline_import_builds_the_graph_the_online_import_builds(
    engine: Engine, offline: Config, tmp_path: Path
) -> None:
    data = source(engine, tmp_path / "data")
    wipe(engine)
    online = {
        kind: engine.import_(kind, data / f"{kind}.csv", rejects=tmp_path / f"online-{kind}.csv") for kind in ORDER
    }
    expected = graph(engine)

    summary = import_offline(offline, data)

    for kind in ORDER:
        assert summary.read[kind] == online[kind].read, kind
        assert summary.written[kind] == online[kind].written, kind
        assert summary.rejected[kind] == online[kind].rejected > 0, kind
        assert reasons(summary.rejects_files[kind]) == reasons(online[kind].rejects_file), kind
    assert summary.nodes == 7 and summary.relationships == len(expected["edges"]) + 2 + 3  # + POSTED, INTERACTED
    embedded_server(offline).start()
    with Engine(offline) as built:
        assert graph(built) == expected
        assert built.doctor().ok
        assert built.friends("ann").items == ("ben", "cat")
        assert built.can_view("cat", "p1").allowed and not built.can_view("dan", "p1").allowed
        # the schema was built by the first engine: the uniqueness constraint holds
        assert built.user_add("ann").outcome == "already_exists"


def store_digest(home: Path) -> str:
    """A hash of every file of the stopped server's store (names, sizes and contents)."""
    digest = hashlib.sha256()
    for path in sorted((home / "data").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(home)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_offline_import_refuses_a_running_server_and_keeps_a_graph_without_overwrite(
    offline: Config, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "users.csv").write_text("id\nann\nben\n")
    (data / "follows.csv").write_text("follower,followee\nann,ben\n")
    assert import_offline(offline, data).written == {"users": 2, "follows": 1}
    server = embedded_server(offline)
    server.start()
    with pytest.raises(InvalidInput, match="running: stop it first"):
        import_offline(offline, data, overwrite=True)
    with Engine(offline) as built:
        built.follow("ben", "ann")
    server.stop()
    before = store_digest(server.home)
    with pytest.raises(InvalidInput, match="--overwrite") as refused:
        import_offline(offline, data)
    assert refused.value.field == "overwrite"
    assert store_digest(server.home) == before  # nothing was lost: the store's files are as they were
    (data / "follows.csv").write_text("follower,followee\nben,ann\n")
    import_offline(offline, data, overwrite=True)
    server.start()
    with Engine(offline) as built:
        assert built.followers("ann").items == ("ben",) and built.friends("ann").items == ()


def test_offline_import_input_errors(offline: Config, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a directory"):
        import_offline(offline, tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput, match=r"holds none of users\.csv"):
        import_offline(offline, tmp_path / "empty")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "follows.csv").write_text("follower,followee,colour\n")
    with pytest.raises(InvalidInput, match="colour"):
        import_offline(offline, tmp_path / "odd")
    with pytest.raises(InvalidInput) as remote:
        import_offline(Config(uri="bolt://127.0.0.1:1", password="x"), tmp_path / "odd")
    assert remote.value.field == "offline"
    with pytest.raises(InvalidInput) as threads:
        import_offline(offline, tmp_path / "odd", threads=-1)
    assert threads.value.field == "threads"
    assert not embedded_server(offline).home.joinpath("data").exists()  # nothing was built


def test_cli_import_offline(offline: Config, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "users.csv").write_text("id,private\nann,\nben,true\n")
    (data / "follows.csv").write_text("follower,followee\nann,ben\nben,ann\nann,ann\n")
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("NEO4J_")}
    env = {
        **unset,
        "MUTUALS_HOME": str(offline.home),
        "MUTUALS_PORT": str(offline.port),
        "MUTUALS_HEAP": "512m",
        "MUTUALS_PAGE_CACHE": "64m",
    }
    runner = CliRunner()
    result = runner.invoke(app, ["import", "--offline", str(data), "--json"], env=env)
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["written"] == {"users": 2, "follows": 2} and summary["rejected"]["follows"] == 1
    assert reasons(summary["rejects_files"]["follows"]) == [(4, "self_follow")]
    result = runner.invoke(app, ["import", "follows", "--offline", str(data)], env=env)
    assert result.exit_code != 0 and "no KIND or FILE" in result.stderr and "Traceback" not in result.stderr
    result = runner.invoke(app, ["import", "--offline", str(data)], env=env)
    assert result.exit_code != 0 and "--overwrite" in result.stderr
    result = runner.invoke(app, ["import"], env=env)
    assert result.exit_code != 0 and "kind" in result.stderr
    embedded_server(offline).start()
    with Engine(offline) as built:
        assert built.friends("ann").items == ("ben",)
        assert built.user_show("ben").account.private is True
