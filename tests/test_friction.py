"""What a newcomer tripped over: the logged-out viewer `-` in every check of a post, post add of
another author's id, `audience --all`, what a write `query` changed, the Maven message of
`db start`, and the offline import as the restore of an export (state, the online rejects'
columns, header-only files)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import free_port
from helpers import follows, people, wipe
from test_bulk import graph, reasons
from test_cli import run
from typer.testing import CliRunner

from mutuals import Config, Conflict, Engine, InvalidInput, import_offline
from mutuals.bulk import ORDER
from mutuals.bulk.offline_prepare import Preparer
from mutuals.cli.main import app
from mutuals.io import embedded
from mutuals.io.connection import embedded_server

ENGINE_FLAVORS = ("sync", "async")  # the engine's own changes; the CLI's tests use the sync engine


@pytest.fixture
def sync_engine(session_engine: Engine) -> Engine:
    wipe(session_engine)
    return session_engine


# -- '-', the logged-out viewer -------------------------------------------------------------------


def test_dash_is_the_logged_out_viewer_of_every_post_check(sync_engine: Engine, env: dict[str, str]) -> None:
    engine = sync_engine
    people(engine, "ann")
    engine.post_add("p1", "ann", "public")
    for check in ("view", "comment", "duet", "stitch"):
        code, out, err = run("can", check, "-", "p1", "--json")
        assert code == 0, (check, err)
        decision = json.loads(out)
        expected = getattr(engine, f"can_{check}")(None, "p1")
        assert decision == {
            "allowed": expected.allowed,
            "reasons": list(expected.reasons),
            "rule": expected.rule,
            "public_reason": expected.public_reason,
        }
    assert json.loads(run("can", "view", "-", "p1", "--json")[1])["allowed"] is True
    assert json.loads(run("can", "comment", "-", "p1", "--json")[1])["allowed"] is False
    code, _, err = run("can", "message", "-", "ann")  # a message needs a sender
    assert code == 2 and err.startswith("error: sender: '-' is reserved")


def test_dash_is_refused_as_an_id(engine: Engine) -> None:
    with pytest.raises(InvalidInput) as refused:
        engine.user_add("-")
    assert refused.value.field == "id" and "reserved" in str(refused.value)
    people(engine, "ann")
    for call, field in (
        (lambda: engine.follow("ann", "-"), "followee"),
        (lambda: engine.post_add("-", "ann", "public"), "id"),
        (lambda: engine.can_view("-", "nope"), "viewer"),
    ):
        with pytest.raises(InvalidInput) as refused:
            call()
        assert refused.value.field == field
    assert engine.query("MATCH (a:Account {id: '-'}) RETURN a").rows == ()
    engine.user_add("a-b")  # a dash inside an id is still an id
    assert engine.user_show("a-b").account.id == "a-b"


# -- post add of an id another author holds --------------------------------------------------------


def test_post_add_of_another_authors_id_is_a_conflict(engine: Engine) -> None:
    people(engine, "ann", "ben")
    assert engine.post_add("p1", "ann", "public").outcome == "created"
    assert engine.post_add("p1", "ann", "friends").outcome == "already_exists"  # the same author: as before
    with pytest.raises(Conflict, match="post p1 exists, by ann"):
        engine.post_add("p1", "ben", "public")
    post = engine.post_show("p1")
    assert (post.author, post.visibility) == ("ann", "public")


def test_cli_post_add_of_another_authors_id_exits_5(sync_engine: Engine, env: dict[str, str]) -> None:
    people(sync_engine, "ann", "ben")
    sync_engine.post_add("p1", "ann", "public")
    code, out, err = run("post", "add", "p1", "--author", "ben", "--visibility", "public")
    assert (code, out) == (5, "") and err.strip() == "error: post p1 exists, by ann"
    code, out, err = run("post", "add", "p1", "--author", "ann", "--visibility", "public", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "already_exists"


# -- audience --all --------------------------------------------------------------------------------


def test_audience_all_walks_every_page(sync_engine: Engine, env: dict[str, str]) -> None:
    engine = sync_engine
    people(engine, "au", "f1", "f2", "f3", "f4", "x1", "x2", "x3")
    follows(engine, "au<>f1", "au<>f2", "au<>f3", "au<>f4")
    engine.post_add("fr", "au", "friends")
    engine.post_add("pub", "au", "public")
    for blocker in ("x1", "x2", "x3"):
        engine.block(blocker, "au")
    code, out, err = run("audience", "fr", "--limit", "2", "--json")
    assert code == 0 and len(json.loads(out)) == 2 and "more: --cursor" in err
    code, out, err = run("audience", "fr", "--all", "--json")
    assert code == 0 and "more:" not in err, err
    assert [row["id"] for row in json.loads(out)] == sorted(["au", "f1", "f2", "f3", "f4"])
    # everyone except: the flag and every account blocked either way, from every page
    code, out, err = run("audience", "pub", "--all", "--json")
    assert code == 0, err
    assert json.loads(out) == [{"id": "*", "everyone": True, "except": ["x1", "x2", "x3"]}]
    code, out, _ = run("audience", "pub", "--all")
    assert "everyone except accounts blocked either way with the author (x1, x2, x3)" in out


# -- query --write counters ------------------------------------------------------------------------


def test_a_write_query_has_its_counters(engine: Engine) -> None:
    result = engine.query("CREATE (:Scratch {a: 1, b: 2})-[:TO]->(:Scratch)", write=True)
    assert result.rows == ()
    assert result.changed == {"nodes_created": 2, "relationships_created": 1, "properties_set": 2, "labels_added": 2}
    read = engine.query("MATCH (n:Scratch) RETURN count(n) AS n")
    assert read.rows == ({"n": 2},) and read.changed == {} and read.counters["nodes_created"] == 0
    deleted = engine.query("MATCH (n:Scratch) DETACH DELETE n", write=True)
    assert deleted.changed == {"nodes_deleted": 2, "relationships_deleted": 1}


def test_cli_write_query_prints_what_it_changed(sync_engine: Engine, env: dict[str, str]) -> None:
    sync_engine.query("CREATE (:Scratch {a: 1})-[:TO]->(:Scratch)", write=True)
    code, out, err = run("query", "MATCH (n:Scratch) DETACH DELETE n", "--write")
    assert code == 0 and err.strip() == "changed: nodes deleted: 2, relationships deleted: 1"
    code, out, err = run("query", "MATCH (n:Scratch) DETACH DELETE n", "--write", "--json")
    assert code == 0 and json.loads(out) == []  # stdout stays the array of rows
    assert json.loads(err)["counters"]["nodes_deleted"] == 0
    code, out, err = run("query", "RETURN 1 AS one")
    assert code == 0 and "changed" not in err  # a read says nothing about changes


# -- db start ---------------------------------------------------------------------------------------


def test_launcher_built_says_whether_a_start_would_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert embedded.launcher_built()  # the launcher the test server runs
    monkeypatch.setenv("MUTUALS_CACHE", str(tmp_path / "empty-cache"))
    assert not embedded.launcher_built()  # a start would build it (db start then says so)


# -- the offline import as the restore of an export ------------------------------------------------


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[Config]:
    config = Config(home=tmp_path / "home", port=free_port(), heap="512m", page_cache="64m", auto_start=False)
    yield config
    embedded_server(config).stop()


def like_before_block(engine: Engine, directory: Path) -> Path:
    """A world where ben liked a post of ann's and ann blocked ben later, exported."""
    now = datetime.now(UTC).replace(microsecond=0)
    people(engine, "ann", "ben", "cat")
    follows(engine, "ann<>ben", "cat>ann")
    engine.post_add("p1", "ann", "friends", created_at=now - timedelta(days=1))
    engine.interact("like", "ben", "p1", at=now - timedelta(hours=2))
    engine.interact("message", "ann", "ben", at=now - timedelta(hours=1))
    engine.block("ann", "ben")
    engine.export(directory)
    return directory


def test_an_export_restored_offline_is_the_same_graph(
    sync_engine: Engine, offline: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = like_before_block(sync_engine, tmp_path / "backup")
    expected = graph(sync_engine)
    assert len(expected["interactions"]) == 2
    # checked as new interactions, the like and the message would be refused (the block came later)
    (tmp_path / "checked").mkdir()
    checked = Preparer(data, tmp_path / "checked", datetime.now(UTC), tmp_path / "checked").run()
    assert checked.rejected["interactions"] == 2
    summary = import_offline(offline, data, checks=False)
    assert summary.imported and summary.rejected == {kind: 0 for kind in ORDER} and not summary.rejects_files
    # `db start` of a built launcher: no word of Maven
    for name in [k for k in os.environ if k.startswith("NEO4J_")]:
        monkeypatch.delenv(name)
    started = CliRunner().invoke(
        app,
        ["db", "start"],
        env={"MUTUALS_HOME": str(offline.home), "MUTUALS_PORT": str(offline.port), "MUTUALS_HEAP": "512m",
             "MUTUALS_PAGE_CACHE": "64m"},
    )  # fmt: skip
    assert started.exit_code == 0, started.stderr
    assert started.stderr.strip() == "starting the embedded Neo4j..."
    with Engine(offline) as restored:
        assert graph(restored) == expected
        assert restored.post_show("p1").likes == 1 and restored.doctor().ok


def test_offline_rejects_have_the_online_columns(sync_engine: Engine, tmp_path: Path) -> None:
    engine = sync_engine
    data = tmp_path / "data"
    data.mkdir()
    files = {
        "users": "id,private\nann,\nben,\nbad id,\n",
        "posts": "id,author,visibility,created_at\np1,ann,friends,\np1,ben,public,\np2,zed,public,\n",
        "follows": "follower,followee,since\nann,ann,\nann,zed,2026-01-01T00:00:00Z\n",
        "interactions": "kind,actor,target,at\nlike,zed,p1,\ncomment,ben,p1,2026-01-01T00:00:00Z\n",
    }
    for kind, text in files.items():
        (data / f"{kind}.csv").write_text(text)
    online = {kind: engine.import_(kind, data / f"{kind}.csv", rejects=tmp_path / f"on-{kind}.csv") for kind in files}
    work = tmp_path / "work"
    work.mkdir()
    tally = Preparer(data, work, datetime.now(UTC), work).run()
    for kind in files:
        online_file, offline_file = online[kind].rejects_file, tally.rejects_files[kind]
        assert online_file is not None
        online_text, offline_text = Path(online_file).read_text(), Path(offline_file).read_text()
        assert offline_text.splitlines()[0] == online_text.splitlines()[0], kind  # the same header
        # the same columns and values; only the words of _detail may differ (documented)
        on = [{k: v for k, v in r.items() if k != "_detail"} for r in csv.DictReader(online_text.splitlines())]
        off = [{k: v for k, v in r.items() if k != "_detail"} for r in csv.DictReader(offline_text.splitlines())]
        assert off == on and on, kind
        assert all(row[next(iter(row))] for row in off), f"{kind}: an empty first column"
    assert reasons(tally.rejects_files["posts"]) == [(3, "post_conflict"), (4, "unknown_account")]


def test_header_only_files_import_nothing_cleanly(
    offline: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NEO4J_URI", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "empty-export"
    data.mkdir()
    for kind, header in (("users", "id"), ("follows", "follower,followee"), ("posts", "id,author,visibility")):
        (data / f"{kind}.csv").write_text(header + "\n")
    summary = import_offline(offline, data)
    assert not summary.imported and summary.nodes == 0 and summary.written == {}
    assert not embedded_server(offline).home.joinpath("data").exists()  # the importer did not run
    code, out, err = run("--home", str(offline.home), "import", "--offline", str(data))
    assert code == 0, err
    assert "nothing imported" in out and "usage" not in (out + err).lower() and "log" not in err
