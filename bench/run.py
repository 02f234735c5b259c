"""The benchmark: generate a graph, load it, measure every read, side by side, write the figures.

    python -m bench.run --sizes S,M                  # load + latency on S and M
    python -m bench.run --sizes L --load-only        # load figures of L (online and offline)
    python -m bench.run --sizes XS --seconds 0.1     # the smoke test CI runs (make bench-small)
    python -m bench.run --sizes M --reuse            # the latency again, on the graph the last run loaded
    python -m bench.run --sizes M --writes-only      # the write figures alone (engine vs raw driver)

Each size gets its own embedded server (a fresh home under bench/data/, a free port, heap and
page cache sized for the graph). Figures are merged into the results file (``--out``), keyed by
size, with the machine they were measured on; ``bench.report`` turns them into charts and the
table of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import numpy as np

from mutuals import Engine

from . import latency, load, offline, rustext, writes
from .generate import SIZES, generate
from .server import MEMORY, Bench, running

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results" / "bench.json"


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, flush=True)


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "driver": neo4j.__version__,
        "rust_ext": rust_ext_loaded(),
        "os": platform.platform(),
    }


def rust_ext_loaded() -> bool:
    from neo4j._codec.packstream import v1

    return getattr(v1, "_rust_pack", None) is not None


def server_version(driver: neo4j.Driver) -> str:
    """The Neo4j version the benchmark ran against."""
    return str(driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v")[0][0]["v"])


def data_for(size: str, seed: int) -> Path:
    out = DATA / size
    summary = out / "summary.json"
    if not summary.is_file() or json.loads(summary.read_text()).get("seed") != seed:
        log(f"generating {size} in {out}")
        generate(SIZES[size], out, seed)
    return out


def sample(data: Path, ordinary: int = 20, hubs: int = 3) -> latency.Sample:
    """Ordinary accounts (in-degree between the median and twice it, following someone) and hubs."""
    summary = json.loads((data / "summary.json").read_text())
    n = summary["accounts"]
    codes = np.loadtxt(data / "follows.csv", delimiter=",", skiprows=1, dtype=str, converters=lambda s: s[1:])
    follower, followee = codes[:, 0].astype(np.int64), codes[:, 1].astype(np.int64)
    indeg = np.bincount(followee, minlength=n)
    outdeg = np.bincount(follower, minlength=n)
    median = max(1, int(np.median(indeg)))
    pool = np.flatnonzero((indeg >= median) & (indeg <= 2 * median) & (outdeg >= 1))
    picked = np.random.default_rng(1).choice(pool, size=min(ordinary, pool.size), replace=False)
    top = np.argsort(-indeg)[:hubs]
    ids = {int(i): f"u{int(i):07d}" for i in [*picked.tolist(), *top.tolist()]}
    wanted = set(ids.values())
    posts_by: dict[str, list[str]] = {}
    any_posts: list[str] = []
    with (data / "posts.csv").open() as handle:
        next(handle)
        for line in handle:
            pid, author, visibility, _ = line.rstrip("\n").split(",", 3)
            if len(any_posts) < 5000:
                any_posts.append(pid)
            if author in wanted and visibility in ("public", "followers"):
                posts_by.setdefault(author, []).append(pid)
    return latency.Sample(
        ordinary=[ids[int(i)] for i in picked],
        hubs=[ids[int(i)] for i in top],
        posts_by=posts_by,
        any_posts=any_posts,
        degrees={uid: int(indeg[i]) for i, uid in ids.items()},
    )


def driver_figures(bench: Bench, s: latency.Sample, seconds: float) -> dict[str, Any]:
    """neo4j-rust-ext on and off (bench.rustext): the floor, a page of 50 checks, a 10k-row batch."""
    posts = s.any_posts[:50]
    out = rustext.compare(bench.config.uri or "", bench.server.password_file, s.ordinary[0], posts, seconds)
    for name, d in out.items():
        with_ext, without = d["rust_ext"]["p50_ms"], d["pure_python"]["p50_ms"]
        log(f"  driver {name}: p50 {with_ext} ms with neo4j-rust-ext, {without} without")
    return out


def bench_size(size: str, args: argparse.Namespace, before: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every figure of one size. With ``args.reuse`` the graph a previous run loaded (and its load
    and offline figures, from ``before``) is kept, and only the latency is measured again."""
    data = data_for(size, args.seed)
    reuse = bool(args.reuse and before and "load" in before and (DATA / "servers" / size).is_dir())
    summary = json.loads((data / "summary.json").read_text())
    heap, cache = MEMORY[size]
    result: dict[str, Any] = {
        "graph": summary,
        "server": {"heap": heap, "page_cache": cache},
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    if reuse and before is not None:
        result.update({k: before[k] for k in ("load", "offline", "load_average_before") if k in before})
        result["latency_remeasured"] = result["started"]
        result["started"] = before.get("started", result["started"])
    elif size in args.offline:
        log(f"{size}: offline load")
        home = DATA / "servers" / f"{size}-offline"
        result["offline"] = offline.measure(size, data, home, keep=size in args.on_offline)
    if args.writes_only:
        return writes_only(size, data, args, before or {}, result)
    if size in args.on_offline:
        return on_offline(size, data, args, before or {}, result)
    with running(size, DATA / "servers" / size, fresh=not reuse) as bench, Engine(bench.config) as engine:
        driver = bench.raw_driver()
        try:
            result["neo4j"] = server_version(driver)
            log(f"{size}: load ({summary['accounts']:,} accounts, {summary['follows']:,} follows)")
            raw_rows = args.raw_rows if args.load_only else 0
            if not reuse:
                result["load"] = load.measure(
                    engine,
                    driver,
                    data,
                    raw_rows=raw_rows,
                    engine_rows=args.engine_rows if args.load_only else 0,
                    full=not args.load_only,
                    log=log,
                )
                if args.load_only and args.engine_rows:
                    result["load"]["engine_rows"] = args.engine_rows
            if not args.load_only:
                s = sample(data)
                result["sample"] = {"ordinary": s.ordinary, "hubs": s.hubs, "in_degree": s.degrees}
                log(f"{size}: latency ({args.seconds}s per cell, clients {args.clients})")
                only = set(args.only.split(",")) if args.only else None
                measured = latency.run_all(
                    engine, driver, s, seconds=args.seconds, clients=tuple(args.clients), only=only, log=log
                )
                if only and reuse and before is not None and "latency" in before:
                    # some operations measured again: the others keep their figures
                    measured["floor"] = before["latency"]["floor"]
                    measured["operations"] = {**before["latency"]["operations"], **measured["operations"]}
                    result["driver"] = before.get("driver", {})
                else:
                    result["driver"] = driver_figures(bench, s, args.seconds)
                result["latency"] = measured
                if not only:  # the writes change the graph: after every read
                    log(f"{size}: writes ({args.seconds}s per cell, clients {args.clients})")
                    result["writes"] = writes.run_all(
                        engine, driver, data, seconds=args.seconds, clients=tuple(args.clients), log=log
                    )
            doctor = engine.doctor()
            result["doctor_ok"] = doctor.ok
        finally:
            driver.close()
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def on_offline(
    size: str, data: Path, args: argparse.Namespace, before: dict[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    """The latency measured on the graph the offline import just built (no online load: on L the
    online load takes most of an hour); the online load figures of ``before`` are kept, with the
    time they were measured. The writes are not measured here (they are M's figures)."""
    if "offline" not in result:
        raise SystemExit(f"--on-offline {size} needs --offline {size}: the graph is the offline import's")
    with running(size, DATA / "servers" / f"{size}-offline", fresh=False) as bench, Engine(bench.config) as engine:
        driver = bench.raw_driver()
        try:
            result["neo4j"] = server_version(driver)
            s = sample(data)
            result["sample"] = {"ordinary": s.ordinary, "hubs": s.hubs, "in_degree": s.degrees}
            log(f"{size}: latency on the offline-built graph ({args.seconds}s per cell, clients {args.clients})")
            result["latency"] = latency.run_all(
                engine, driver, s, seconds=args.seconds, clients=tuple(args.clients), log=log
            )
            result["latency_graph"] = "offline"
            result["doctor_ok"] = engine.doctor().ok
        finally:
            driver.close()
    if "load" in before:
        result["load"] = before["load"]
        result["load_measured"] = before.get("load_measured", before.get("started"))
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def writes_only(
    size: str, data: Path, args: argparse.Namespace, before: dict[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    """The write figures alone: a fresh server loaded by the engine's import (accounts, follows,
    posts, requests, blocks: the graph the full run loads; its load figures are not recorded),
    then the writes; every other figure of ``before`` is kept."""
    with running(size, DATA / "servers" / f"{size}-writes", fresh=True) as bench, Engine(bench.config) as engine:
        driver = bench.raw_driver()
        try:
            for kind in ("users", "follows", "posts", "requests", "blocks"):
                figures = load.engine_import(engine, data, kind)
                log(f"  load {kind:12} {figures['rows']:>10,} rows {figures['rows_per_second']:>10,.0f} rows/s")
            log(f"{size}: writes ({args.seconds}s per cell, clients {args.clients})")
            measured = writes.run_all(engine, driver, data, seconds=args.seconds, clients=tuple(args.clients), log=log)
        finally:
            driver.close()
    return {
        **before,
        "writes": measured,
        "writes_measured": result["started"],
        "writes_load_average": [result["load_average_before"], [round(x, 2) for x in os.getloadavg()]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="S,M", help="comma-separated: XS, S, M, L")
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="only the load figures (what L runs); the size's other figures are kept",
    )
    parser.add_argument(
        "--raw-rows", type=int, default=1_000_000, help="with --load-only: rows of each file the raw patterns load"
    )
    parser.add_argument(
        "--engine-rows",
        type=int,
        default=0,
        help="with --load-only: the engine imports only the first rows of follows and posts (0: all)",
    )
    parser.add_argument("--offline", default="", help="sizes that also measure `mutuals import --offline`")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per latency cell")
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=list(latency.CLIENTS))
    parser.add_argument(
        "--reuse", action="store_true", help="keep the graph a previous run loaded; measure the latency again"
    )
    parser.add_argument("--only", default="", help="with --reuse: measure these operations again (comma-separated)")
    parser.add_argument(
        "--writes-only",
        action="store_true",
        help="measure the writes alone (on a graph loaded afresh by the engine); keep every other figure",
    )
    parser.add_argument(
        "--on-offline",
        default="",
        help="sizes (also in --offline) measured on the graph the offline import built: latency, no online load",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.offline = {s for s in args.offline.split(",") if s}
    args.on_offline = {s for s in args.on_offline.split(",") if s}
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    results: dict[str, Any] = json.loads(args.out.read_text()) if args.out.is_file() else {}
    results["machine"] = machine()
    results.setdefault("sizes", {})
    for size in sizes:
        started = time.perf_counter()
        before = results["sizes"].get(size)
        results["sizes"][size] = bench_size(size, args, before)
        if args.load_only and before:  # the figures not measured again keep the run that measured them
            results["sizes"][size] = {**before, **results["sizes"][size]}
        took = round(time.perf_counter() - started, 1)
        if args.writes_only:  # the other figures keep the time of the run that measured them
            results["sizes"][size]["writes_seconds"] = took
            results["sizes"][size]["seconds"] = (before or {}).get("seconds", took)
        else:
            results["sizes"][size]["seconds"] = took
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
        tmp.replace(args.out)
        log(f"{size}: done in {took}s -> {args.out}")


if __name__ == "__main__":
    main()
