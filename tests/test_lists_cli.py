"""The CLI of list visibility, mute and until: --json answers, and a hidden list exits 4."""

from __future__ import annotations

import json

from test_cli import run, run_json

from mutuals import Engine


def test_hidden_list_exits_4_with_the_reason(engine: Engine, env: dict[str, str]) -> None:
    for uid in ("o", "f", "v"):
        engine.user_add(uid)
    engine.follow("f", "o")
    assert run_json("user", "set", "o", "--followers-visibility", "only_me") == {"outcome": "updated"}
    assert run_json("followers", "o", "--viewer", "o") == ["f"]
    code, out, _err = run("followers", "o", "--viewer", "v", "--json")
    assert code == 4
    assert "to themselves" in " ".join(json.loads(out)["reasons"])
    assert run_json("followers", "o") == ["f"]


def test_mute_and_timed_block_through_the_cli(engine: Engine, env: dict[str, str]) -> None:
    for uid in ("a", "b"):
        engine.user_add(uid)
    assert run_json("mute", "a", "b", "--until", "7d") == {"outcome": "muted"}
    assert run_json("muted", "a") == ["b"]
    assert run_json("unmute", "a", "b") == {"outcome": "unmuted"}
    assert run_json("block", "a", "b", "--until", "2h") == {"outcome": "blocked"}
    rel = run_json("relationship", "a", "b")
    assert isinstance(rel, dict) and rel["blocking"] and rel["blocking_until"]
    code, _out, err = run("mute", "a", "b", "--until", "yesterday")
    assert code == 2 and "until" in err
