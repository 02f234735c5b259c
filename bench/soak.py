"""A soak: mixed reads and writes for a long time, then the checks of tests/test_soak.py.

    python -m bench.soak --minutes 10 [--threads 8]

Uses the configured database (``NEO4J_URI``..., else the embedded server), on accounts whose ids
start with ``soak`` (deleted afterwards). Prints a summary and writes it to
``bench/results/soak-<time>.json``; exits 1 if an operation failed, an invariant broke, or
connections grew.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.workload import Workload, client_sockets, open_transactions, server_connections
from mutuals import Engine

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--prefix", default="soak")
    args = parser.parse_args(argv)

    with Engine.from_env() as admin:
        port = int(admin.uri.rsplit(":", 1)[1].split("/")[0])
        before_sockets = client_sockets(port)
        before_server = server_connections(admin)
        with Engine.from_env() as engine:
            work = Workload(engine, prefix=args.prefix)
            work.setup()
            print(f"soak: {args.threads} threads for {args.minutes} min on {engine.uri} ...", flush=True)
            result = work.run(args.minutes * 60, threads=args.threads, sample_every=10.0)
            doctor = engine.doctor()
            work.cleanup()
        after_sockets = client_sockets(port)
        after_server = server_connections(admin)
        still_open = open_transactions(admin)

    summary = {
        **result.to_dict(),
        "doctor_ok": doctor.ok,
        "violations": doctor.violations,
        "client_sockets_before": before_sockets,
        "client_sockets_after_close": after_sockets,
        "server_connections_before": before_server,
        "server_connections_after_close": after_server,
        "open_transactions_after": still_open,
        "by_operation": dict(result.by_operation.most_common()),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"soak-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "by_operation"}, indent=2))
    print(f"written to {out}")
    grew = result.samples and result.samples[-1][1] > max(s[1] for s in result.samples[: len(result.samples) // 2 + 1])
    ok = not result.errors and doctor.ok and after_sockets <= before_sockets and not grew and still_open == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
