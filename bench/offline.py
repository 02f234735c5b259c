"""The offline initial load (`mutuals import --offline`) of a generated graph, measured: the
preparation in Python, Neo4j's batch importer, and the first start with the schema built.

    python -m bench.offline --size M --runs 3 --load-only    # the load alone, three times

prints one JSON line a run (the load average before and after it: the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from pathlib import Path
from typing import Any

from mutuals import Config, Engine
from mutuals.bulk.offline import load

from .server import server_for


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(size: str, data: Path, home: Path, *, verify: bool = True, keep: bool = False) -> dict[str, Any]:
    """One offline load of ``data`` into a fresh server home; with ``verify``, the first start,
    the schema built by the first engine, and ``doctor`` too; with ``keep``, the graph stays for
    what is measured on it next (else only the load is measured and the store is deleted)."""
    shutil.rmtree(home, ignore_errors=True)
    server = server_for(size, home)
    load_before = os.getloadavg()
    cpu, children = time.process_time(), _children_cpu()
    summary = load(server, data, home / "offline")
    out = summary.to_dict()
    out.pop("rejects_files", None)
    # CPU seconds: this process (the preparation's deciding part), and its children (the
    # preparation's readers, then the batch importer's JVM)
    out["process_cpu_seconds"] = round(time.process_time() - cpu, 3)
    out["children_cpu_seconds"] = round(_children_cpu() - children, 3)
    out["load_average"] = [[round(x, 2) for x in load_before], [round(x, 2) for x in os.getloadavg()]]
    total = out["prepare_seconds"] + out["import_seconds"]
    out["end_to_end_relationships_per_second"] = round(out["relationships"] / total, 1) if total else 0.0
    out["end_to_end_vs_importer"] = round(out["import_seconds"] / total, 3) if total else 0.0
    if not verify:
        shutil.rmtree(home / "neo4j" / "data", ignore_errors=True)
        return out
    start = time.perf_counter()
    status = server.start(timeout=1800)
    out["first_start_seconds"] = round(time.perf_counter() - start, 3)
    try:
        start = time.perf_counter()
        config = Config(uri=status.uri, username="neo4j", password=server.password(), home=home, auto_start=False)
        with Engine(config) as engine:  # creates the constraints and indexes, waits until they are online
            out["schema_seconds"] = round(time.perf_counter() - start, 3)
            doctor = engine.doctor()
            out["doctor_ok"] = doctor.ok
            out["doctor_violations"] = doctor.violations
    finally:
        server.stop()
        if not keep:
            shutil.rmtree(home / "neo4j" / "data", ignore_errors=True)  # the data is only measured
    return out


def main() -> None:
    from .run import DATA, data_for

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="M", help="XS, S, M or L (generated in bench/data/SIZE when missing)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--load-only", action="store_true", help="no first start, schema or doctor")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    data = data_for(args.size, args.seed)
    for run in range(args.runs):
        out = measure(args.size, data, DATA / "servers" / f"{args.size}-offline", verify=not args.load_only)
        print(json.dumps({"size": args.size, "run": run, **out}), flush=True)


if __name__ == "__main__":
    main()
