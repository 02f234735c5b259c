"""The embedded Neo4j server: build the launcher once, start it detached, stop it, report on it.

The launcher (``neo4j-embedded/``, Java 17 + Maven) runs Neo4j Community 5.26 with only the
Bolt connector, on 127.0.0.1. It is built once into a cache keyed by the hash of its sources,
so upgrading the sources rebuilds it and nothing else does.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mutuals.base.errors import DatabaseUnavailable, InvalidInput, one_line
from mutuals.io import class_archive

LAUNCHER_MARK = "mutuals-neo4j-embedded"
# networks LOAD CSV may not fetch from: loopback, private, link-local (cloud metadata), CGNAT
BLOCKED_NETWORKS = (
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
)
# the longest a transaction waits for one lock: below the driver's retry budget (Config.retry_seconds,
# 15 s), so that a write stuck behind a missed deadlock is retried; far above any wait of the
# engine's own transactions (milliseconds; a bulk batch holds its accounts for a second or two)
LOCK_ACQUISITION_TIMEOUT = "10s"
_PORT_IN_USE_EXIT = 65


def source_dir() -> Path:
    """The launcher's sources: inside the installed package, or ``neo4j-embedded/`` in the repository."""
    here = Path(__file__).resolve().parent.parent  # the package: mutuals/ (wheel) or engine/ (checkout)
    for candidate in (here / "_embedded", here.parent / "neo4j-embedded"):
        if (candidate / "pom.xml").is_file():
            return candidate
    raise DatabaseUnavailable("the neo4j-embedded sources are missing from this installation")


def cache_dir() -> Path:
    """Where built launchers are kept (``MUTUALS_CACHE``, else ``~/.cache/mutuals``)."""
    base = os.environ.get("MUTUALS_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / ("" if os.environ.get("MUTUALS_CACHE") else "mutuals")


def _source_hash(src: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted([src / "pom.xml", *sorted((src / "src").rglob("*.java"))]):
        digest.update(path.relative_to(src).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def launcher_built() -> bool:
    """Whether the launcher of these sources is built already (else the next start builds it with Maven)."""
    return (cache_dir() / f"launcher-{_source_hash(source_dir())}" / "launcher.jar").is_file()


def launcher_jar(*, quiet: bool = True) -> Path:
    """The built launcher jar, building it with Maven the first time (and after its sources
    change), and its class-data archive once beside it."""
    src = source_dir()
    target = cache_dir() / f"launcher-{_source_hash(src)}"
    jar = target / "launcher.jar"
    if jar.is_file() and class_archive.settled(jar):
        return jar
    if not jar.is_file() and (shutil.which("mvn") is None or shutil.which("java") is None):
        raise DatabaseUnavailable("building the embedded Neo4j needs Java 17+ and Maven (mvn) on the PATH")
    with _locked(cache_dir() / "build.lock"):
        if not jar.is_file():
            _build(src, target, quiet=quiet)
        if not class_archive.settled(jar):
            class_archive.train(jar)  # faster starts; a failure only costs those
    return jar


def _build(src: Path, target: Path, *, quiet: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="build-", dir=cache_dir()))
    try:
        shutil.copytree(src, work / "src-tree", ignore=shutil.ignore_patterns("target"))
        cmd = ["mvn", "-B", "-DskipTests", "package"] + (["-q"] if quiet else [])
        done = subprocess.run(cmd, cwd=work / "src-tree", capture_output=quiet, text=True)
        if done.returncode != 0:
            tail = (done.stdout or "")[-2000:] if quiet else ""
            raise DatabaseUnavailable(
                f"building the embedded Neo4j failed (mvn exit {done.returncode}): {one_line(tail)}"
            )
        built = work / "src-tree" / "target"
        staging = work / "out"
        staging.mkdir()
        shutil.move(str(built / "launcher.jar"), staging / "launcher.jar")
        shutil.move(str(built / "lib"), staging / "lib")
        os.replace(staging, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """Where the embedded server is and whether it runs."""

    running: bool
    home: Path
    uri: str | None = None
    pid: int | None = None
    port: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"running": self.running, "home": str(self.home), "uri": self.uri, "pid": self.pid, "port": self.port}


def _is_launcher(pid: int, home: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    args = [a.decode(errors="replace") for a in cmdline]
    return any("launcher.jar" in a for a in args) and str(home) in args


def jvm_options(text: str) -> list[str]:
    """The JVM options in ``text`` (shell words); each must be an option (``-...``), never a
    program argument smuggled in, else InvalidInput naming MUTUALS_JAVA_OPTS."""
    try:
        words = shlex.split(text)
    except ValueError as e:
        raise InvalidInput("MUTUALS_JAVA_OPTS", f"is not a list of JVM options ({e})") from None
    for word in words:
        if not word.startswith("-") or word in {"-jar", "-cp", "-classpath", "--class-path"}:
            raise InvalidInput("MUTUALS_JAVA_OPTS", f"must hold JVM options only (-XX:..., -D...), got {word!r}")
    return words


class EmbeddedServer:
    """One embedded Neo4j, identified by its home directory."""

    def __init__(
        self,
        home: Path,
        *,
        port: int = 7687,
        heap: str = "1g",
        page_cache: str = "512m",
        conf: dict[str, str] | None = None,
        java_opts: str | None = None,
    ) -> None:
        """``java_opts``: extra JVM options (None: the ``MUTUALS_JAVA_OPTS`` environment
        variable, which :class:`~mutuals.Config` reads too), each starting with ``-``."""
        self.home = Path(home).expanduser().resolve()
        self.java_opts = jvm_options(os.environ.get("MUTUALS_JAVA_OPTS", "") if java_opts is None else java_opts)
        self.port = port
        self.heap = heap
        self.page_cache = page_cache
        self.conf = dict(conf or {})

    @property
    def state_file(self) -> Path:
        return self.home / "server.json"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "launcher.log"

    def _state(self) -> dict[str, object] | None:
        try:
            state = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) else None

    def status(self) -> ServerStatus:
        """Whether the server runs, and its Bolt URI when it does."""
        state = self._state()
        if state:
            pid = int(str(state.get("pid", 0)))
            if pid and _is_launcher(pid, self.home):
                port = int(str(state.get("port", self.port)))
                return ServerStatus(True, self.home, str(state.get("uri")), pid, port)
        return ServerStatus(False, self.home, port=self.port)

    def password(self) -> str:
        """The generated password of the ``neo4j`` user (the file is readable by its owner only)."""
        try:
            return self.password_file.read_text(encoding="utf-8").strip()
        except OSError as e:
            raise DatabaseUnavailable(f"the embedded server's password file is missing ({self.password_file})") from e

    def command(self, jar: Path) -> list[str]:
        """The java command line that runs this server."""
        cmd = [
            "java",
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dfile.encoding=UTF-8",
            *class_archive.options(jar),
            *self.java_opts,
            "-jar",
            str(jar),
            "--home",
            str(self.home),
            "--port",
            str(self.port),
            "--page-cache",
            self.page_cache,
        ]
        conf = {
            "internal.server.bolt.thread_pool_shutdown_wait_time": "0s",
            "internal.server.bolt.connection_shutdown_wait_time": "0s",
            # LOAD CSV (allowed in read-only queries) reads files only from HOME/import, and no
            # URL on this machine or its private networks: a query cannot read /etc/passwd or
            # probe a cloud metadata endpoint through the database
            "server.directories.import": str(self.home / "import"),
            "internal.dbms.cypher_ip_blocklist": ",".join(BLOCKED_NETWORKS),
            # a lock wait that Neo4j's deadlock detection misses ends as a transient
            # LockAcquisitionTimeout, which the driver retries, not as a wait without end (the
            # default) that the driver abandons after 120 s with a dead connection (docs/decisions.md)
            "db.lock.acquisition.timeout": LOCK_ACQUISITION_TIMEOUT,
            **self.conf,
        }
        for key, value in conf.items():
            cmd += ["--conf", f"{key}={value}"]
        return cmd

    def start(self, timeout: float = 180.0) -> ServerStatus:
        """Start the server detached and wait until Bolt answers; a no-op when it already runs."""
        current = self.status()
        if current.running:
            return current
        jar = launcher_jar()
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        (self.home / "import").mkdir(exist_ok=True)
        self.state_file.unlink(missing_ok=True)
        with open(self.log_file, "ab") as log:
            log.write(f"\n--- start {time.strftime('%Y-%m-%dT%H:%M:%S')} ---\n".encode())
            log.flush()
            proc = subprocess.Popen(
                self.command(jar),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = proc.poll()
            if code is not None:
                raise DatabaseUnavailable(self._failure(code))
            status = self.status()
            if status.running and status.pid == proc.pid:
                return status
            time.sleep(0.2)
        proc.kill()
        raise DatabaseUnavailable(f"the embedded Neo4j did not become ready in {timeout:.0f}s (see {self.log_file})")

    def _failure(self, code: int) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").splitlines()
        except OSError:
            lines = []
        errors = [line for line in lines[-50:] if line.startswith("error")]
        reason = errors[-1] if errors else f"exit code {code}"
        if code == _PORT_IN_USE_EXIT:
            reason += " (set MUTUALS_PORT to use another port)"
        return f"the embedded Neo4j did not start: {one_line(reason)} (log: {self.log_file})"

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout``); False when it was not running."""
        status = self.status()
        if not status.running or status.pid is None:
            self.state_file.unlink(missing_ok=True)
            return False
        os.kill(status.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _is_launcher(status.pid, self.home):
                return True
            time.sleep(0.1)
        os.kill(status.pid, signal.SIGKILL)
        return True

    def kill(self) -> bool:
        """Kill the JVM without a clean shutdown (for recovery tests); False when it was not running."""
        status = self.status()
        if not status.running or status.pid is None:
            return False
        os.kill(status.pid, signal.SIGKILL)
        while _is_launcher(status.pid, self.home):
            time.sleep(0.05)
        return True
