"""The CLI's contract, the same for every command: one shape of refusal, tokens out of every write
and --after into every read, one table of exit codes that README.md and docs/cli.md list."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

from helpers import follows, people
from test_cli import run
from typer.main import get_command

from mutuals import Engine
from mutuals.base import errors
from mutuals.bulk import ImportSummary
from mutuals.cli import exits
from mutuals.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
PREVIEW_COMMANDS = ("visibility", "private", "public", "approve", "block")


def leaf_commands(group: Any, prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if getattr(command, "commands", None):
            found.update(leaf_commands(command, (*prefix, name)))
        else:
            found[" ".join((*prefix, name))] = command
    return found


COMMANDS = leaf_commands(get_command(app))


def engine_method(command: str) -> Any:
    """The Engine method a command calls (the CLI mirrors the engine, snake_case); None for `db`."""
    words = command.replace("-", "_").split(" ")
    known = {"import": "import_", **{f"preview {k}": "preview_change" for k in PREVIEW_COMMANDS}}
    for candidate in (known.get(command, ""), "_".join(words), words[0]):
        if candidate and hasattr(Engine, candidate) and words[0] != "db":
            return getattr(Engine, candidate)
    return None


def writes(command: str) -> bool:
    method = engine_method(command)
    source = "" if method is None else inspect.getsource(method)
    # a rolled-back write (preview_change) is a read: it changes nothing and takes --after
    return command == "import" or ("self._conn.write(" in source and "rollback=True" not in source)


def options(command: str) -> set[str]:
    return {opt for p in COMMANDS[command].params for opt in p.opts}


# -- exit codes -------------------------------------------------------------------------------


def status_table(path: Path) -> dict[int, str]:
    """The ``| status | meaning |`` table of a document."""
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", path.read_text(), flags=re.MULTILINE)
    return {int(code): meaning for code, meaning in rows}


def test_exit_codes_table_docs_and_error_classes_agree() -> None:
    documented = status_table(ROOT / "docs" / "cli.md")
    assert documented == status_table(ROOT / "README.md"), "README.md and docs/cli.md list different exit codes"
    assert set(documented) == exits.ALL - {0}, "the documented exit codes differ from cli/exits.py"
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.MutualsError)]
    assert len(classes) >= 10
    for cls in classes:  # every class has a code of its own or of a specific ancestor, not the catch-all 1
        if cls is not errors.MutualsError:
            assert exits.code_for(cls.__new__(cls)) != exits.ERRORS[errors.MutualsError], cls.__name__
    assert exits.code_for(errors.Blocked("x")) == 4 and exits.code_for(errors.AuthenticationFailed("x")) == 69
    assert exits.code_for(errors.Conflict("x")) == 5 and 5 in documented
    assert not any(hasattr(cls, "exit_code") for cls in classes), "exit codes belong to the CLI, not the engine"


# -- refusals ---------------------------------------------------------------------------------


def test_a_refused_follow_and_a_refused_interaction_look_the_same(engine: Engine, env: dict[str, str]) -> None:
    people(engine, "ann", "ben", "cat")
    follows(engine, "ann<>cat")
    engine.block("ben", "ann")
    engine.post_add("p1", "cat", "friends")
    shapes = []
    for argv in (["follow", "ann", "ben"], ["interact", "like", "ben", "p1"]):
        code, out, err = run(*argv, "--json")
        assert code == 4, (argv, err)
        refused = json.loads(out)
        shapes.append(set(refused) - {"token"})
        assert (
            refused["allowed"] is False and refused["reasons"] and all(isinstance(r, str) for r in refused["reasons"])
        )
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            f"error: {argv[1] if argv[0] == 'interact' else argv[0]} refused: "
        )
        plain_code, plain_out, plain_err = run(*argv)
        assert (plain_code, plain_out, plain_err) == (4, "", err)  # without --json: the same line, nothing on stdout
    assert shapes == [{"outcome", "allowed", "reasons"}] * 2
    assert json.loads(run("follow", "ann", "ben", "--json")[1])["outcome"] == "blocked"
    assert json.loads(run("interact", "like", "ben", "p1", "--json")[1])["outcome"] == "not_allowed"
    assert engine.relationship("ann", "ben").following is False and engine.post_show("p1").likes == 0


# -- tokens out of writes, --after into reads ---------------------------------------------------

# each write command, a valid call of it (run in this order)
WRITE_CALLS = {
    "user add": ["user", "add", "zed"],
    "user set": ["user", "set", "zed", "--private"],
    "follow": ["follow", "ann", "zed"],
    "approve": ["approve", "zed", "ann"],
    "remove-follower": ["remove-follower", "zed", "ann"],
    "unfollow": ["unfollow", "ben", "zed"],
    "deny": ["deny", "zed", "ann"],
    "block": ["block", "ann", "zed"],
    "unblock": ["unblock", "ann", "zed"],
    "close-friends add": ["close-friends", "add", "ann", "zed"],
    "close-friends remove": ["close-friends", "remove", "ann", "zed"],
    "mute": ["mute", "ann", "zed", "--until", "7d"],
    "unmute": ["unmute", "ann", "zed"],
    "post add": ["post", "add", "q1", "--author", "ann", "--visibility", "public"],
    "post set-visibility": ["post", "set-visibility", "q1", "followers"],
    "interact like": ["interact", "like", "ben", "q1"],
    "interact comment": ["interact", "comment", "ben", "q1"],
    "interact message": ["interact", "message", "ben", "ann"],
    "interact duet": ["interact", "duet", "ben", "q1"],
    "interact stitch": ["interact", "stitch", "ben", "q1"],
    "post delete": ["post", "delete", "q1"],
    "events prune": ["events", "prune"],
    "user delete": ["user", "delete", "zed"],
}


def test_every_write_command_prints_its_token(engine: Engine, env: dict[str, str], tmp_path: Path) -> None:
    assert {c for c in COMMANDS if writes(c)} == set(WRITE_CALLS) | {"import"}
    people(engine, "ann", "ben")
    follows(engine, "ann<>ben")
    for command, argv in WRITE_CALLS.items():
        code, out, err = run(*argv, "--json")
        assert code == 0, (command, err)
        token = json.loads(out).get("token")
        assert isinstance(token, str) and token, command
        engine.user_show("ann", after=token)  # a token the reads take
    rows = tmp_path / "users.csv"
    rows.write_text("id\nyan\n")
    code, out, err = run("import", "users", str(rows), "--json")
    assert code == 0, err
    # the summary's token comes with ImportSummary.token (added to bulk import separately)
    assert ("token" in json.loads(out)) == ("token" in ImportSummary.__dataclass_fields__)


# read commands whose engine method takes no consistency token, and why
NO_AFTER = {
    "report list": "reads files, not the database",
    "report show": "reads files, not the database",
    "report run": "Engine.report_run takes no after= yet",
    "draw": "Engine.draw takes no after= yet",
    "export": "Engine.export takes no after= yet",
    "demo": "replaces the data with the sample community; reads nothing of yours",
}


def test_every_read_command_takes_after() -> None:
    reads = {c for c in COMMANDS if engine_method(c) is not None and not writes(c)}
    assert set(NO_AFTER) <= reads
    for command in sorted(reads - set(NO_AFTER)):
        assert "--after" in options(command), f"{command} has no --after"
        assert "after" in inspect.signature(engine_method(command)).parameters, command
    for command in NO_AFTER:  # an exemption must not hide an engine read that takes a token
        assert "after" not in inspect.signature(engine_method(command)).parameters, command
    # `events` (a group with its own callback): its --after is the outbox's seq, not a consistency token
    events = get_command(app).commands["events"]  # type: ignore[attr-defined]
    after = next(p for p in events.params if p.name == "after")
    assert after.opts == ["--after"] and after.default == 0
    assert str(inspect.signature(Engine.events).parameters["after"].annotation) == "int"


def test_a_script_reads_its_own_write_with_after(engine: Engine, env: dict[str, str]) -> None:
    people(engine, "ann", "ben")
    code, out, _ = run("follow", "ann", "ben", "--json")
    token = json.loads(out)["token"]
    for argv in (["followers", "ben"], ["following", "ann", "--all"]):
        code, out, err = run(*argv, "--after", token, "--json")
        assert code == 0, err
        assert json.loads(out) == [{"followers": "ann", "following": "ben"}[argv[0]]]
    code, out, _ = run("relationship", "ann", "ben", "--after", token, "--json")
    assert json.loads(out)["following"] is True
    code, _, err = run("friends", "ann", "--after", "not-a-token")
    assert code == 2 and err.startswith("error: after:")


# -- feed --all, -p, limits -----------------------------------------------------------------------


def test_feed_all_walks_every_page(engine: Engine, env: dict[str, str]) -> None:
    people(engine, "ann", "ben")
    follows(engine, "ann>ben")
    for i in range(5):
        engine.post_add(f"f{i}", "ben", "public", created_at=f"2026-04-01T10:0{i}:00Z")
    code, out, err = run("feed", "ann", "--limit", "2", "--json")
    assert code == 0 and len(json.loads(out)) == 2 and "more: --cursor" in err
    code, out, err = run("feed", "ann", "--all", "--json")
    assert code == 0, err
    assert [item["id"] for item in json.loads(out)] == ["f4", "f3", "f2", "f1", "f0"]
    assert "more:" not in err
    assert list(engine.walk(engine.feed, "ann")) == list(engine.feed("ann", limit=200).items)


def test_param_pairs_are_parsed_the_same_way_by_query_and_report_run() -> None:
    for argv in (["query", "RETURN 1 AS one"], ["report", "run", "reciprocity_leaderboard"]):
        code, out, err = run(*argv, "-p", "nokey")
        assert (code, out) == (2, ""), argv
        assert err.strip() == "error: --param: expected KEY=VALUE, got 'nokey'", argv


def test_limits_come_from_the_engine() -> None:
    from mutuals.ops import events, feeds, lists, social
    from mutuals.views import ego

    def limit(command: str) -> Any:
        found = COMMANDS.get(command) or get_command(app).commands[command]  # type: ignore[attr-defined]
        return next(p for p in found.params if p.name == "limit")

    for command in ("friends", "followers", "following", "segment", "known-followers", "audience"):
        assert (limit(command).max, limit(command).default) == (lists.MAX_LIMIT, lists.DEFAULT_LIMIT)
    assert (limit("feed").max, limit("feed").default) == (feeds.MAX_FEED_LIMIT, feeds.DEFAULT_FEED_LIMIT)
    assert (limit("suggest").max, limit("suggest").default) == (social.MAX_SUGGEST, social.DEFAULT_SUGGEST)
    assert (limit("events").max, limit("events").default) == (events.MAX_READ, events.DEFAULT_READ)
    assert (limit("draw").max, limit("draw").default) == (ego.MAX_LIMIT, ego.DEFAULT_LIMIT)
    assert "--all" in options("feed")
