"""The CLI through Typer's runner; results are checked through the engine."""

from __future__ import annotations

import json

import pytest
from conftest import free_port
from helpers import follows, people
from typer.testing import CliRunner

from mutuals import Engine, NotFound
from mutuals.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> object:
    """The JSON of a command that succeeds; a write's consistency token is checked and set aside
    (tests/test_cli_contract.py checks that every write prints one)."""
    code, out, err = run(*args, "--json")
    assert code == 0, err
    value = json.loads(out)
    if isinstance(value, dict) and "token" in value:
        token = value.pop("token")
        assert isinstance(token, str) and token
    return value


@pytest.fixture
def cli_world(engine: Engine, env: dict[str, str]) -> Engine:
    people(engine, "ann", "ben", "cat", "dan", "pia", private=("pia",))
    follows(engine, "ann<>ben", "ann<>cat", "dan>ann", "ben<>cat")
    return engine


def test_user_add_set_show(engine: Engine, env: dict[str, str]) -> None:
    assert run_json("user", "add", "zoe", "--private", "--dm-policy", "everyone") == {"outcome": "created"}
    assert run_json("user", "add", "zoe") == {"outcome": "already_exists"}
    assert engine.user_show("zoe").account.private is True
    assert run_json("user", "set", "zoe", "--public", "--comment-policy", "friends") == {"outcome": "updated"}
    account = engine.user_show("zoe").account
    assert (account.private, account.comment_policy, account.dm_policy) == (False, "friends", "everyone")
    shown = run_json("user", "show", "zoe")
    assert isinstance(shown, dict)
    assert shown["id"] == "zoe" and shown["followers"] == 0 and shown["private"] is False
    code, out, _ = run("user", "show", "zoe")
    assert code == 0 and "comment_policy" in out and "friends" in out


def test_follow_commands_and_outcomes(engine: Engine, env: dict[str, str]) -> None:
    people(engine, "ann", "ben", "pia", private=("pia",))
    assert run_json("follow", "ann", "ben") == {"outcome": "followed"}
    assert run_json("follow", "ben", "ann") == {"outcome": "became_friends"}
    assert engine.friends("ann").items == ("ben",)
    assert run_json("follow", "ann", "pia") == {"outcome": "requested"}
    assert run_json("approve", "pia", "ann") == {"outcome": "approved"}
    assert engine.followers("pia").items == ("ann",)
    assert run_json("follow", "ben", "pia") == {"outcome": "requested"}
    assert run_json("deny", "pia", "ben") == {"outcome": "denied"}
    assert run_json("remove-follower", "pia", "ann") == {"outcome": "removed"}
    assert run_json("unfollow", "ann", "ben") == {"outcome": "unfollowed"}
    assert run_json("block", "ben", "ann") == {"outcome": "blocked"}
    assert engine.relationship("ann", "ben").blocked_by is True
    code, out, err = run("follow", "ann", "ben", "--json")
    assert code == 4
    refused = json.loads(out)
    assert isinstance(refused.pop("token"), str)  # the refusal's shape: tests/test_cli_contract.py
    assert refused == {"outcome": "blocked", "allowed": False, "reasons": ["ben has blocked ann"]}
    assert err.strip() == "error: follow refused: ben has blocked ann"
    assert run_json("unblock", "ben", "ann") == {"outcome": "unblocked"}
    code, out, _ = run("follow", "ann", "ben")
    assert code == 0 and "followed" in out


def test_lists_print_json_arrays_of_ids(cli_world: Engine) -> None:
    assert run_json("friends", "ann") == ["ben", "cat"]
    assert run_json("followers", "ann") == ["ben", "cat", "dan"]
    assert run_json("following", "dan") == ["ann"]
    assert run_json("segment", "ann", "followers-only") == ["dan"]
    assert run_json("known-followers", "dan", "ben") == ["ann"]


def test_pages_cursor_on_stderr_and_all(cli_world: Engine) -> None:
    code, out, err = run("followers", "ann", "--limit", "2", "--json")
    assert code == 0
    assert json.loads(out) == ["ben", "cat"]
    assert "--cursor" in err
    cursor = err.split("--cursor", 1)[1].split()[0]
    assert run_json("followers", "ann", "--limit", "2", "--cursor", cursor) == ["dan"]
    assert run_json("followers", "ann", "--limit", "1", "--all") == ["ben", "cat", "dan"]


def test_segments_json_keys(cli_world: Engine) -> None:
    counts = run_json("segments", "ann")
    assert counts == {
        "friends": 2,
        "followers_only": 1,
        "following_only": 0,
        "requests_in": 0,
        "requests_out": 0,
        "blocked": 0,
        "top_friends": 0,
        "engaged_followers": 0,
        "passive_followers": 3,
        "close_friends": 0,
    }


def test_relationship_json_keys(cli_world: Engine) -> None:
    rel = run_json("relationship", "ann", "ben")
    assert isinstance(rel, dict)
    for key in (
        "following",
        "followed_by",
        "friends",
        "requested",
        "requested_by",
        "blocking",
        "blocked_by",
        "can_message",
        "mutual_friends",
    ):
        assert key in rel
    assert rel["friends"] is True and rel["mutual_friends"] == 1


def test_suggest_json_shape(cli_world: Engine) -> None:
    found = run_json("suggest", "dan")
    assert found == []
    cli_world.follow("ann", "dan")
    assert run_json("suggest", "dan") == [
        {"id": "ben", "mutual_friends": 1, "via": ["ann"]},
        {"id": "cat", "mutual_friends": 1, "via": ["ann"]},
    ]
    assert run_json("suggest", "cat", "--follow-back") == []
    code, out, _ = run("suggest", "dan")
    assert code == 0 and "friends with ann" in out


def test_query_is_read_only_unless_write(cli_world: Engine) -> None:
    rows = run_json("query", "MATCH (a:Account {id: $id}) RETURN a.id AS id, a.private AS private", "-p", "id=pia")
    assert rows == [{"id": "pia", "private": True}]
    code, _, err = run("query", "CREATE (:Account {id: 'evil'})")
    assert code == 6
    assert "read-only" in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(NotFound):
        cli_world.user_show("evil")
    code, _, err = run("query", "CREATE (:Marker {n: $n})", "-p", "n=3", "--write")
    assert code == 0, err
    assert cli_world.query("MATCH (m:Marker) RETURN m.n AS n").rows == ({"n": 3},)


def test_query_parameter_types(cli_world: Engine) -> None:
    rows = run_json(
        "query",
        "RETURN $n AS n, $s AS s, $l AS l, $q AS q",
        "-p",
        "n=3",
        "-p",
        "s=ann",
        "-p",
        'l=["a", 1]',
        "-p",
        'q="007"',
    )
    assert rows == [{"n": 3, "s": "ann", "l": ["a", 1], "q": "007"}]
    code, _, err = run("query", "RETURN 1", "-p", "novalue")
    assert code == 2 and "KEY=VALUE" in err


def test_errors_are_one_line_without_traceback(cli_world: Engine) -> None:
    code, out, err = run("follow", "ann", "ghost")
    assert code == 3
    assert out == ""
    assert err.strip() == "error: account not found: ghost"
    code, _, err = run("follow", "ann", "ann")
    assert code == 2 and "followee" in err and "Traceback" not in err
    code, _, err = run("user", "add", "bad id")
    assert code == 2 and err.startswith("error: id:")
    code, _, err = run("segment", "ann", "fans")
    assert code == 2 and "segment" in err
    code, _, err = run("query", "MATCH (n RETURN n")
    assert code == 7 and len(err.strip().splitlines()) == 1


def test_database_down_is_one_line(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    monkeypatch.setenv("MUTUALS_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("MUTUALS_RETRY_SECONDS", "0")
    code, out, err = run("friends", "ann")
    assert code == 69
    assert out == ""
    assert err.startswith("error: Neo4j is unreachable")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_password_never_printed(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    secret = "s3cr3t-pa55"
    monkeypatch.setenv("NEO4J_URI", f"bolt://neo4j:{secret}@127.0.0.1:{free_port()}")
    monkeypatch.setenv("NEO4J_PASSWORD", secret)
    monkeypatch.setenv("MUTUALS_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("MUTUALS_RETRY_SECONDS", "0")
    for args in (["db", "status"], ["friends", "ann"], ["db", "status", "--json"]):
        code, out, err = run(*args)
        assert code != 0
        assert secret not in out and secret not in err


def test_doctor(cli_world: Engine) -> None:
    report = run_json("doctor")
    assert isinstance(report, dict) and report["ok"] is True
    assert report["checks"]["duplicate_follow"]["violations"] == 0


def test_demo_runs(engine: Engine, env: dict[str, str]) -> None:
    code, out, err = run("demo")
    assert code == 0, err
    assert "became friends" in out
    assert "refused" in out
    assert engine.relationship("alice", "mallory").blocking is True
    steps = run_json("demo")
    assert isinstance(steps, list) and len(steps) > 5
    by_command: dict[str, list[object]] = {}
    for step in steps:
        by_command.setdefault(step["command"], []).append(step["result"])
    # the hidden followers list: refused to oscar, in words that name no block; its count still shown
    (refused,) = by_command["mutuals followers ivan --viewer oscar"]
    assert "refused" in refused and "block" not in refused["refused"]
    (profile,) = by_command["mutuals profile-for oscar ivan"]
    assert profile["available"] is True and profile["profile"]["followers"] >= 1
    # the timed mute: heidi's post leaves dave's feed, then comes back by itself
    muted, *_, after = by_command["mutuals feed dave"]
    assert "heidi-song" not in {item["id"] for item in muted}
    assert "heidi-song" in {item["id"] for item in after}
    assert engine.relationship("dave", "heidi").muting is False


def test_every_command_is_documented() -> None:
    from pathlib import Path

    from typer.main import get_command

    docs = (Path(__file__).parent.parent / "docs" / "cli.md").read_text()
    root = get_command(app)
    names: list[str] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            names.extend(f"{name} {child}" for child in sub)
        else:
            names.append(name)
    missing = [n for n in names if f"mutuals {n}" not in docs]
    assert missing == []
