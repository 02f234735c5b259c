"""How fast the command line answers: Python start-up and set-up of `mutuals`, against a bare
``python -c pass`` of the same interpreter (docs/performance.md, "CLI start-up").

    .venv/bin/python -m bench.startup [--runs 15] [--json bench/results/startup.json]   # make bench-startup

Measures, in alternating rounds (so a drift of the machine hits every command alike), the wall
and CPU time (user + system, of the child) of:

- ``python -c pass``: the interpreter alone, the baseline;
- ``python -c "import mutuals.cli.main"``: the CLI's imports;
- ``mutuals --help``;
- ``mutuals user show startup-probe --json``: a simple read against an embedded server this
  script starts (bench/server.py), the schema already applied.

A read's own time in the database is not start-up: the same ``user_show`` timed in this process
on a warm engine is subtracted to give the read's start-up and set-up (imports, driver,
connection, the schema check). The medians are printed with the ratio of each to the baseline
and the machine's load average (the figures are noisy on a loaded machine: run it several
times).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mutuals import Engine

from .server import running

PROBE = "startup-probe"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv`` (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def warm_read_seconds(engine: Engine, runs: int) -> float:
    """The median time of ``user_show`` on a warm engine: the read itself, with no set-up."""
    engine.user_show(PROBE)
    times = []
    for _ in range(max(runs, 20)):
        start = time.perf_counter()
        engine.user_show(PROBE)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def schema_check_seconds(engine: Engine, runs: int) -> float:
    """The median time of ``apply_schema`` when every index exists (what each CLI call pays)."""
    times = []
    for _ in range(max(runs, 20)):
        start = time.perf_counter()
        assert engine.apply_schema() == []
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(runs: int) -> dict[str, Any]:
    python = sys.executable
    mutuals = str(Path(python).with_name("mutuals"))
    with tempfile.TemporaryDirectory(prefix="mutuals-startup-") as home, running("XS", Path(home)) as bench:
        with Engine(bench.config) as engine:
            engine.user_add(PROBE)
            read = warm_read_seconds(engine, runs)
            schema = schema_check_seconds(engine, runs)
        env = {
            **os.environ,
            "NEO4J_URI": str(bench.config.uri),
            "NEO4J_USERNAME": "neo4j",
            "NEO4J_PASSWORD": bench.password,
            "MUTUALS_HOME": str(Path(home) / "cli-home"),
            "MUTUALS_AUTO_START": "0",
        }
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "import mutuals.cli.main": [python, "-c", "import mutuals.cli.main"],
            "mutuals --help": [mutuals, "--help"],
            f"mutuals user show {PROBE}": [mutuals, "user", "show", PROBE, "--json"],
        }
        for argv in commands.values():  # once each, untimed: the files are in the page cache
            timed(argv, env)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                wall, cpu = timed(argv, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    rows = {}
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        rows[name] = {"wall": wall, "cpu": cpu, "wall_ratio": wall / base_wall, "cpu_ratio": cpu / base_cpu}
    read_name = f"mutuals user show {PROBE}"
    rows[read_name]["read_in_database"] = read
    rows[read_name]["startup_and_setup"] = rows[read_name]["wall"] - read
    return {
        "runs": runs,
        "load_average": os.getloadavg(),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "schema_check": schema,
        "commands": rows,
    }


def table(figures: dict[str, Any]) -> str:
    lines = [
        "| command | wall (median) | x `python -c pass` | CPU (median) | x `python -c pass` |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in figures["commands"].items():
        lines.append(
            f"| `{name}` | {row['wall'] * 1000:.0f} ms | {row['wall_ratio']:.1f} | "
            f"{row['cpu'] * 1000:.0f} ms | {row['cpu_ratio']:.1f} |"
        )
    read = figures["commands"][f"mutuals user show {PROBE}"]
    load = ", ".join(f"{x:.1f}" for x in figures["load_average"])
    lines += [
        "",
        f"The read's start-up and set-up: {read['startup_and_setup'] * 1000:.0f} ms of its "
        f"{read['wall'] * 1000:.0f} ms (the read itself, warm: {read['read_in_database'] * 1000:.1f} ms); "
        f"the schema check each engine makes at start: {figures['schema_check'] * 1000:.1f} ms.",
        f"{figures['runs']} alternating rounds; load average {load} on {figures['cores']} cores; "
        f"Python {figures['python']}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15, help="alternating rounds (default 15)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    figures = measure(args.runs)
    print(table(figures))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
