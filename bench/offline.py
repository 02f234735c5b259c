"""The offline initial load (`mutuals import --offline`) of a generated graph, measured: the
preparation in Python, Neo4j's batch importer, and the first start with the schema built."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from mutuals import Config, Engine
from mutuals.bulk.offline import load

from .server import server_for


def measure(size: str, data: Path, home: Path) -> dict[str, Any]:
    shutil.rmtree(home, ignore_errors=True)
    server = server_for(size, home)
    summary = load(server, data, home / "offline")
    out = summary.to_dict()
    out.pop("rejects_files", None)
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
        shutil.rmtree(home / "neo4j" / "data", ignore_errors=True)  # the data is only measured
    total = out["prepare_seconds"] + out["import_seconds"]
    out["end_to_end_relationships_per_second"] = round(out["relationships"] / total, 1) if total else 0.0
    return out
