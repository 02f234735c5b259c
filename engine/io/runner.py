"""Every decision about running plans, without I/O: the one core of the sync and async connections.

An operation here is a generator (an :data:`Op`) that yields I/O requests (:class:`AutoCommit`,
:class:`Transaction`, :class:`Query`, :class:`Stream`, :class:`Sleep`, :class:`Blocking`) and
receives their answers, or has the transport's exception thrown in at the ``yield``
(:class:`Concurrently` runs several operations at once). What to try
first, what to remember, what to retry and how long to wait, how errors read and which token a
write hands out are decided here once; :class:`mutuals.io.connection.Connection` and
:class:`mutuals.io.aio_connection.AsyncConnection` only perform the requests (:func:`advance`
steps an operation), so the sync and async engines cannot drift apart.

The rules:

* A read of one statement is first tried as an auto-commit query: one round trip (RUN and PULL)
  instead of two (BEGIN, RUN and PULL, then COMMIT). When the plan asks for a second statement
  it is remembered (by name) as multi-step and run in a managed read transaction from then on;
  when the auto-commit query fails in a way the driver would retry, it falls back to the managed
  transaction, which the driver retries.
* A write is one managed transaction, which the driver retries on transient errors. The driver
  does not retry a commit whose answer was lost with the connection (``IncompleteCommit``: it may
  or may not have happened), nor a transaction the server failed for an internal reason
  (``Neo.DatabaseError.*``, rolled back); the plan is replayed anyway, after a doubling delay,
  until the retry deadline. Every plan reads the state under its locks and writes only what is
  missing, so the replay either applies the operation or finds it applied (``already_...``).
* A user's own statement (:class:`Query`) is never replayed: it may not be idempotent. One that
  needs an auto-commit (implicit) transaction (``CALL { ... } IN TRANSACTIONS``: :func:`needs_implicit`,
  or the server saying so) runs as one, in a session of the same access mode, so a read stays
  read-only (the server refuses a write in a read session).
* A transaction over the server's memory pool is never retried (the driver would: it is a
  transient error); it leaves at once as :class:`TransactionTooLarge`, saying what to do.
* A transaction the driver has failed is left alone (:func:`let_go`): the driver has released its
  connection already, and closing it again would touch a connection another thread may hold.
* Driver errors leave as :class:`MutualsError` (``translate``), chained to the driver's error.
* A write's bookmarks become the consistency token of its :class:`Outcome`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, Generic, Protocol, TypeVar, cast

import neo4j

from mutuals.base.errors import MutualsError, failure_of, never_retried, one_line, translate
from mutuals.base.models import Outcome
from mutuals.io import tokens
from mutuals.io.plan import Plan, PlanFactory, Result, Run

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# what the driver raises (anything else is a bug and propagates as it is)
DRIVER_ERRORS = (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError)
# failures after which a plan is replayed by the engine (the driver does not retry them)
REPLAYABLE = (neo4j.exceptions.IncompleteCommit, neo4j.exceptions.DatabaseError)
COMMIT_RETRY_DELAY = 0.5  # seconds before replaying a plan whose commit went unconfirmed (doubles)
MAX_RETRY_DELAY = 8.0

log = logging.getLogger("mutuals")


# -- the I/O requests a transport performs ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AutoCommit:
    """Run one statement as an auto-commit query in a read session; answer its :class:`Result`."""

    step: Run
    bookmarks: neo4j.Bookmarks | None


@dataclass(frozen=True, slots=True)
class Transaction:
    """Run a plan in one managed transaction (read or write, retried by the driver on transient
    errors); answer ``(the plan's value, the session's last bookmarks)``."""

    factory: PlanFactory[Any]
    read: bool
    bookmarks: neo4j.Bookmarks | None = None
    rollback: bool = False  # a rehearsal: roll the transaction back (answer the value, no bookmarks)


@dataclass(frozen=True, slots=True)
class Query:
    """Run a user's own statement in a managed transaction (``implicit``: as an auto-commit query,
    in a session of the same access mode); answer ``(column names, rows, counters)``."""

    text: str
    params: dict[str, Any]
    write: bool
    bookmarks: neo4j.Bookmarks | None
    implicit: bool = False


class Sink(Protocol[T_co]):
    """Where a :class:`Stream` puts its rows: ``add`` each chunk as it arrives, then ``finish``
    (its value is the answer); ``discard`` when the transaction fails."""

    def add(self, rows: list[dict[str, Any]]) -> None: ...
    def finish(self) -> T_co: ...
    def discard(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Stream:
    """Run one statement in a managed read transaction and hand its rows, in chunks as they
    arrive, to a sink made by ``open`` (a new one when the driver retries the transaction);
    answer the sink's ``finish()``. ``add`` may block (file I/O): an async transport runs it in a thread."""

    step: Run
    open: Callable[[], Sink[Any]]


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait this many seconds."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Blocking:
    """Call a function that may block (waiting for parsed rows): directly when sync, in a worker
    thread when async; answer its value."""

    call: Callable[[], Any]


@dataclass(frozen=True, slots=True)
class Concurrently:
    """Run these operations at the same time, each to its end as if alone (threads when sync,
    tasks when async); answer their values in order, or raise the first one's error once all
    have ended (an import's batches on accounts that share nothing: mutuals.bulk.lanes)."""

    ops: tuple[Generator[Any, Any, Any], ...]


Request = AutoCommit | Transaction | Query | Stream | Sleep | Blocking | Concurrently
Op = Generator[Request, Any, T]


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """The operation finished with this value."""

    value: T


def advance(op: Op[T], answer: Any = None, error: Exception | None = None) -> Request | Done[T]:
    """Hand an operation the answer to its last request (or the exception performing it raised);
    its next request, or :class:`Done`. The first call starts it (``answer`` None)."""
    try:
        return op.throw(error) if error is not None else op.send(answer)
    except StopIteration as done:
        return Done(cast(T, done.value))


# -- the pieces of the rules --------------------------------------------------------------------


class RolledBack(Exception):
    """Carries a rehearsed plan's value out of its transaction, which the driver then rolls back
    (a :class:`Transaction` with ``rollback``: preview_change)."""

    def __init__(self, value: Any) -> None:
        super().__init__("rolled back")
        self.value = value


class MultiStep(Exception):
    """The plan asked for a second statement: it needs a transaction (the first one is discarded)."""


def retryable(error: BaseException) -> bool:
    """Whether the driver would retry this failure inside a managed transaction (and should:
    never a transaction over the memory pool)."""
    error = failure_of(error) if isinstance(error, Exception) else error
    if never_retried(error):
        return False
    check = getattr(error, "is_retryable", None)
    return bool(check()) if callable(check) else isinstance(error, OSError)


def let_go(tx: object) -> None:
    """Leave a transaction the driver has failed alone: mark it closed, so that the driver's retry
    loop, closing it, touches nothing.

    When a statement fails, the driver's session releases the connection to the pool at once (its
    RESET rolls the transaction back on the server); then ``execute_read``/``execute_write`` closes
    the failed transaction, which peeks at that connection's socket, may read the result again
    (raising ``ResultFailedError``, never retried) or send a ROLLBACK: on a connection another
    thread may have acquired meanwhile (neo4j 6.4.1; measured: every failed transaction of a
    24-thread deadlock loop closed on a released connection, one in a few hundred raised
    ``ResultFailedError``, and one blocked for the server's 120 s receive timeout, two threads
    peeking at one socket). Only a transaction whose failure came through the driver's error handler
    (its ``_last_error`` set: the connection is already released) is marked; any other is closed by
    the driver as usual. docs/decisions.md, "A failed transaction is left alone"."""
    if getattr(tx, "_last_error", None) is not None and getattr(tx, "_closed_flag", True) is False:
        tx._closed_flag = True  # type: ignore[attr-defined]


@contextmanager
def not_retried(tx: object | None = None) -> Iterator[None]:
    """Around the body of a transaction function ``tx``: an error no retry cures (the memory pool)
    leaves as a :class:`MutualsError`, which the driver's retry loop lets through at once; a failure
    the driver wraps (:func:`failure_of`) leaves as itself, for that loop to judge; a transaction the
    driver failed is left alone (:func:`let_go`)."""
    try:
        yield
    except DRIVER_ERRORS as e:
        if tx is not None:
            let_go(tx)
        failure = failure_of(e)
        if never_retried(failure):
            raise translate(failure) from failure
        if failure is not e:
            raise failure from None
        raise


# `} IN [n] [CONCURRENT] TRANSACTIONS`, once strings, quoted names and comments are blanked out
_IN_TRANSACTIONS = re.compile(r"\}\s*IN\s+(?:[^\s{}]+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE)
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)
# what the server answers when a statement needs an implicit transaction and was sent in a managed one
IMPLICIT_ONLY_CODE = "Neo.DatabaseError.Transaction.TransactionStartFailed"


def needs_implicit(text: str) -> bool:
    """Whether a statement must run as an auto-commit (implicit) transaction: it has a
    ``CALL { ... } IN TRANSACTIONS`` (text inside strings, quoted names and comments does not count)."""
    return _IN_TRANSACTIONS.search(_LITERALS.sub(" ", text)) is not None


def implicit_only(error: BaseException) -> bool:
    """Whether the server refused a statement because it can only run in an implicit transaction."""
    return getattr(error, "code", None) == IMPLICIT_ONLY_CODE and "implicit transaction" in str(error)


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


def translated(op: Op[T]) -> Op[T]:
    """The operation, with the driver's errors that leave it turned into :class:`MutualsError`."""
    try:
        return (yield from op)
    except MutualsError:
        raise
    except DRIVER_ERRORS as e:
        raise translate(e) from e


class Runner:
    """The rules of running plans, with what they remember (the multi-step plans)."""

    def __init__(self, retry_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.retry_seconds = retry_seconds
        self.clock = clock
        self.multi_step: set[str] = set()  # the plans (by name) that ran more than one statement

    def read(self, factory: PlanFactory[T], after: str | None = None) -> Op[T]:
        """Run a plan after the write of the consistency token ``after``: in one auto-commit round
        trip when it is one statement, else in a read transaction."""
        return translated(self._read(factory, tokens.decode(after)))

    def write(self, factory: PlanFactory[T]) -> Op[T]:
        """Run a plan in a write transaction, replayed after an unconfirmed commit; an Outcome (or any
        result dataclass with a ``token`` field) gets its token."""
        value, token = yield from self.commit(factory)
        if isinstance(value, Outcome) or (
            is_dataclass(value) and not isinstance(value, type) and "token" in {f.name for f in fields(value)}
        ):
            return cast(T, replace(value, token=token))
        return value

    def rehearse(self, factory: PlanFactory[T], after: str | None = None) -> Op[T]:
        """Run a write plan in a transaction that is rolled back (after the write of the token
        ``after``): its value as if committed, and nothing written. Never replayed: nothing commits."""
        return translated(self._rehearse(factory, tokens.decode(after)))

    def _rehearse(self, factory: PlanFactory[T], bookmarks: neo4j.Bookmarks | None) -> Op[T]:
        value, _ = yield Transaction(factory, read=False, bookmarks=bookmarks, rollback=True)
        return cast(T, value)

    def commit(self, factory: PlanFactory[T]) -> Op[tuple[T, str | None]]:
        """As :meth:`write`, answering the plan's value and the write's consistency token (bulk batches)."""
        return translated(self._write(factory))

    def query(
        self, text: str, params: dict[str, Any], *, write: bool, after: str | None = None
    ) -> Op[tuple[list[str], list[dict[str, Any]], dict[str, int]]]:
        """Run a user's own statement (never replayed) and answer its column names, rows and counters;
        as an auto-commit transaction when it needs one (``CALL { ... } IN TRANSACTIONS``)."""
        return translated(self._query(Query(text, params, write, tokens.decode(after), needs_implicit(text))))

    def stream(self, step: Run, open: Callable[[], Sink[T]]) -> Op[T]:
        """Run one statement in a read transaction, its rows going to a sink (for results too large to hold)."""
        return translated(self._ask(Stream(step, open)))

    def ping(self) -> Op[float]:
        """Seconds for one ``RETURN 1`` round trip."""
        start = time.perf_counter()
        yield from self.read(_ping)
        return time.perf_counter() - start

    def _ask(self, request: Request) -> Op[Any]:
        return (yield request)

    def _query(self, request: Query) -> Op[tuple[list[str], list[dict[str, Any]], dict[str, int]]]:
        if not request.implicit:
            try:
                return cast(tuple[list[str], list[dict[str, Any]], dict[str, int]], (yield request))
            except DRIVER_ERRORS as e:  # the classifier missed it: the server says so before running anything
                if not implicit_only(e):
                    raise
        return cast(tuple[list[str], list[dict[str, Any]], dict[str, int]], (yield replace(request, implicit=True)))

    def _read(self, factory: PlanFactory[T], bookmarks: neo4j.Bookmarks | None) -> Op[T]:
        name = factory.__qualname__
        if name not in self.multi_step:
            try:
                plan, step = first_step(factory)
            except StopIteration as done:  # nothing to ask the database
                return cast(T, done.value)
            try:
                return finish(plan, (yield AutoCommit(step, bookmarks)))
            except MultiStep:
                self.multi_step.add(name)
            except DRIVER_ERRORS as e:
                if not retryable(e):
                    raise
        value, _ = yield Transaction(factory, read=True, bookmarks=bookmarks)
        return cast(T, value)

    def _write(self, factory: PlanFactory[T]) -> Op[tuple[T, str | None]]:
        deadline = self.clock() + self.retry_seconds
        delay = COMMIT_RETRY_DELAY
        while True:
            try:
                value, bookmarks = yield Transaction(factory, read=False)
                return cast(T, value), tokens.encode(bookmarks)
            except REPLAYABLE as e:
                if self.clock() + delay > deadline:
                    raise
                what = "Commit unconfirmed" if isinstance(e, neo4j.exceptions.IncompleteCommit) else "Server failure"
                log.warning("%s (%s); the operation will be retried in %ss", what, one_line(str(e)), delay)
            yield Sleep(delay)
            delay = min(delay * 2, MAX_RETRY_DELAY)


def _ping() -> Plan[Any]:
    result = yield Run("ping", {})
    return result.one()
