"""`mutuals import --offline DIR`: Neo4j's batch importer builds a fresh embedded database that
holds exactly the graph the online import builds from the same files, refusing the same rows,
with the events the online import appends, numbered."""

from __future__ import annotations

import dataclasses
import filecmp
import hashlib
import itertools
import json
import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import free_port
from helpers import follows, people, wipe
from test_bulk import graph, reasons
from test_outbox import read_all
from typer.testing import CliRunner

from mutuals import Config, Engine, Event, InvalidInput, import_offline, rules
from mutuals.base import validate as v
from mutuals.bulk import ORDER, offline_files, offline_prepare
from mutuals.bulk.offline_prepare import Preparer, check_key, check_of_key, message_allowed
from mutuals.cli.main import app
from mutuals.io.connection import embedded_server
from mutuals.ops.interactions import CHECK


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
    # rows that repeat an account or a post: a change (an event), or nothing at all
    again = {"users": ["dan,,,friends,,,", "ann,,,,,,"], "posts": ["p2,pia,public,,,", "p1,ann,friends,,,"]}
    for kind, lines in itertools.chain(bad.items(), again.items()):
        with (directory / f"{kind}.csv").open("a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
    return directory


def changes(events: list[Event]) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    return [(e.type, e.actor, e.subject, e.post, e.detail) for e in events]


def test_offline_import_builds_the_graph_the_online_import_builds(
    engine: Engine, offline: Config, tmp_path: Path
) -> None:
    data = source(engine, tmp_path / "data")
    wipe(engine)
    online = {
        kind: engine.import_(kind, data / f"{kind}.csv", rejects=tmp_path / f"online-{kind}.csv") for kind in ORDER
    }
    expected = graph(engine)
    events = read_all(engine, 0)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert ("account_updated", "dan", None, None, "comment_policy") in changes(events)
    assert ("visibility_changed", "pia", None, "p2", "followers") in changes(events)  # pia is private

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
        # the same events, numbered alike: one per change, in the order the online import appended them
        assert summary.events == len(events)
        loaded = read_all(built, 0)
        assert changes(loaded) == changes(events) and [e.seq for e in loaded] == [e.seq for e in events]
        assert {e.at for e in loaded} == {loaded[0].at}  # the load's time
        # the counter goes on from there
        assert built.follow("dan", "ben").outcome == "followed"
        assert changes(built.events(len(events), 10)) == [("followed", "dan", "ben", None, None)]
        assert built.events(len(events), 10)[0].seq == len(events) + 1


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


def test_offline_events_round_trip_in_sets_of_any_size(
    engine: Engine, offline: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The importer splits a string[] field at each ';' and keeps empty elements (';' is two '')
    but reads an empty field as no property, so a list of one '' would be lost: a set of one
    change is written as the outbox's one-change node. Sets of 3 here: lists of '' only, a detail
    holding commas, and a last set of one change read back exactly, cut at any seq."""
    data = tmp_path / "data"
    data.mkdir()
    files = {
        "users": "id,private,dm_policy\nann,true,\nben,,\ncat,,\nann,false,nobody\n",
        "posts": "id,author,visibility\np1,ann,public\n",
        "follows": "follower,followee\nann,ben\nben,ann\ncat,ann\n",
        "interactions": "kind,actor,target,at\nlike,ben,p1,\nmessage,ann,ben,2026-01-01T00:00:00Z\n",
    }
    for kind, text in files.items():
        (data / f"{kind}.csv").write_text(text)
    for kind in ORDER:
        if kind in files:
            engine.import_(kind, data / f"{kind}.csv", rejects=tmp_path / f"online-{kind}.csv")
    expected = changes(read_all(engine, 0))
    assert len(expected) == 10 and ("account_updated", "ann", None, None, "dm_policy,private=false") in expected
    monkeypatch.setattr(offline_prepare, "EVENT_CHUNK", 3)
    assert import_offline(offline, data).events == 10
    embedded_server(offline).start()
    with Engine(offline) as built:
        stored = built.query(
            "MATCH (e:Event) RETURN e.seq AS seq, e.last AS last, e.types IS NULL AS one, e.subjects AS subjects"
            " ORDER BY seq"
        ).rows
        assert [(r["seq"], r["last"], r["one"]) for r in stored] == [(1, 3, False), (4, 6, False), (7, 9, False),
                                                                     (10, 10, True)]  # fmt: skip
        assert stored[0]["subjects"] == ["", "", ""]
        assert changes(read_all(built, 0)) == expected
        for after in range(10):  # a page that starts and ends anywhere in a set
            page = built.events(after, 2)
            assert [e.seq for e in page] == list(range(after + 1, min(after + 2, 10) + 1))
            assert changes(page) == expected[after : after + 2]


def messy(directory: Path, seed: int) -> Path:
    """Files every lane of the preparation meets: mostly common rows, and unknown and bad ids,
    bad values, repeats, blocks, private accounts, times in several forms, blank lines, CRLF, a
    quoted field (the csv module reads on from there), a lone carriage return, a last line
    without newline."""
    rng = random.Random(seed)
    directory.mkdir()
    ids = [f"u{i}" for i in range(200)]

    def pick(good: list[str], bad: list[str], odds: float = 0.05) -> str:
        return rng.choice(bad if rng.random() < odds else good)

    def some() -> str:
        return pick(ids, ["zed", "bad id", ""])

    def when(empty: int = 2) -> str:
        return pick(["", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00", "2026-03-01 10:00"][2 - empty :],
                    ["2026-13-01T00:00:00Z", " ", "yesterday"])  # fmt: skip

    users = ["id,private,dm_policy,comment_policy,created_at"]
    for uid in [*ids, "u1", "u2", "bad id", "-"]:
        users.append(",".join([uid, pick(["", "", "", "false", "true", "TRUE", " no"], ["maybe"], 0.01),
                               pick(["", "everyone", "friends", "nobody"], ["nope"], 0.01),
                               pick(["", "friends", "everyone"], ["all"], 0.01), when()]))  # fmt: skip
    posts = ["id,author,visibility,created_at,duet_policy"]
    for i in range(120):
        posts.append(",".join([pick([f"p{i}", f"p{i}", f"p{i // 2}"], ["bad id"]), some(),
                               pick(["public", "public", "public", *v.VISIBILITIES], ["secret"]), when(),
                               pick(["", "", "friends", "only_me"], ["no"])]))  # fmt: skip
    if seed % 2:  # without times, or with (in CRLF lines)
        follows = ["follower,followee"] + [f"{some()},{some()}" for _ in range(3000)]
    else:
        follows = ["followee,since,follower"] + [f"{some()},{when()},{some()}" for _ in range(3000)]
    follows[1700:1700] = ["", "u1,u2,extra", "u3", "u4,u5,", "u6,u6", '"u4",u5']
    requests = ["requester,target,at"] + [f"{some()},{some()},{when()}" for _ in range(300)]
    blocks = ["blocker,blocked"] + [f"{some()},{some()}" for _ in range(30)]
    interactions = ["kind,actor,target,at"]
    for _ in range(1500):
        kind = pick(["like", "like", "comment", "message", "duet", "stitch"], ["wave"])
        target = some() if kind == "message" else pick([f"p{rng.randrange(125)}"], ["bad id"])
        interactions.append(f"{kind},{some()},{target},{when(1 if kind == 'like' else 0)}")
    for rows in (users, posts, follows, interactions):  # blank lines, in blocks the fast lane takes
        rows[10:10] = [""]
        rows.append("")
    texts = {
        "users": "\r\n".join(users) + "\r\n",
        "posts": "\n".join(posts),
        "follows": ("\n" if seed % 2 else "\r\n").join(follows) + "\n",
        "requests": "\n".join(requests[:150]) + "\n\n" + "\r".join(requests[150:]) + "\n",
        "blocks": "\n".join(blocks) + "\n",
        "interactions": "\n".join(interactions) + "\n",
    }
    for kind, text in texts.items():
        (directory / f"{kind}.csv").write_text(text, newline="")
    return directory


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fast_lane_gives_what_the_general_lane_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """The preparation's two lanes, on messy files read in small blocks (by a reader process, or
    in this one): the same importer files, the same rejects files, the same counts."""
    monkeypatch.setattr(offline_files, "BLOCK_CHARS", 500)
    data = messy(tmp_path / "data", seed)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    lanes = {"general": {"fast": False}, "fast": {"parallel": True}, "inline": {"parallel": False}}
    tallies = {}
    for lane, options in lanes.items():
        (tmp_path / lane).mkdir()
        tallies[lane] = Preparer(data, tmp_path / lane, now, tmp_path / lane, **options).run()
    names = sorted(p.name for p in (tmp_path / "general").iterdir())
    assert {"follows.rejects.csv", "interactions.rejects.csv", "events.csv"} <= set(names)
    for lane in ("fast", "inline"):
        assert sorted(p.name for p in (tmp_path / lane).iterdir()) == names
        for name in names:
            assert filecmp.cmp(tmp_path / lane / name, tmp_path / "general" / name, shallow=False), (lane, name)
        assert dataclasses.replace(tallies[lane], rejects_files={}) == dataclasses.replace(
            tallies["general"], rejects_files={}
        )
    written, rejected = tallies["general"].written, tallies["general"].rejected
    assert written["follows"] > 1500 and written["interactions"] > 100 and rejected["interactions"] > 500


def test_the_check_without_ids_is_the_check() -> None:
    """The fast lane remembers a permission check by the facts without the ids: for every state
    of the facts, that is the rule's own answer with real ids."""
    policies = ("everyone", "friends", "nobody", "only_me")
    for kind, visibility, private, comment, duet, stitch, is_author, flags in itertools.product(
        CHECK, v.VISIBILITIES, (False, True), policies, policies, policies, (False, True),
        itertools.product((False, True), repeat=5),
    ):  # fmt: skip
        follows, back, blocks, blocked, close = flags
        facts = rules.PostFacts(
            post="p9", author="ann", visibility=visibility, author_private=private, comment_policy=comment,
            duet_policy=duet, stitch_policy=stitch, viewer="ann" if is_author else "ben",
            viewer_follows_author=follows, author_follows_viewer=back, viewer_blocks_author=blocks,
            author_blocks_viewer=blocked, viewer_close_friend=close,
        )  # fmt: skip
        assert check_of_key(check_key(kind, facts)) == CHECK[kind](facts).allowed
    for sender_blocks, recipient_blocks, policy, friends in itertools.product(
        (False, True), (False, True), v.DM_POLICIES, (False, True)
    ):
        decision = rules.message(
            "ann", "ben", sender_blocks=sender_blocks, recipient_blocks=recipient_blocks, dm_policy=policy,
            friends=friends,
        )  # fmt: skip
        assert message_allowed(sender_blocks, recipient_blocks, policy, friends) == decision.allowed
