"""What the server does for each measured read: the statements the engine sends for the first
call of each operation (``bench.latency.operations``, the benchmark's own sample), run once with
``PROFILE`` on the graph a previous ``bench.run`` loaded, with their db hits and rows.

    python -m bench.profile --size M                  # every operation, ordinary and hub
    python -m bench.profile --size M --only segments,relationship

The figures go to bench/results/profile.json (docs/performance.md quotes them where a target is
not met). Unlike the timings, db hits do not depend on the load of the machine.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import neo4j

from mutuals import Engine

from . import latency
from .run import DATA, RESULTS, data_for, sample
from .server import running


def db_hits(plan: Any) -> tuple[int, list[tuple[str, int]]]:
    """Total db hits of a profiled plan, and the operators by their own db hits (largest first)."""
    own: list[tuple[str, int]] = []

    def walk(node: Any) -> int:
        hits = int(node.get("dbHits", 0))
        own.append((str(node.get("operatorType", "?")), hits))
        return hits + sum(walk(child) for child in node.get("children", []))

    total = walk(plan)
    return total, sorted(own, key=lambda x: -x[1])[:5]


def profile(size: str, only: set[str] | None, seed: int) -> dict[str, Any]:
    data = data_for(size, seed)
    s = sample(data)
    out: dict[str, Any] = {}
    with running(size, DATA / "servers" / size, fresh=False) as bench, Engine(bench.config) as engine:
        driver = bench.raw_driver()
        try:
            for name, variants in latency.operations(s).items():
                if only and name not in only:
                    continue
                for variant, calls in variants.items():
                    statements = latency.record(engine, calls[0])
                    figures = []
                    for text, params in statements:
                        with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
                            result = session.run("PROFILE " + text, params)  # type: ignore[arg-type]
                            rows = len(list(result))
                            summary = result.consume()
                        total, top = db_hits(summary.profile or {})
                        figures.append({"db_hits": total, "rows": rows, "top_operators": top})
                    out.setdefault(name, {})[variant] = {
                        "statements": len(statements),
                        "db_hits": sum(f["db_hits"] for f in figures),
                        "detail": figures,
                    }
                    hits = out[name][variant]["db_hits"]
                    print(f"{name:20} {variant:9} {len(statements)} statement(s) {hits:>9,} db hits")
        finally:
            driver.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="M")
    parser.add_argument("--only", default="", help="operations to profile (comma-separated); default all")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=RESULTS.with_name("profile.json"))
    args = parser.parse_args()
    only = {x for x in args.only.split(",") if x} or None
    figures = profile(args.size, only, args.seed)
    previous = json.loads(args.out.read_text()) if args.out.is_file() else {}
    previous[args.size] = figures
    args.out.write_text(json.dumps(previous, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
