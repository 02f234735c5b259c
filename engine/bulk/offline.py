"""The offline initial load: `mutuals import --offline DIR` into a stopped embedded database.

The files of DIR (``users.csv``, ``posts.csv``, ``follows.csv``, ``requests.csv``, ``blocks.csv``,
``interactions.csv``: the columns of `mutuals import`, as `mutuals export` writes them) are
checked in Python under the rules of the online import, as if imported in that order, and
written as the input of Neo4j's parallel batch importer (``neo4j-admin database import full``,
run by the launcher's ``OfflineImport``), which builds the store without transactions. The
nodes and relationships carry exactly the properties the online path writes (``src``, ``dst``,
``since``/``at`` on follows, requests and blocks...). Constraints and indexes are created when
the server starts and an engine applies the schema. Refused rows go to ``KIND.rejects.csv`` in
the work directory, with their reason, as the online import writes them. The store's event
outbox holds the events of the rows written, numbered as the online import would append them.

One job per module: :mod:`.offline_files` reads DIR and writes the importer's files,
:mod:`.offline_prepare` checks the rows under the rules, and this module runs the batch
importer (:func:`load`) for :func:`import_offline`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import DatabaseUnavailable, InvalidInput, one_line
from mutuals.bulk.offline_files import ARRAY_DELIMITER, GROUPS
from mutuals.bulk.offline_prepare import Preparer
from mutuals.bulk.rows import ORDER
from mutuals.io import class_archive
from mutuals.io.config import Config
from mutuals.io.connection import embedded_server
from mutuals.io.embedded import EmbeddedServer, launcher_jar

DATABASE: Final = "neo4j"


@dataclass(frozen=True)
class OfflineSummary:
    """What an offline load did: rows read, written and refused per kind (``rejects_files``
    holds the refused rows with their reasons), what the store holds (``events``: the changes
    in its outbox), and where time went."""

    directory: str
    read: dict[str, int]
    written: dict[str, int]
    rejected: dict[str, int]
    nodes: int
    relationships: int
    events: int
    prepare_seconds: float
    import_seconds: float
    rejects_files: dict[str, str]
    imported: bool = True  # False: no account or post to load, so the batch importer did not run

    @property
    def relationships_per_second(self) -> float:
        """Relationships written per second by the batch importer."""
        return self.relationships / self.import_seconds if self.import_seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "read": dict(self.read),
            "written": dict(self.written),
            "rejected": dict(self.rejected),
            "nodes": self.nodes,
            "relationships": self.relationships,
            "events": self.events,
            "prepare_seconds": round(self.prepare_seconds, 3),
            "import_seconds": round(self.import_seconds, 3),
            "relationships_per_second": round(self.relationships_per_second, 1),
            "rejects_files": dict(self.rejects_files),
            "imported": self.imported,
        }


def command(server: EmbeddedServer, work: Path, files: dict[str, int], threads: int) -> list[str]:
    """The java command that runs the batch importer over the prepared files."""
    jar = launcher_jar()
    cmd = [
        "java",
        f"-Xmx{server.heap}",
        *class_archive.options(jar),  # the launcher's classes, mapped (the importer shares many)
        *server.java_opts,
        "-cp",
        str(jar),
        "mutuals.embedded.OfflineImport",
        "--home",
        str(server.home),
        "database",
        "import",
        "full",
        DATABASE,
        "--overwrite-destination=true",
        "--id-type=string",
        f"--threads={threads}",
        "--bad-tolerance=0",
        f"--array-delimiter={ARRAY_DELIMITER}",
        f"--report-file={work / 'import.report'}",
    ]
    for name, rows in files.items():
        if rows:
            group, label = GROUPS[name]
            cmd.append(f"--{group}={label}={work / (name + '.csv')}")
    return cmd


def load(
    server: EmbeddedServer,
    source: Path,
    work: Path,
    *,
    rejects: Path | None = None,
    threads: int = 0,
    checks: bool = True,
    log: Path | None = None,
) -> OfflineSummary:
    """Check and convert the files of ``source`` into ``work``, then build the database of the
    stopped ``server`` from them with the batch importer (replacing what it held). Refused rows
    go to ``rejects`` (default: ``work``) as ``KIND.rejects.csv``; ``checks=False`` skips the
    interaction checks (restoring an export); the importer's output goes to ``log`` (default
    ``work/import.log``). When no account or post is accepted (header-only files, every row
    refused) there is nothing to build: the importer is not run, the database is left as it
    was, and the summary says ``imported=False``."""
    if server.status().running:
        raise InvalidInput(
            "database", f"the embedded Neo4j of {server.home} is running: stop it first (`mutuals db stop`)"
        )
    if not source.is_dir():
        raise InvalidInput("directory", f"{source} is not a directory")
    if not any((source / f"{kind}.csv").is_file() for kind in ORDER):
        raise InvalidInput("directory", f"{source} holds none of {', '.join(k + '.csv' for k in ORDER)}")
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    preparer = Preparer(source, work, datetime.now(UTC), rejects, checks=v.flag("checks", checks))
    tally = preparer.run()
    prepare_seconds = time.perf_counter() - start
    files = preparer.files()
    import_seconds = 0.0
    if tally.nodes:  # the importer refuses to run without a node file (it prints its usage)
        cores = threads or max(1, len(os.sched_getaffinity(0)))
        start = time.perf_counter()
        done = subprocess.run(command(server, work, files, cores), capture_output=True, text=True)
        import_seconds = time.perf_counter() - start
        log = log or work / "import.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(done.stdout + done.stderr)
        if done.returncode != 0:
            tail = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()][-3:]
            raise DatabaseUnavailable(
                f"the batch importer failed (exit {done.returncode}): {one_line(' | '.join(tail))} (log: {log})"
            )
    return OfflineSummary(
        directory=str(source),
        read=tally.read,
        written=tally.written,
        rejected=tally.rejected,
        nodes=tally.nodes,
        relationships=tally.relationships,
        events=tally.events if tally.nodes else 0,
        prepare_seconds=prepare_seconds,
        import_seconds=import_seconds,
        rejects_files=tally.rejects_files,
        imported=bool(tally.nodes),
    )


def has_graph(server: EmbeddedServer) -> bool:
    """Whether the embedded server's home already holds a store for the graph database."""
    store = server.home / "data" / "databases" / DATABASE
    return store.is_dir() and any(store.iterdir())


def import_offline(
    config: Config, directory: Path | str, *, overwrite: bool = False, threads: int = 0, checks: bool = True
) -> OfflineSummary:
    """Build the embedded database from the files of ``directory`` with Neo4j's parallel batch
    importer: the initial load of a very large graph. The server must be stopped; a database
    that already holds a graph is replaced only with ``overwrite``. Rows are checked under the
    rules of :meth:`Engine.import_ <engine.Engine.import_>`; refused ones go to
    ``KIND.rejects.csv`` in ``directory``; ``checks=False`` skips the interaction checks, for
    restoring an export (a like made before a later block is state, not a new like). When no
    account or post is accepted, nothing is imported (``imported=False``). Constraints and
    indexes are built by the first engine that connects after the server starts; the
    importer's log is ``$MUTUALS_HOME/neo4j/logs/offline-import.log``."""
    if config.uri:
        raise InvalidInput(
            "offline",
            "loads the embedded Neo4j only; NEO4J_URI is set (use that server's `neo4j-admin database import`)",
        )
    source = v.path("directory", directory).expanduser()
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise InvalidInput("threads", "must be a whole number, 0 (every core) or more")
    server = embedded_server(config)
    if has_graph(server) and not overwrite:
        raise InvalidInput(
            "overwrite",
            f"the embedded database in {server.home} already holds a graph: pass --overwrite to replace it",
        )
    config.home.mkdir(parents=True, exist_ok=True)
    v.flag("checks", checks)
    log = server.home / "logs" / "offline-import.log"  # kept: the work directory is deleted
    with tempfile.TemporaryDirectory(prefix="offline-import-", dir=config.home) as work:
        return load(server, source, Path(work), rejects=source, threads=threads, checks=checks, log=log)
