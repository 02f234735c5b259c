"""Benchmark: import N follows among M accounts with `mutuals import`, and report rows/s.

    python -m bench.import_follows --follows 1000000 --accounts 100000 --out /tmp/bench-import

Writes ``users.csv`` and ``follows.csv`` (deterministic: a fixed seed; followees drawn with a
heavy tail, so some accounts are hubs), wipes the database the engine points at (``NEO4J_URI``,
else the embedded server of ``MUTUALS_HOME``/``MUTUALS_PORT``), imports both files through
``Engine.import_`` (the code path of `mutuals import`), re-imports the follows to show a re-run
writes nothing, and prints the numbers. Never run it against a database you care about.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from pathlib import Path

from mutuals import Engine


def write_files(out: Path, accounts: int, follows: int, seed: int) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    users, edges = out / "users.csv", out / "follows.csv"
    ids = [f"a{i:07d}" for i in range(accounts)]
    with open(users, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "private"])
        for i, uid in enumerate(ids):
            writer.writerow([uid, "true" if i % 10 == 0 else "false"])
    rng = random.Random(seed)
    seen: set[tuple[int, int]] = set()
    with open(edges, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["follower", "followee"])
        while len(seen) < follows:
            a = rng.randrange(accounts)
            b = min(int(rng.paretovariate(1.2)) - 1, accounts - 1) if rng.random() < 0.2 else rng.randrange(accounts)
            if a == b or (a, b) in seen:
                continue
            seen.add((a, b))
            writer.writerow([ids[a], ids[b]])
    return users, edges


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--follows", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("/tmp/mutuals-bench-import"))
    parser.add_argument("--keep", action="store_true", help="do not wipe the database first")
    args = parser.parse_args()

    started = time.perf_counter()
    users, edges = write_files(args.out, args.accounts, args.follows, args.seed)
    print(f"generated {args.accounts:,} accounts and {args.follows:,} follows in {time.perf_counter() - started:.1f}s")
    with Engine.from_env() as engine:
        if not args.keep:  # relationships first, in chunks: a hub's DETACH DELETE would not fit in memory
            for statement in (
                "MATCH ()-[r]->() WITH r LIMIT 50000 DELETE r RETURN count(*) AS n",
                "MATCH (n) WITH n LIMIT 50000 DETACH DELETE n RETURN count(*) AS n",
            ):
                while engine.query(statement, write=True).rows[0]["n"]:
                    pass
        results = {}
        steps = (("users", "users", users), ("follows", "follows", edges), ("re-run", "follows", edges))
        for name, kind, path in steps:
            summary = engine.import_(kind, path, batch_size=args.batch_size)
            results[name] = summary.to_dict()
            print(
                f"{name:8} read {summary.read:>10,}  written {summary.written:>10,}  unchanged {summary.unchanged:>10,}"
                f"  rejected {summary.rejected:>6,}  {summary.seconds:7.1f}s  {summary.rows_per_second:>10,.0f} rows/s"
            )
        doctor = engine.doctor()
        print("doctor:", "ok" if doctor.ok else doctor.to_dict())
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
