"""The figures of docs/reliability.md: the tests record what they measured, `make reliability`
prints the table (bench/reliability.py).

Each test writes its section of ``bench/results/reliability.json`` (gitignored; another file
with ``MUTUALS_RELIABILITY_FILE``), with the command that reproduces it.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def results_file() -> Path:
    return Path(os.environ.get("MUTUALS_RELIABILITY_FILE") or ROOT / "bench" / "results" / "reliability.json")


def record(section: str, command: str, **figures: Any) -> None:
    """Store the figures of one section (replacing the previous run's)."""
    path = results_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            data = json.loads(path.read_text()) if path.exists() else {}
        except ValueError:
            data = {}
        data[section] = {**figures, "command": command, "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        os.replace(tmp, path)
