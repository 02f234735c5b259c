"""The launcher's class-data archive (the JVM's AppCDS): Neo4j's start-up without loading and
verifying ten thousand classes from jars each time.

Built once beside the launcher jar (``launcher.jsa``): a throwaway server is started with
``-XX:ArchiveClassesAtExit``, compiles every statement of ``cypher/`` (EXPLAIN) and writes a
little, and the JVM writes the classes it loaded when it exits. Every later start maps them
(``-XX:SharedArchiveFile``). The JVM checks the archive against its own version and the jars'
paths and sizes and ignores an archive that does not match (``-Xshare:auto``), so a stale or
missing archive costs start-up time, never a failed start. Measured in docs/decisions.md.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ARCHIVE = "launcher.jsa"
FAILED = "launcher.jsa.failed"  # training failed once: not tried again at every start
_TRAIN_SECONDS = 180.0


def options(jar: Path) -> list[str]:
    """The JVM options that map the archive beside ``jar`` (none when there is none)."""
    archive = jar.parent / ARCHIVE
    return [f"-XX:SharedArchiveFile={archive}", "-Xshare:auto"] if archive.is_file() else []


def settled(jar: Path) -> bool:
    """Whether the archive beside ``jar`` was built, or its training failed (and says why)."""
    return (jar.parent / ARCHIVE).is_file() or (jar.parent / FAILED).is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def train(jar: Path) -> bool:
    """Build the archive beside ``jar``. When that fails the reason goes to ``launcher.jsa.failed``
    and False is returned: the archive is an optimisation, a start goes on without it."""
    partial = jar.parent / f"{ARCHIVE}.partial"
    home = Path(tempfile.mkdtemp(prefix="archive-", dir=jar.parent))
    try:
        _train(jar, home, partial)
        os.replace(partial, jar.parent / ARCHIVE)
        return True
    except Exception as e:
        (jar.parent / FAILED).write_text(f"{type(e).__name__}: {e}\n", encoding="utf-8")
        return False
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(home, ignore_errors=True)


def _train(jar: Path, home: Path, partial: Path) -> None:
    """A throwaway server (the command line of every start, plus ``-XX:ArchiveClassesAtExit``)
    that builds the schema, writes a little and compiles every statement, then exits, the JVM
    writing the classes it loaded to ``partial``. Started here, not by ``EmbeddedServer.start``,
    which would wait for this very archive (``launcher_jar``)."""
    from neo4j import GraphDatabase

    from mutuals.io.cypher import schema_statements, statement, statements
    from mutuals.io.embedded import EmbeddedServer

    partial.unlink(missing_ok=True)
    server = EmbeddedServer(
        home, port=_free_port(), heap="512m", page_cache="64m", java_opts=f"-XX:ArchiveClassesAtExit={partial}"
    )
    with open(home / "train.log", "wb") as log:
        proc = subprocess.Popen(server.command(jar), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + _TRAIN_SECONDS
        while not (status := server.status()).running:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the training server did not start (exit {proc.poll()})")
            time.sleep(0.2)
        auth = ("neo4j", server.password())
        with (
            GraphDatabase.driver(str(status.uri), auth=auth, notifications_min_severity="OFF") as driver,
            driver.session() as session,
        ):
            for _, text in schema_statements():
                session.run(text).consume()
            session.run(statement("class_archive_warmup"), n=50).consume()
            for name, text in statements().items():
                if not name.startswith("schema"):  # schema/* ran above; schema_names is a SHOW
                    session.run("EXPLAIN " + text).consume()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=_TRAIN_SECONDS)  # the JVM writes the archive as it exits
        if not partial.is_file():
            raise RuntimeError(f"the JVM wrote no archive (exit {proc.returncode})")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
