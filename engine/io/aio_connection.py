"""The async transport: the async driver, and the requests of :mod:`mutuals.io.runner` awaited with it.

The rules (what to run how, retries, replays, errors, tokens) are the very objects the sync
transport (:mod:`mutuals.io.connection`) executes; only the act of sending a statement differs.
"""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar, cast

import neo4j
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction

from mutuals.io.config import Config
from mutuals.io.connection import CHUNK, Target, changes, counted
from mutuals.io.plan import PlanFactory, Result, Run
from mutuals.io.runner import (
    AutoCommit,
    Blocking,
    Concurrently,
    Done,
    Op,
    Query,
    Request,
    RolledBack,
    Sleep,
    Stream,
    Transaction,
    advance,
    not_retried,
)

T = TypeVar("T")


async def result_of(cursor: neo4j.AsyncResult) -> Result:
    """Read every row of a driver result and its counters."""
    rows = [record.data() async for record in cursor]
    return counted(rows, await cursor.consume())


async def adrive(tx: AsyncManagedTransaction, factory: PlanFactory[T]) -> T:
    """Execute a plan inside one transaction, awaiting each statement it yields."""
    plan = factory()
    try:
        with not_retried(tx):
            step: Run = next(plan)
            while True:
                step = plan.send(await result_of(await tx.run(step.text, step.bound_params)))
    except StopIteration as done:
        return cast(T, done.value)


async def arehearse(tx: AsyncManagedTransaction, factory: PlanFactory[T]) -> T:
    """:func:`adrive`, then raise :class:`RolledBack` so that the driver rolls the transaction back."""
    raise RolledBack(await adrive(tx, factory))


async def aquery(
    tx: AsyncManagedTransaction | neo4j.AsyncSession, request: Query
) -> tuple[list[str], list[dict[str, Any]], dict[str, int]]:
    """A user's own statement, in a transaction or as an auto-commit query: its column names, rows and counters."""
    with not_retried(tx):
        result = await tx.run(request.text, request.params)
        keys = list(result.keys())
        rows = [dict(zip(keys, record.values(), strict=True)) async for record in result]
        return keys, rows, changes(await result.consume())


async def astream(tx: AsyncManagedTransaction, request: Stream) -> Any:
    """One statement's rows, chunk by chunk, into a new sink (written from a worker thread)."""
    sink = request.open()
    try:
        with not_retried(tx):
            result = await tx.run(request.step.text, request.step.bound_params)
            while records := await result.fetch(CHUNK):
                await asyncio.to_thread(sink.add, [record.data() for record in records])
    except BaseException:
        sink.discard()
        raise
    return await asyncio.to_thread(sink.finish)


class AsyncConnection:
    """Owns the async driver; performs the requests of the rules (:class:`Runner`) with it."""

    def __init__(self, config: Config) -> None:
        target: Target[neo4j.AsyncDriver] = Target(config, AsyncGraphDatabase.driver)
        self.config, self.uri, self.cursor_secret = config, target.uri, target.cursor_secret
        self.driver: neo4j.AsyncDriver = target.driver
        self.runner = target.runner
        self.bookmarks = self.driver.execute_query_bookmark_manager

    async def close(self) -> None:
        await self.driver.close()

    async def execute(self, op: Op[T]) -> T:
        """Run an operation of the rules to its end, awaiting each request it makes."""
        try:
            step = advance(op)
            while not isinstance(step, Done):
                answer, error = None, None
                try:
                    answer = await self.perform(step)
                except Exception as e:  # thrown into the operation, which decides
                    error = e
                step = advance(op, answer, error)
            return step.value
        finally:
            op.close()

    async def perform(self, request: Request) -> Any:
        """Do what one request asks (the only I/O of this connection)."""
        if isinstance(request, Sleep):
            return await asyncio.sleep(request.seconds)
        if isinstance(request, Blocking):
            return await asyncio.to_thread(request.call)
        if isinstance(request, Concurrently):
            results = await asyncio.gather(*(self.execute(op) for op in request.ops), return_exceptions=True)
            for result in results:
                if isinstance(result, BaseException):
                    raise result
            return results
        if isinstance(request, AutoCommit):
            async with self._session(True, request.bookmarks) as session:
                return await result_of(await session.run(request.step.text, request.step.bound_params))
        if isinstance(request, Transaction):
            async with self._session(request.read, request.bookmarks) as session:
                run = session.execute_read if request.read else session.execute_write
                if request.rollback:
                    try:
                        await run(arehearse, request.factory)
                    except RolledBack as done:
                        return done.value, None
                value = await run(adrive, request.factory)
                return value, await session.last_bookmarks()
        if isinstance(request, Query):
            async with self._session(not request.write, request.bookmarks) as session:
                if request.implicit:  # CALL { ... } IN TRANSACTIONS: its own commits, never retried
                    return await aquery(session, request)
                run = session.execute_write if request.write else session.execute_read
                return await run(aquery, request)
        async with self._session(True, None) as session:
            return await session.execute_read(astream, request)

    def _session(self, read: bool, bookmarks: neo4j.Bookmarks | None) -> neo4j.AsyncSession:
        return self.driver.session(
            database=self.config.database,
            default_access_mode=neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS,
            bookmark_manager=self.bookmarks,
            bookmarks=bookmarks,
        )

    # -- what the engine awaits -----------------------------------------------------------------
    async def read(self, factory: PlanFactory[T], after: str | None = None) -> T:
        """Run a plan in a read session (after the write of the consistency token ``after``)."""
        return await self.execute(self.runner.read(factory, after))

    async def write(self, factory: PlanFactory[T], *, rollback: bool = False, after: str | None = None) -> T:
        """Run a plan in a write transaction (replayed after an unconfirmed commit: :mod:`mutuals.io.runner`);
        ``rollback``: a rehearsal, rolled back, after the write of the token ``after`` (preview_change)."""
        if rollback:
            return await self.execute(self.runner.rehearse(factory, after))
        return await self.execute(self.runner.write(factory))

    async def run_text(
        self, text: str, params: dict[str, Any], *, write: bool, after: str | None = None
    ) -> tuple[list[str], list[dict[str, Any]], dict[str, int]]:
        """Run a user's own Cypher: its column names, rows and counters."""
        return await self.execute(self.runner.query(text, params, write=write, after=after))

    async def ping(self) -> float:
        """Seconds for one ``RETURN 1`` round trip."""
        return await self.execute(self.runner.ping())
