"""neo4j-rust-ext measured: the same calls with the driver's Rust packer and without it (a
subprocess that hides ``neo4j._rust`` before the driver is imported, so the pure-Python packer
is used), one client.

    python -m bench.rustext --uri bolt://127.0.0.1:7687 --password-file F --viewer u1 --posts p1,p2 [--pure]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def compare(uri: str, password_file: Path, viewer: str, posts: list[str], seconds: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mode in ("rust_ext", "pure_python"):
        cmd = [sys.executable, "-m", "bench.rustext", "--uri", uri, "--password-file", str(password_file)]
        cmd += ["--viewer", viewer, "--posts", ",".join(posts), "--seconds", str(seconds)]
        done = subprocess.run([*cmd, *(["--pure"] if mode == "pure_python" else [])], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        for name, figures in json.loads(done.stdout).items():
            out.setdefault(name, {})[mode] = figures
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uri", required=True)
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--viewer", required=True)
    parser.add_argument("--posts", required=True)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--pure", action="store_true")
    args = parser.parse_args()
    if args.pure:
        sys.modules["neo4j._rust"] = None  # type: ignore[assignment]
    import neo4j

    from mutuals import Config, Engine

    from . import latency

    password = args.password_file.read_text().strip()
    config = Config(uri=args.uri, password=password, auto_start=False)
    posts = args.posts.split(",")
    rows = [{"a": f"u{i:07d}", "b": f"u{i + 1:07d}", "at": None} for i in range(10_000)]
    with Engine(config, apply_schema=False) as engine:
        driver = neo4j.GraphDatabase.driver(args.uri, auth=("neo4j", password))

        def big_parameters() -> Any:  # an import batch's worth of parameters, packed and sent
            with driver.session() as session:
                return session.run("RETURN size($rows) AS n", rows=rows).single()

        calls = {
            "return1_managed": [latency.floors(driver)["return1_managed"]],
            "can_view_many": [lambda: engine.can_view_many(args.viewer, posts)],
            "send_10k_rows": [big_parameters],
        }
        out = {name: latency.measure(fns, 1, args.seconds) for name, fns in calls.items()}
        driver.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
