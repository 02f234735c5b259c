"""For analysts: every report runs from a raw Neo4j driver given the runnable text of `report
show` and its parameters (integers sent as floats too, as the JavaScript driver sends them),
results as pandas DataFrames and Parquet files, docs/reports.md generated from the reports'
headers, docs/analysts.md's example, and a CLI that imports only what a command needs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest
from helpers import follows, people, wipe
from typer.testing import CliRunner

from mutuals import Config, Engine, InvalidInput, MutualsError, NotFound
from mutuals.base.errors import MissingExtra
from mutuals.base.values import plain
from mutuals.cli.main import app
from mutuals.views.reports import builtin_dir
from tools import reportdoc

ROOT = Path(__file__).parent.parent
runner = CliRunner()
BUILTIN = sorted(path.stem for path in builtin_dir().glob("*.cypher"))

# what each report is given besides its defaults (chosen so that every report returns rows)
GIVEN: dict[str, dict[str, Any]] = {
    "audience_breakdown": {"user": "ann"},
    "top_friend_clusters": {"user": "ann"},
    "dormant_followers": {"user": "ann"},
    "engagement_by_segment": {"user": "ann"},
    "friends_only_reach": {},
    "pending_requests_by_age": {},
    "post_resonance": {"user": "ann"},
    "reciprocity_leaderboard": {"min_followers": 1},
    "unreciprocated_follows": {},
}


@pytest.fixture(scope="module")
def graph(session_engine: Engine) -> Iterator[Engine]:
    e = session_engine
    wipe(e)
    people(e, "ann", "ben", "cat", "dan", "eve", "fay", "gus", private=("fay",))
    follows(e, "ann<>ben", "ann<>cat", "ben<>cat", "dan>ann", "eve>ann", "ann>gus")
    e.follow("ben", "fay")  # a pending request
    e.post_add("ann-1", "ann", "public")
    e.post_add("ann-2", "ann", "friends")
    e.interact("like", "ben", "ann-1")
    e.interact("comment", "ben", "ann-1")
    e.interact("like", "cat", "ann-2")
    e.interact("like", "dan", "ann-1")
    yield e
    wipe(e)


@pytest.fixture(scope="module")
def driver(config: Config) -> Iterator[neo4j.Driver]:
    """The raw Neo4j driver: a client that knows nothing of mutuals."""
    with neo4j.GraphDatabase.driver(str(config.uri), auth=(config.username, config.password or "")) as d:
        yield d


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def raw_rows(driver: neo4j.Driver, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(text, params, routing_=neo4j.RoutingControl.READ)
    return [{key: plain(value) for key, value in record.items()} for record in records]


def test_every_report_is_given_rows_here() -> None:
    assert sorted(GIVEN) == BUILTIN


def test_a_float_limit_is_what_breaks_a_plain_report(graph: Engine, driver: neo4j.Driver) -> None:
    """Why the reports say ``LIMIT toInteger($limit)``: Neo4j refuses a float LIMIT."""
    with pytest.raises(neo4j.exceptions.Neo4jError):
        raw_rows(driver, "MATCH (a:Account) RETURN a.id AS id LIMIT $limit", {"limit": 2.0})
    assert len(raw_rows(driver, "MATCH (a:Account) RETURN a.id AS id LIMIT toInteger($limit)", {"limit": 2.0})) == 2


@pytest.mark.parametrize("name", BUILTIN)
def test_report_show_text_runs_on_the_raw_driver_with_floats(
    graph: Engine, env: dict[str, str], driver: neo4j.Driver, name: str
) -> None:
    code, text, err = cli("report", "show", name)
    assert code == 0, err
    assert text == graph.report_show(name).text + "\n"
    assert "{{" not in text and "//" not in text.splitlines()[0]
    code, shown, err = cli("report", "show", name, "--json")
    assert code == 0, err
    declared = json.loads(shown)
    assert declared["name"] == name and declared["text"] == text.rstrip("\n")
    # what a client sends: every declared parameter, the defaults from --json, the values it chose
    params = {p["name"]: p.get("default") for p in declared["params"]} | GIVEN[name]
    expected = [dict(row) for row in graph.report_run(name, GIVEN[name]).rows]
    assert expected, f"{name} returns no rows on this graph: the comparison would prove nothing"
    assert raw_rows(driver, text, params) == expected
    ints = [p["name"] for p in declared["params"] if p["type"] == "int"]
    as_floats = {k: float(v) if k in ints else v for k, v in params.items()}
    assert all(isinstance(as_floats[k], float) for k in ints)
    assert raw_rows(driver, text, as_floats) == expected, f"{name} with {ints} as floats"


def test_a_smaller_float_limit_is_honoured(graph: Engine, driver: neo4j.Driver) -> None:
    text = graph.report_show("unreciprocated_follows").text
    assert len(raw_rows(driver, text, {"user": None, "limit": 100.0})) == 3
    for n in (1, 2):
        assert len(raw_rows(driver, text, {"user": None, "limit": float(n)})) == n


def test_report_show_on_both_engines_and_its_errors(
    graph: Engine, session_async_engine: Any, env: dict[str, str]
) -> None:
    for name in BUILTIN:
        assert session_async_engine.report_show(name).text == graph.report_show(name).text
    inlined = graph.report_show("friends_only_reach")
    assert "{{" in Path(inlined.path).read_text() and "{{" not in inlined.text
    with pytest.raises(NotFound):
        graph.report_show("no_such_report")
    with pytest.raises(InvalidInput) as caught:
        session_async_engine.report_show("Bad Name")
    assert caught.value.field == "report"
    code, _, err = cli("report", "show", "no_such_report")
    assert code == 3 and "report not found" in err


# -- DataFrames and Parquet ------------------------------------------------------------------------


def test_to_pandas_keeps_columns_and_rows(graph: Engine) -> None:
    result = graph.report_run("reciprocity_leaderboard", {"min_followers": 1})
    frame = result.to_pandas()
    assert list(frame.columns) == list(result.columns) == ["id", "followers", "friends", "ratio"]
    assert frame.to_dict("records") == [dict(row) for row in result.rows]
    assert frame.loc[frame["id"] == "ann", "followers"].item() == 4
    empty = graph.report_run("friends_only_reach", {"author": "eve"}).to_pandas()
    assert empty.empty and list(empty.columns) == [
        "post",
        "author",
        "created_at",
        "audience",
        "engaged",
        "engagement_rate",
    ]


def test_to_pandas_without_the_extra_names_it(graph: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    result = graph.report_run("pending_requests_by_age")
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    with pytest.raises(MissingExtra) as caught:
        result.to_pandas()
    assert "mutuals[analysts]" in str(caught.value) and caught.value.name == "pandas"
    assert isinstance(caught.value, ImportError) and isinstance(caught.value, MutualsError)


def test_cli_writes_parquet_csv_and_json_files(graph: Engine, env: dict[str, str], tmp_path: Path) -> None:
    expected = [dict(row) for row in graph.report_run("audience_breakdown", {"user": "ann"}).rows]
    target = tmp_path / "audience.parquet"
    code, out, err = cli(
        "report", "run", "audience_breakdown", "-p", "user=ann", "--format", "parquet", "-o", str(target)
    )
    assert code == 0, err
    assert out == "" and f"10 rows written to {target}" in err
    frame = pd.read_parquet(target)
    assert list(frame.columns) == ["segment", "accounts", "share", "share_of"]
    assert frame["segment"].tolist() == [row["segment"] for row in expected]
    assert frame["accounts"].tolist() == [row["accounts"] for row in expected]
    code, out, err = cli(
        "report", "run", "audience_breakdown", "-p", "user=ann", "-f", "parquet", "-o", str(target), "--json"
    )
    assert code == 0, err
    assert json.loads(out) == {"report": "audience_breakdown", "format": "parquet", "rows": 10, "out": str(target)}
    as_json = tmp_path / "rows.json"
    code, out, err = cli("report", "run", "audience_breakdown", "-p", "user=ann", "-f", "json", "--out", str(as_json))
    assert code == 0 and out == "", err
    assert json.loads(as_json.read_text()) == expected
    as_csv = tmp_path / "rows.csv"
    code, _, err = cli(
        "report", "run", "reciprocity_leaderboard", "-p", "min_followers=3", "-f", "csv", "-o", str(as_csv)
    )
    assert code == 0, err
    assert as_csv.read_text().splitlines() == ["id,followers,friends,ratio", "ann,4,2,0.5"]


def test_cli_parquet_needs_a_file_and_a_table_is_not_one(graph: Engine, env: dict[str, str], tmp_path: Path) -> None:
    code, out, err = cli("report", "run", "audience_breakdown", "-p", "user=ann", "--format", "parquet")
    assert code == 2 and out == ""
    assert err.strip() == "error: out: --format parquet writes a binary file: give --out FILE"
    code, _, err = cli("report", "run", "audience_breakdown", "-p", "user=ann", "--out", str(tmp_path / "t.txt"))
    assert code == 2 and "not a table" in err
    assert not (tmp_path / "t.txt").exists()
    code, _, err = cli(
        "report", "run", "audience_breakdown", "-p", "user=ann", "-f", "json", "-o", str(tmp_path / "no" / "x.json")
    )
    assert code == 2 and err.startswith("error: out: cannot write")
    code, _, err = cli("report", "run", "audience_breakdown", "-p", "user=ann", "-f", "parquet", "-o", str(tmp_path))
    assert code == 2 and err.startswith("error: out: cannot write"), err


# -- the docs --------------------------------------------------------------------------------------


def test_reports_doc_is_generated_from_the_headers() -> None:
    page = (ROOT / "docs" / "reports.md").read_text()
    assert reportdoc.generated(page) == page, "docs/reports.md is out of date: run `make reports-doc`"
    for name in BUILTIN:
        assert f"### {name}\n" in page
    assert "| `days` | int | `90` |" in page  # a default, as the header declares it


def test_analysts_doc_example_runs(
    session_engine: Engine, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    wipe(session_engine)  # the demo runs on an empty database (it refuses accounts it did not create)
    for _ in session_engine.demo():  # the sample community the page's example reads
        pass
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "analysts.md").read_text(), flags=re.DOTALL)
    assert len(blocks) == 1
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    exec(compile(blocks[0], "docs/analysts.md", "exec"), {})
    shown = capsys.readouterr().out
    assert "('segment', 'accounts', 'share', 'share_of')" in shown
    assert re.search(r"^\s*friends\s+\d+\s+[\d.]+$", shown, flags=re.MULTILINE), shown
    assert shown.rstrip().endswith("True")  # the Parquet file reads back as the same DataFrame
    assert (tmp_path / "audience.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wipe(session_engine)


# -- start-up: what the CLI imports ------------------------------------------------------------------

HEAVY = ("neo4j", "numpy", "matplotlib", "pandas", "pyarrow", "fastapi", "jinja2")
# what building the options and the help needs none of: the operations, the views, the bulk
# loads, the rules, the plans and the progress bars (their bounds live in mutuals.base.limits)
NOT_FOR_HELP = ("mutuals.ops", "mutuals.views", "mutuals.bulk", "mutuals.rules", "mutuals.io.plan", "rich.progress")
PROBE = """
import sys
sys.argv = ["mutuals", *sys.argv[1:]]
from mutuals.cli.main import main
try:
    main()
except SystemExit:
    pass
print("IMPORTED", *sorted(m for m in sys.modules if m.startswith({prefixes!r})))
"""


def imported_by(*argv: str, env: dict[str, str] | None = None, prefixes: tuple[str, ...] = HEAVY) -> set[str]:
    """The modules a `mutuals ...` process imported whose names start with one of ``prefixes``
    (its last line of stdout); by default the heavy packages themselves (a submodule of one is
    only imported with it)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(prefixes=prefixes), *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("IMPORTED"), done.stdout[-2000:] + done.stderr
    found = set(last.split()[1:])
    return found if prefixes is not HEAVY else {m for m in found if m in HEAVY}


def test_help_imports_no_heavy_module() -> None:
    assert imported_by("--help") == set()
    assert imported_by("report", "run", "--help") == set()


@pytest.mark.parametrize("argv", [("--help",), ("preview", "block", "--help"), ("demo", "--help")])
def test_help_imports_none_of_the_operations(argv: tuple[str, ...]) -> None:
    assert imported_by(*argv, prefixes=NOT_FOR_HELP) == set()


def test_a_read_imports_the_driver_only(graph: Engine, env: dict[str, str]) -> None:
    assert imported_by("user", "show", "ann", "--json", env=env) == {"neo4j"}
