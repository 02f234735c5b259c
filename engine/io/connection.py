"""The sync transport: the driver, and the requests of :mod:`mutuals.io.runner` performed with it.

One driver per engine. Reads run in read sessions (routed to secondaries on a cluster), writes
in write transactions. What to run how, what to retry and replay, how errors read and which
token a write hands out are decided once in :mod:`mutuals.io.runner`, for this connection and
the async one alike (:mod:`mutuals.io.aio_connection`); this module only performs its requests.
All sessions share one bookmark manager, so an engine always reads its own writes; a write's
bookmarks are also handed out as a consistency token (:mod:`mutuals.io.tokens`) that any reader
can wait for.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, Generic, TypeVar, cast

import neo4j
from neo4j import GraphDatabase, ManagedTransaction

from mutuals.base.errors import DatabaseUnavailable, InvalidInput, one_line, translate
from mutuals.io.config import Config, redact_uri
from mutuals.io.embedded import EmbeddedServer
from mutuals.io.plan import PlanFactory, Result, Run
from mutuals.io.runner import (
    DRIVER_ERRORS,
    AutoCommit,
    Blocking,
    Concurrently,
    Done,
    Op,
    Query,
    Request,
    RolledBack,
    Runner,
    Sleep,
    Stream,
    Transaction,
    advance,
    not_retried,
)

T = TypeVar("T")
D = TypeVar("D")

USER_AGENT = "mutuals/0.1"
CHUNK = 1_000  # rows a stream hands its sink at once


def embedded_server(config: Config) -> EmbeddedServer:
    """The embedded server this configuration points at."""
    return EmbeddedServer(
        config.home / "neo4j",
        port=config.port,
        heap=config.heap,
        page_cache=config.page_cache,
        java_opts=config.java_opts,
    )


def resolve_target(config: Config) -> tuple[str, tuple[str, str]]:
    """The URI and credentials to use, starting the embedded server when it is needed and allowed."""
    if config.uri:
        return config.uri, (config.username, config.password or "")
    server = embedded_server(config)
    status = server.status()
    if not status.running:
        if not config.auto_start:
            raise DatabaseUnavailable("the embedded Neo4j is not running: start it with `mutuals db start`")
        status = server.start()
    assert status.uri is not None
    return status.uri, ("neo4j", server.password())


def driver_options(config: Config) -> dict[str, Any]:
    """The driver settings every engine (sync or async) uses."""
    return {
        "max_connection_pool_size": config.max_pool_size,
        "connection_timeout": config.connect_timeout,
        "max_transaction_retry_time": config.retry_seconds,
        "user_agent": USER_AGENT,
        "notifications_min_severity": "OFF",
    }


def bad_uri(uri: str, password: str, error: Exception) -> InvalidInput:
    """The error for a URI the driver refuses; the driver's message repeats the URI, credentials
    included, so they are masked before anything is shown."""
    message = one_line(str(error)).replace(uri, redact_uri(uri))
    if password:
        message = message.replace(password, "***")
    return InvalidInput("NEO4J_URI", f"{message} (uri {redact_uri(uri)})")


def derived_secret(auth: tuple[str, str], database: str) -> str:
    """The key that signs cursors when ``MUTUALS_CURSOR_SECRET`` is not set: derived (one way) from
    the credentials, so every engine that can use this database reads the others' cursors and
    nobody without the password can forge one."""
    material = "\x00".join((auth[0], auth[1], database)).encode("utf-8", "surrogatepass")
    return hmac.new(b"mutuals-cursor-key-v1", material, hashlib.sha256).hexdigest()


class Target(Generic[D]):
    """What both transports set up alike: the server (started when needed), a driver made by
    ``make`` (GraphDatabase.driver or AsyncGraphDatabase.driver), the cursor key and the rules."""

    def __init__(self, config: Config, make: Callable[..., D]) -> None:
        self.config = config
        uri, auth = resolve_target(config)  # may start the embedded server (once, at start-up)
        self.uri = uri
        try:
            self.driver = make(uri, auth=auth, **driver_options(config))
        except (ValueError, neo4j.exceptions.ConfigurationError) as e:
            raise bad_uri(uri, auth[1], e) from None
        except DRIVER_ERRORS as e:
            raise translate(e) from e
        self.cursor_secret = config.cursor_secret or derived_secret(auth, config.database)
        self.runner = Runner(config.retry_seconds)


def to_result(cursor: neo4j.Result) -> Result:
    """Read every row of a driver result and its counters."""
    rows = [record.data() for record in cursor]
    return counted(rows, cursor.consume())


def counted(rows: list[dict[str, Any]], summary: neo4j.ResultSummary) -> Result:
    """A :class:`Result` from rows and the summary's counters."""
    counters = summary.counters
    return Result(
        rows,
        nodes_created=counters.nodes_created,
        nodes_deleted=counters.nodes_deleted,
        relationships_created=counters.relationships_created,
        relationships_deleted=counters.relationships_deleted,
        properties_set=counters.properties_set,
    )


# what a user's statement changed (``mutuals query --write``): the driver's counters, by name
CHANGES = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "labels_removed",
    "indexes_added",
    "indexes_removed",
    "constraints_added",
    "constraints_removed",
)


def changes(summary: neo4j.ResultSummary) -> dict[str, int]:
    """The counters of a statement's summary, every one of :data:`CHANGES`, zeros included."""
    return {name: int(getattr(summary.counters, name)) for name in CHANGES}


def drive(tx: ManagedTransaction, factory: PlanFactory[T]) -> T:
    """Execute a plan inside one transaction: run each statement it yields, send back the result."""
    plan = factory()
    try:
        with not_retried(tx):
            step: Run = next(plan)
            while True:
                step = plan.send(to_result(tx.run(step.text, step.bound_params)))
    except StopIteration as done:
        return cast(T, done.value)


def rehearse(tx: ManagedTransaction, factory: PlanFactory[T]) -> T:
    """:func:`drive`, then raise :class:`RolledBack` so that the driver rolls the transaction back."""
    raise RolledBack(drive(tx, factory))


def query(
    tx: ManagedTransaction | neo4j.Session, request: Query
) -> tuple[list[str], list[dict[str, Any]], dict[str, int]]:
    """A user's own statement (its values travel as parameters), in a transaction or as an
    auto-commit query in a session: its column names, rows and counters."""
    with not_retried(tx):
        result = tx.run(request.text, request.params)
        keys = list(result.keys())
        rows = [dict(zip(keys, record.values(), strict=True)) for record in result]
        return keys, rows, changes(result.consume())


def stream(tx: ManagedTransaction, request: Stream) -> Any:
    """One statement's rows, chunk by chunk, into a new sink."""
    sink = request.open()
    try:
        with not_retried(tx):
            result = tx.run(request.step.text, request.step.bound_params)
            while records := result.fetch(CHUNK):
                sink.add([record.data() for record in records])
    except BaseException:
        sink.discard()
        raise
    return sink.finish()


class Connection:
    """Owns the driver; performs the requests of the rules (:class:`Runner`) with it."""

    def __init__(self, config: Config) -> None:
        target: Target[neo4j.Driver] = Target(config, GraphDatabase.driver)
        self.config, self.uri, self.cursor_secret = config, target.uri, target.cursor_secret
        self.driver: neo4j.Driver = target.driver
        self.runner = target.runner
        self.bookmarks = self.driver.execute_query_bookmark_manager

    def close(self) -> None:
        self.driver.close()

    def execute(self, op: Op[T]) -> T:
        """Run an operation of the rules to its end, performing each request it makes."""
        try:
            step = advance(op)
            while not isinstance(step, Done):
                answer, error = None, None
                try:
                    answer = self.perform(step)
                except Exception as e:  # thrown into the operation, which decides
                    error = e
                step = advance(op, answer, error)
            return step.value
        finally:
            op.close()

    def perform(self, request: Request) -> Any:
        """Do what one request asks (the only I/O of this connection)."""
        if isinstance(request, Sleep):
            return time.sleep(request.seconds)
        if isinstance(request, Blocking):
            return request.call()
        if isinstance(request, Concurrently):
            with ThreadPoolExecutor(max_workers=len(request.ops), thread_name_prefix="mutuals-lane") as pool:
                futures = [pool.submit(self.execute, op) for op in request.ops]
                wait(futures)
            for future in futures:
                if (error := future.exception()) is not None:
                    raise error
            return [future.result() for future in futures]
        if isinstance(request, AutoCommit):
            with self._session(True, request.bookmarks) as session:
                return to_result(session.run(request.step.text, request.step.bound_params))
        if isinstance(request, Transaction):
            with self._session(request.read, request.bookmarks) as session:
                run = session.execute_read if request.read else session.execute_write
                if request.rollback:
                    try:
                        run(rehearse, request.factory)
                    except RolledBack as done:
                        return done.value, None
                value = run(drive, request.factory)
                return value, session.last_bookmarks()
        if isinstance(request, Query):
            with self._session(not request.write, request.bookmarks) as session:
                if request.implicit:  # CALL { ... } IN TRANSACTIONS: its own commits, never retried
                    return query(session, request)
                run = session.execute_write if request.write else session.execute_read
                return run(query, request)
        with self._session(True, None) as session:
            return session.execute_read(stream, request)

    def _session(self, read: bool, bookmarks: neo4j.Bookmarks | None) -> neo4j.Session:
        return self.driver.session(
            database=self.config.database,
            default_access_mode=neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS,
            bookmark_manager=self.bookmarks,
            bookmarks=bookmarks,
        )

    # -- what the engine calls ------------------------------------------------------------------
    def read(self, factory: PlanFactory[T], after: str | None = None) -> T:
        """Run a plan in a read session (after the write of the consistency token ``after``)."""
        return self.execute(self.runner.read(factory, after))

    def write(self, factory: PlanFactory[T], *, rollback: bool = False, after: str | None = None) -> T:
        """Run a plan in a write transaction (replayed after an unconfirmed commit: :mod:`mutuals.io.runner`);
        ``rollback``: a rehearsal, rolled back, after the write of the token ``after`` (preview_change)."""
        if rollback:
            return self.execute(self.runner.rehearse(factory, after))
        return self.execute(self.runner.write(factory))

    def run_text(
        self, text: str, params: dict[str, Any], *, write: bool, after: str | None = None
    ) -> tuple[list[str], list[dict[str, Any]], dict[str, int]]:
        """Run a user's own Cypher (``mutuals query``, reports): its column names, rows and counters."""
        return self.execute(self.runner.query(text, params, write=write, after=after))

    def ping(self) -> float:
        """Seconds for one ``RETURN 1`` round trip."""
        return self.execute(self.runner.ping())
