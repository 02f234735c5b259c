"""The driver and the sync runner of plans.

One driver per engine. Reads run in read sessions (routed to secondaries on a cluster), writes
in write transactions. A write, and a read of several statements, is a managed transaction, so
the driver retries transient errors (deadlocks, leader switches, a restarting server) and
replays the plan. A read of one statement is first tried as an auto-commit query: one round
trip (RUN and PULL) instead of two (BEGIN, RUN and PULL, then COMMIT); when it fails in a way
that is worth retrying it falls back to the managed transaction, so it is retried the same
way. All sessions share one bookmark manager, so an engine always reads its own writes; a
write's bookmarks are also handed out as a consistency token (:mod:`engine.tokens`) that any
reader can wait for.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar, cast

import neo4j
from neo4j import GraphDatabase, ManagedTransaction

from mutuals.base.errors import DatabaseUnavailable, InvalidInput, MutualsError, one_line, translate
from mutuals.base.models import Outcome
from mutuals.io import tokens
from mutuals.io.config import Config, redact_uri
from mutuals.io.embedded import EmbeddedServer
from mutuals.io.plan import Plan, PlanFactory, Result, Run

T = TypeVar("T")

# what the driver raises (anything else is a bug and propagates as it is)
DRIVER_ERRORS = (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError)

USER_AGENT = "mutuals/0.1"
COMMIT_RETRY_DELAY = 0.5  # seconds before replaying a plan whose commit went unconfirmed (doubles)

log = logging.getLogger("mutuals")
# failures after which a plan is replayed by the engine (the driver does not retry them)
REPLAYABLE = (neo4j.exceptions.IncompleteCommit, neo4j.exceptions.DatabaseError)


def embedded_server(config: Config) -> EmbeddedServer:
    """The embedded server this configuration points at."""
    return EmbeddedServer(config.home / "neo4j", port=config.port, heap=config.heap, page_cache=config.page_cache)


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


def with_token(value: T, bookmarks: neo4j.Bookmarks) -> T:
    """Attach the write's consistency token to an Outcome, or any result dataclass with a ``token``
    field (other values pass through)."""
    if isinstance(value, Outcome) or (
        is_dataclass(value) and not isinstance(value, type) and "token" in {f.name for f in fields(value)}
    ):
        return cast(T, replace(value, token=tokens.encode(bookmarks)))
    return value


def derived_secret(auth: tuple[str, str], database: str) -> str:
    """The key that signs cursors when ``MUTUALS_CURSOR_SECRET`` is not set: derived (one way) from
    the credentials, so every engine that can use this database reads the others' cursors and
    nobody without the password can forge one."""
    material = "\x00".join((auth[0], auth[1], database)).encode("utf-8", "surrogatepass")
    return hmac.new(b"mutuals-cursor-key-v1", material, hashlib.sha256).hexdigest()


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


class MultiStep(Exception):
    """The plan asked for a second statement: it needs a transaction (the first one is discarded)."""


def retryable(error: BaseException) -> bool:
    """Whether the driver would retry this failure inside a managed transaction."""
    check = getattr(error, "is_retryable", None)
    return bool(check()) if callable(check) else isinstance(error, OSError)


def first_step(factory: PlanFactory[T]) -> tuple[Plan[T], Run]:
    """The plan and its first statement (StopIteration, with the plan's value, when it needs none)."""
    plan = factory()
    return plan, next(plan)


def finish(plan: Plan[T], result: Result) -> T:
    """Send the only statement's result; the plan's value, or MultiStep when it wants more."""
    try:
        plan.send(result)
    except StopIteration as done:
        return cast(T, done.value)
    plan.close()
    raise MultiStep


def drive(tx: ManagedTransaction, factory: PlanFactory[T]) -> T:
    """Execute a plan inside one transaction: run each statement it yields, send back the result."""
    plan = factory()
    try:
        step: Run = next(plan)
        while True:
            step = plan.send(to_result(tx.run(step.text, step.bound_params)))
    except StopIteration as done:
        return cast(T, done.value)


class Connection:
    """Owns the driver; runs plans in read or write transactions."""

    def __init__(self, config: Config) -> None:
        self.config = config
        uri, auth = resolve_target(config)
        self.uri = uri
        try:
            self.driver = GraphDatabase.driver(uri, auth=auth, **driver_options(config))
        except (ValueError, neo4j.exceptions.ConfigurationError) as e:
            raise bad_uri(uri, auth[1], e) from None
        except DRIVER_ERRORS as e:
            raise translate(e) from e
        self.bookmarks = self.driver.execute_query_bookmark_manager
        self.cursor_secret = config.cursor_secret or derived_secret(auth, config.database)
        self.multi_step: set[str] = set()  # the plans (by name) that ran more than one statement

    def close(self) -> None:
        self.driver.close()

    def _session(self, read: bool, after: str | None = None) -> neo4j.Session:
        return self.driver.session(
            database=self.config.database,
            default_access_mode=neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS,
            bookmark_manager=self.bookmarks,
            bookmarks=tokens.decode(after),
        )

    def read(self, factory: PlanFactory[T], after: str | None = None) -> T:
        """Run a plan in a read session (after the write of the consistency token ``after``): in
        one auto-commit round trip when it is one statement, else in a read transaction."""
        try:
            with self._session(read=True, after=after) as session:
                name = factory.__qualname__
                if name not in self.multi_step:
                    try:
                        plan, step = first_step(factory)
                    except StopIteration as done:  # nothing to ask the database
                        return cast(T, done.value)
                    try:
                        return finish(plan, to_result(session.run(step.text, step.bound_params)))
                    except MultiStep:
                        self.multi_step.add(name)
                    except DRIVER_ERRORS as e:
                        if not retryable(e):
                            raise
                return session.execute_read(drive, factory)
        except MutualsError:
            raise
        except DRIVER_ERRORS as e:
            raise translate(e) from e

    def write(self, factory: PlanFactory[T]) -> T:
        """Run a plan in a write transaction (one transaction, retried as a whole on transient errors).

        The driver does not retry a commit whose answer was lost with the connection
        (``IncompleteCommit``: it may or may not have happened), nor a transaction the server failed
        for an internal reason (``Neo.DatabaseError.*``, rolled back). A plan may be replayed anyway:
        every plan reads the state under its locks and writes only what is missing, so the replay
        either applies the operation or finds it applied (its outcome then says ``already_...``).
        """
        deadline = time.monotonic() + self.config.retry_seconds
        delay = COMMIT_RETRY_DELAY
        while True:
            try:
                with self._session(read=False) as session:
                    value = session.execute_write(drive, factory)
                    return with_token(value, session.last_bookmarks())
            except MutualsError:
                raise
            except REPLAYABLE as e:
                if time.monotonic() + delay > deadline:
                    raise translate(e) from e
                what = "Commit unconfirmed" if isinstance(e, neo4j.exceptions.IncompleteCommit) else "Server failure"
                log.warning("%s (%s); the operation will be retried in %ss", what, one_line(str(e)), delay)
                time.sleep(delay)
                delay = min(delay * 2, 8.0)
            except DRIVER_ERRORS as e:
                raise translate(e) from e

    def stream(self, step: Run, consume: Callable[[Iterator[dict[str, Any]]], T]) -> T:
        """Run one statement in a read transaction and hand its rows to ``consume`` as they arrive
        (for results too large to hold, such as an export). A retried transaction calls ``consume`` again."""

        def work(tx: ManagedTransaction) -> T:
            result = tx.run(step.text, step.bound_params)
            return consume(record.data() for record in result)

        try:
            with self._session(read=True) as session:
                return session.execute_read(work)
        except MutualsError:
            raise
        except DRIVER_ERRORS as e:
            raise translate(e) from e

    def run_text(
        self, text: str, params: dict[str, Any], *, write: bool, after: str | None = None
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """Run a user's own Cypher (``mutuals query``, reports) and return its column names and rows."""

        def work(tx: ManagedTransaction) -> tuple[list[str], list[dict[str, Any]]]:
            result = tx.run(text, params)  # the user's own statement; values travel as parameters
            keys = list(result.keys())
            return keys, [dict(zip(keys, record.values(), strict=True)) for record in result]

        try:
            with self._session(read=not write, after=after) as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except MutualsError:
            raise
        except DRIVER_ERRORS as e:
            raise translate(e) from e

    def ping(self) -> float:
        """Seconds for one ``RETURN 1`` round trip."""
        start = time.perf_counter()
        self.read(_ping)
        return time.perf_counter() - start


def _ping() -> Any:
    result = yield Run("ping", {})
    return result.one()
