"""A throw-away PostgreSQL cluster on 127.0.0.1 and a ``spicedb serve`` on it, as SpiceDB's users
run it in production (the postgres datastore, fsync on), started and removed by the benchmark.

The binary is built from the Go module proxy at a pinned version into a cache directory and
reused (``make bench-peers`` builds it; :func:`binary` finds it). PostgreSQL refuses to run as
root: as root the cluster belongs to the ``postgres`` account that Debian's package creates.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VERSION = "v1.56.2"
CACHE = Path(os.environ.get("MUTUALS_CACHE", Path.home() / ".cache" / "mutuals")) / f"spicedb-{VERSION}"
HOST = "127.0.0.1"  # loopback only


def binary() -> Path:
    """The pinned spicedb binary (``make bench-peers`` builds it into the cache)."""
    path = Path(os.environ.get("SPICEDB_BIN", CACHE / "spicedb"))
    if not path.is_file():
        raise SystemExit(
            f"spicedb {VERSION} not found at {path}: GOFLAGS=-mod=mod GOBIN={CACHE} "
            f"go install github.com/authzed/spicedb/cmd/spicedb@{VERSION} (or `make bench-peers`)"
        )
    return path


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise SystemExit("PostgreSQL not found (apt-get install postgresql, or `make bench-peers`)")
    return found[-1].parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _wait_port(port: int, timeout: float, proc: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text()[-3000:] if log and log.is_file() else ""
            raise RuntimeError(f"exited with {proc.returncode}:\n{tail}")
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {HOST}:{port} after {timeout}s")


@dataclass(frozen=True)
class Postgres:
    uri: str
    version: str
    settings: dict[str, str]


# production-like: durable commits; the rest PostgreSQL's defaults (shared_buffers 128MB)
PG_SETTINGS = {
    "fsync": "on",
    "synchronous_commit": "on",
    "track_commit_timestamp": "on",  # SpiceDB's postgres datastore asks for it (Watch)
    "max_connections": "200",
}


@contextmanager
def postgres(log: Path) -> Iterator[Postgres]:
    """A fresh cluster in a temporary directory on a free loopback port; stopped and removed after."""
    bindir = pg_bin()
    root = Path(tempfile.mkdtemp(prefix="mutuals-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    password = secrets.token_hex(12)
    pwfile = root / "pw"
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres")
    try:
        subprocess.run(
            _as_owner(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "spicedb",
                    "-A",
                    "scram-sha-256",
                    "--pwfile",
                    str(pwfile),
                ]
            ),
            check=True,
            capture_output=True,
        )
        options = " ".join(
            [f"-c {k}={v}" for k, v in PG_SETTINGS.items()]
            + [f"-c listen_addresses={HOST}", f"-c port={port}", f"-c unix_socket_directories={sock}"]
        )
        logfile = root / "postgres.log"
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(logfile), "-w", "start"]),
            check=True,
            capture_output=True,
        )
        _wait_port(port, 30)
        subprocess.run(
            _as_owner([str(bindir / "createdb"), "-h", HOST, "-p", str(port), "-U", "spicedb", "spicedb"]),
            check=True,
            capture_output=True,
            env={**os.environ, "PGPASSWORD": password},
        )
        version = subprocess.run(
            [str(bindir / "postgres"), "--version"], check=True, capture_output=True, text=True
        ).stdout.strip()
        yield Postgres(f"postgres://spicedb:{password}@{HOST}:{port}/spicedb?sslmode=disable", version, PG_SETTINGS)
    finally:
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True
        )
        if (root / "postgres.log").is_file():
            shutil.copy(root / "postgres.log", log)
        shutil.rmtree(root, ignore_errors=True)


@dataclass(frozen=True)
class SpiceDB:
    target: str  # host:port of the gRPC API
    key: str  # the preshared key
    version: str
    flags: list[str]


# dispatch cluster off (one node); telemetry and the release check off (no traffic but loopback)
SERVE_FLAGS = [
    "--dispatch-cluster-enabled=false",
    "--http-enabled=false",
    "--telemetry-endpoint=",
    "--skip-release-check",
    "--log-level=warn",
]


@contextmanager
def spicedb(pg: Postgres, log: Path) -> Iterator[SpiceDB]:
    """``spicedb datastore migrate head`` on the cluster, then ``spicedb serve`` on loopback ports."""
    exe = str(binary())
    subprocess.run(
        [exe, "datastore", "migrate", "head", "--datastore-engine", "postgres", "--datastore-conn-uri", pg.uri],
        check=True,
        capture_output=True,
    )
    port, metrics = free_port(), free_port()
    key = secrets.token_hex(16)
    flags = [
        *SERVE_FLAGS,
        f"--grpc-addr={HOST}:{port}",
        f"--metrics-addr={HOST}:{metrics}",
        "--datastore-engine=postgres",
    ]
    version = subprocess.run([exe, "version"], capture_output=True, text=True).stdout.strip() or VERSION
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [exe, "serve", "--grpc-preshared-key", key, "--datastore-conn-uri", pg.uri, *flags],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_port(port, 60, proc, log)
            yield SpiceDB(f"{HOST}:{port}", key, version, flags)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
