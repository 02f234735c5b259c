"""Analyst reports on a known small graph: every built-in report's rows, parameter validation,
read-only execution, the analyst's own report directory, charts and the ego picture."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import follows, people, wipe
from typer.testing import CliRunner

from mutuals import Config, Engine, InvalidInput, NotFound, ReadOnly
from mutuals.cli.main import app
from mutuals.rules import DEPTH_WINDOW_DAYS, FRIEND_BONUS, INTERACTION_WEIGHTS, TOP_FRIEND_DEPTH
from mutuals.views.charts import CHART_SIZE, EGO_SIZE
from mutuals.views.reports import builtin_dir, load_all

runner = CliRunner()
BUILTIN = sorted(path.stem for path in builtin_dir().glob("*.cypher"))


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file (and proof that it is one)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def graph(session_engine: Engine) -> Iterator[Engine]:
    """ann's world. Followers of ann: ben, cat (friends), dan, eve, ivy; ann also follows gus.
    hal was a follower until ann blocked him. fay is private, with two pending requests."""
    e = session_engine
    wipe(e)
    now = datetime.now(UTC)
    people(e, "ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal", "ivy", private=("fay",))
    follows(e, "ann<>ben", "ann<>cat", "ben<>cat", "dan>ann", "eve>ann", "ivy>ann", "ann>gus", "hal>ann")
    e.block("ann", "hal")
    e.follow("ben", "fay")
    e.follow("gus", "fay")
    e.query(
        "MATCH ()-[r:REQUESTED]->() WHERE r.src = $src SET r.at = $at",
        {"src": "ben", "at": now - timedelta(days=10)},
        write=True,
    )
    e.post_add("ann-1", "ann", "public", created_at=now - timedelta(hours=3))
    e.post_add("ann-2", "ann", "friends", created_at=now - timedelta(hours=2))
    e.post_add("ann-3", "ann", "followers", created_at=now - timedelta(hours=1))
    e.post_add("eve-old", "eve", "public", created_at=now - timedelta(days=200))
    hour = timedelta(hours=1)
    e.interact("like", "ben", "ann-1", at=now - hour)
    e.interact("comment", "ben", "ann-1", at=now - hour)
    e.interact("duet", "ben", "ann-1", at=now - hour)
    e.interact("message", "ben", "ann", at=now - hour)
    e.interact("like", "cat", "ann-2", at=now - hour)
    e.interact("like", "dan", "ann-1", at=now - hour)
    e.interact("like", "gus", "ann-1", at=now - hour)
    yield e
    wipe(e)


def rows(engine: Engine, name: str, **params: object) -> list[dict[str, object]]:
    return [dict(row) for row in engine.report_run(name, dict(params)).rows]


def test_every_builtin_report_is_listed_with_its_declaration(graph: Engine) -> None:
    listed = {report.name: report for report in graph.report_list()}
    assert sorted(listed) == BUILTIN
    assert len(BUILTIN) >= 8
    for report in listed.values():
        assert report.builtin and report.description
        for param in report.params:
            assert param.type in ("id", "int", "map", "string", "float", "bool", "datetime", "list")
    assert [p.signature() for p in listed["reciprocity_leaderboard"].params] == [
        "min_followers: int = 10",
        "limit: int = 20",
    ]
    user = listed["audience_breakdown"].params[0]
    assert (user.name, user.type, user.required) == ("user", "id", True)


def test_audience_breakdown_matches_segments(graph: Engine) -> None:
    found = {row["segment"]: row for row in rows(graph, "audience_breakdown", user="ann")}
    counts = graph.segments("ann").to_dict()
    # reports never read direct messages (docs/rules.md): ben's depth with ann reaches the
    # top-friend threshold only with his message, so the report counts him as engaged instead
    without_messages = {**counts, "top_friends": 0, "engaged_followers": 3}
    assert {name: row["accounts"] for name, row in found.items()} == without_messages
    assert counts == {
        "friends": 2,
        "followers_only": 3,
        "following_only": 1,
        "requests_in": 0,
        "requests_out": 0,
        "blocked": 1,
        "top_friends": 1,
        "engaged_followers": 2,
        "passive_followers": 2,
        "close_friends": 0,
    }
    assert found["friends"]["share"] == 0.4 and found["friends"]["share_of"] == "followers"
    assert found["following_only"]["share"] == pytest.approx(1 / 3, abs=1e-4)
    assert found["blocked"]["share"] is None


def test_audience_breakdown_defaults_are_the_engine_constants() -> None:
    report = {r.name: r for r in load_all(None)}["audience_breakdown"]
    defaults = {p.name: p.default for p in report.params}
    assert defaults["weights"] == {k: w for k, w in INTERACTION_WEIGHTS.items() if k != "message"}  # never read
    assert defaults["days"] == DEPTH_WINDOW_DAYS
    assert defaults["top_points"] == TOP_FRIEND_DEPTH - FRIEND_BONUS


def test_reciprocity_leaderboard(graph: Engine) -> None:
    assert rows(graph, "reciprocity_leaderboard", min_followers=2) == [
        {"id": "ben", "followers": 2, "friends": 2, "ratio": 1.0},
        {"id": "cat", "followers": 2, "friends": 2, "ratio": 1.0},
        {"id": "ann", "followers": 5, "friends": 2, "ratio": 0.4},
    ]
    assert rows(graph, "reciprocity_leaderboard", min_followers=3) == [
        {"id": "ann", "followers": 5, "friends": 2, "ratio": 0.4}
    ]
    assert len(rows(graph, "reciprocity_leaderboard", min_followers=1, limit=2)) == 2


def test_unreciprocated_follows(graph: Engine) -> None:
    pairs = {(r["follower"], r["followee"]) for r in rows(graph, "unreciprocated_follows")}
    assert pairs == {("dan", "ann"), ("eve", "ann"), ("ivy", "ann"), ("ann", "gus")}
    only = rows(graph, "unreciprocated_follows", user="ann")
    assert [(r["follower"], r["followee"]) for r in only] == [("ann", "gus")]
    assert isinstance(only[0]["since"], str)


def test_pending_requests_by_age(graph: Engine) -> None:
    bands = {r["age"]: r["requests"] for r in rows(graph, "pending_requests_by_age")}
    assert bands == {"under 1 day": 1, "1-7 days": 0, "7-30 days": 1, "30-90 days": 0, "90 days or more": 0}
    assert sum(r["requests"] for r in rows(graph, "pending_requests_by_age", target="ann")) == 0


def test_engagement_by_segment(graph: Engine) -> None:
    found = {r["segment"]: r for r in rows(graph, "engagement_by_segment", user="ann")}
    assert found["friends"] == {
        "segment": "friends",
        "likes": 2,
        "comments": 1,
        "duets": 1,
        "stitches": 0,
        "interactions": 4,
        "share": 0.6667,
    }
    assert (found["followers"]["likes"], found["followers"]["share"]) == (1, 0.1667)
    assert (found["others"]["likes"], found["others"]["share"]) == (1, 0.1667)


def test_post_resonance(graph: Engine) -> None:
    found = rows(graph, "post_resonance", user="ann")
    assert [r["post"] for r in found] == ["ann-3", "ann-2", "ann-1"]
    by_post = {
        r["post"]: (r["from_friends"], r["from_followers"], r["from_others"], r["resonates_with"]) for r in found
    }
    assert by_post == {"ann-3": (0, 0, 0, None), "ann-2": (1, 0, 0, "friends"), "ann-1": (3, 1, 1, "friends")}


def test_friends_only_reach(graph: Engine) -> None:
    found = rows(graph, "friends_only_reach")
    assert [(r["post"], r["audience"], r["engaged"], r["engagement_rate"]) for r in found] == [("ann-2", 2, 1, 0.5)]
    assert rows(graph, "friends_only_reach", author="eve") == []


def test_top_friend_clusters(graph: Engine) -> None:
    triangle = [{"a": "ann", "b": "ben", "c": "cat"}]
    assert rows(graph, "top_friend_clusters") == triangle
    for member in ("ann", "ben", "cat"):
        assert rows(graph, "top_friend_clusters", user=member) == triangle
    assert rows(graph, "top_friend_clusters", user="dan") == []


def test_dormant_followers(graph: Engine) -> None:
    found = rows(graph, "dormant_followers", user="ann")
    # cat's only activity is a like on a friends-only post: not public, so cat is dormant here
    assert [r["follower"] for r in found] == ["cat", "ivy", "eve"]
    assert found[0]["last_active"] is None and found[1]["last_active"] is None
    assert str(found[2]["last_active"]).startswith(str((datetime.now(UTC) - timedelta(days=200)).year))
    assert [r["follower"] for r in rows(graph, "dormant_followers", user="ann", days=365)] == ["cat", "ivy"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({}, "user", "required"),
        ({"user": "ann", "dayz": "3"}, "dayz", "not a parameter"),
        ({"user": "ann", "days": "soon"}, "days", "int"),
        ({"user": "ann", "days": 2.5}, "days", "int"),
        ({"user": "bad id!"}, "user", "ASCII"),
        ({"user": "ann", "weights": "[1]"}, "weights", "map"),
    ],
)
def test_parameter_errors_name_the_parameter(graph: Engine, params: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        graph.report_run("audience_breakdown", params)
    assert caught.value.field == field
    assert words in caught.value.problem


def test_text_values_are_read_by_their_declared_type(graph: Engine) -> None:
    assert rows(graph, "reciprocity_leaderboard", min_followers="3", limit="5") == rows(
        graph, "reciprocity_leaderboard", min_followers=3, limit=5
    )
    with pytest.raises(NotFound):
        graph.report_run("no_such_report")


@pytest.fixture
def analyst(config: Config, tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    folder = tmp_path / "reports"
    folder.mkdir()
    with Engine(config.with_(reports_dir=folder), apply_schema=False) as engine:
        yield engine, folder


def test_an_analyst_report_shows_at_once_and_runs(graph: Engine, analyst: tuple[Engine, Path]) -> None:
    engine, folder = analyst
    assert "top_followed" not in {r.name for r in engine.report_list()}
    (folder / "top_followed.cypher").write_text(
        "// name: top_followed\n"
        "// description: Accounts by followers.\n"
        "// param limit: int = 3 -- how many\n"
        "MATCH (a:Account)\n"
        "RETURN a.id AS id, COUNT { (a)<-[:FOLLOWS]-() } AS followers\n"
        "ORDER BY followers DESC, id LIMIT $limit\n"
    )
    listed = {r.name: r for r in engine.report_list()}
    assert listed["top_followed"].builtin is False
    assert [r["id"] for r in engine.report_run("top_followed", {"limit": 2}).rows] == ["ann", "ben"]
    drawn = engine.report_run("top_followed", {}, chart=folder / "top.png")  # no chart line: text + number columns
    assert png_size(Path(str(drawn.chart))) == CHART_SIZE


def test_a_report_that_writes_is_refused_by_the_database(graph: Engine, analyst: tuple[Engine, Path]) -> None:
    engine, folder = analyst
    (folder / "sneaky.cypher").write_text(
        "// name: sneaky\n// description: Tries to write.\n// param id: id = evil\n"
        "CREATE (a:Account {id: $id}) RETURN a.id AS id\n"
    )
    with pytest.raises(ReadOnly):
        engine.report_run("sneaky")
    with pytest.raises(NotFound):
        engine.user_show("evil")


def test_broken_report_files_are_named_in_the_error(analyst: tuple[Engine, Path]) -> None:
    engine, folder = analyst
    bad = folder / "bad.cypher"
    bad.write_text("// name: bad\n// description: x\n// param n: integer\nRETURN $n AS n\n")
    with pytest.raises(InvalidInput) as caught:
        engine.report_list()
    assert "bad.cypher" in str(caught.value) and "integer" in str(caught.value)
    bad.write_text("// name: other\n// description: x\nRETURN 1 AS n\n")
    with pytest.raises(InvalidInput, match=r"file is named bad\.cypher"):
        engine.report_list()
    bad.write_text("// name: audience_breakdown\n// description: x\nRETURN 1 AS n\n")
    bad.rename(folder / "audience_breakdown.cypher")
    with pytest.raises(InvalidInput, match="already used"):
        engine.report_list()


def test_chart_of_a_report_is_a_png(graph: Engine, tmp_path: Path) -> None:
    bar = graph.report_run("audience_breakdown", {"user": "ann"}, chart=tmp_path / "bar.png")
    assert bar.chart == str(tmp_path / "bar.png")
    assert png_size(tmp_path / "bar.png") == CHART_SIZE
    graph.report_run("engagement_by_segment", {"user": "ann"}, chart=tmp_path / "donut.png")
    assert png_size(tmp_path / "donut.png") == CHART_SIZE
    with pytest.raises(InvalidInput) as caught:
        graph.report_run("top_friend_clusters", {}, chart=tmp_path / "no.png")
    assert caught.value.field == "chart"
    with pytest.raises(InvalidInput):
        graph.report_run("audience_breakdown", {"user": "ann"}, chart=tmp_path / "chart.jpg")


def test_ego_picture(graph: Engine, tmp_path: Path) -> None:
    picture = graph.draw("ann", tmp_path / "ego.png")
    assert png_size(tmp_path / "ego.png") == EGO_SIZE
    assert picture.totals == {"friends": 2, "followers_only": 3, "following_only": 1}
    assert picture.drawn == picture.totals and not picture.truncated
    small = graph.draw("ann", tmp_path / "small.png", limit=3)
    assert small.drawn == {"friends": 1, "followers_only": 1, "following_only": 1}
    assert small.truncated
    assert png_size(tmp_path / "small.png") == EGO_SIZE
    with pytest.raises(NotFound):
        graph.draw("nobody", tmp_path / "x.png")


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_report_list_and_run(graph: Engine, env: dict[str, str], tmp_path: Path) -> None:
    code, out, err = cli("report", "list", "--json")
    assert code == 0, err
    assert sorted(r["name"] for r in json.loads(out)) == BUILTIN
    code, out, _ = cli("report", "list")
    assert code == 0 and "reciprocity_leaderboard" in out
    code, out, err = cli("report", "run", "reciprocity_leaderboard", "-p", "min_followers=3", "--json")
    assert code == 0, err
    assert json.loads(out) == [{"id": "ann", "followers": 5, "friends": 2, "ratio": 0.4}]
    code, out, _ = cli("report", "run", "reciprocity_leaderboard", "-p", "min_followers=3", "--format", "json")
    assert json.loads(out) == [{"id": "ann", "followers": 5, "friends": 2, "ratio": 0.4}]
    code, out, _ = cli("report", "run", "reciprocity_leaderboard", "-p", "min_followers=3", "--format", "csv")
    assert code == 0 and out.splitlines() == ["id,followers,friends,ratio", "ann,5,2,0.4"]
    chart = tmp_path / "audience.png"
    code, out, err = cli("report", "run", "audience_breakdown", "-p", "user=ann", "--chart", str(chart))
    assert code == 0, err
    assert "followers_only" in out and str(chart) in err
    assert png_size(chart) == CHART_SIZE


def test_cli_report_errors(graph: Engine, env: dict[str, str]) -> None:
    code, _, err = cli("report", "run", "audience_breakdown")
    assert code == 2 and err.strip() == "error: user: is required by report audience_breakdown (id)"
    code, _, err = cli("report", "run", "audience_breakdown", "-p", "user=ann", "-p", "days=many")
    assert code == 2 and err.startswith("error: days:")
    code, _, err = cli("report", "run", "nope")
    assert code == 3 and "report not found: nope" in err


def test_cli_draw(graph: Engine, env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "ego.png"
    code, out, err = cli("draw", "ann", "--out", str(target), "--limit", "3", "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["truncated"] is True and shown["totals"]["followers_only"] == 3
    assert png_size(target) == EGO_SIZE
    code, out, err = cli("draw", "ann", "--out", str(target), "--limit", "3")
    assert code == 0 and "larger than drawn" in err


def test_ego_limit_is_shared_so_small_segments_stay_whole() -> None:
    from mutuals.views.ego import shares

    assert shares({"friends": 0, "followers_only": 3085, "following_only": 2}, 120) == {
        "friends": 0,
        "followers_only": 118,
        "following_only": 2,
    }
    assert shares({"friends": 50, "followers_only": 50, "following_only": 50}, 90) == {
        "friends": 30,
        "followers_only": 30,
        "following_only": 30,
    }
    assert shares({"friends": 2, "followers_only": 3, "following_only": 1}, 10) == {
        "friends": 2,
        "followers_only": 3,
        "following_only": 1,
    }
