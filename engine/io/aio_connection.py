"""The async driver and the async runner of the same plans the sync runner executes.

The plans (the rules) are shared with :mod:`engine.connection`; only the I/O differs.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, TypeVar, cast

import neo4j
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction

from mutuals.base.errors import MutualsError, one_line, translate
from mutuals.io import tokens
from mutuals.io.config import Config
from mutuals.io.connection import (
    COMMIT_RETRY_DELAY,
    DRIVER_ERRORS,
    REPLAYABLE,
    MultiStep,
    bad_uri,
    counted,
    derived_secret,
    driver_options,
    finish,
    first_step,
    log,
    resolve_target,
    retryable,
    with_token,
)
from mutuals.io.plan import PlanFactory, Run

T = TypeVar("T")


async def adrive(tx: AsyncManagedTransaction, factory: PlanFactory[T]) -> T:
    """Execute a plan inside one transaction, awaiting each statement it yields."""
    plan = factory()
    try:
        step: Run = next(plan)
        while True:
            cursor = await tx.run(step.text, step.bound_params)
            rows = [record.data() async for record in cursor]
            step = plan.send(counted(rows, await cursor.consume()))
    except StopIteration as done:
        return cast(T, done.value)


class AsyncConnection:
    """Owns the async driver; runs plans in read or write transactions."""

    def __init__(self, config: Config) -> None:
        self.config = config
        uri, auth = resolve_target(config)  # may start the embedded server (once, at start-up)
        self.uri = uri
        try:
            self.driver = AsyncGraphDatabase.driver(uri, auth=auth, **driver_options(config))
        except (ValueError, neo4j.exceptions.ConfigurationError) as e:
            raise bad_uri(uri, auth[1], e) from None
        except DRIVER_ERRORS as e:
            raise translate(e) from e
        self.bookmarks = self.driver.execute_query_bookmark_manager
        self.cursor_secret = config.cursor_secret or derived_secret(auth, config.database)
        self.multi_step: set[str] = set()  # the plans (by name) that ran more than one statement

    async def close(self) -> None:
        await self.driver.close()

    def _session(self, read: bool, after: str | None = None) -> neo4j.AsyncSession:
        return self.driver.session(
            database=self.config.database,
            default_access_mode=neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS,
            bookmark_manager=self.bookmarks,
            bookmarks=tokens.decode(after),
        )

    async def read(self, factory: PlanFactory[T], after: str | None = None) -> T:
        """Run a plan in a read session (after the write of the consistency token ``after``): one
        auto-commit round trip when it is one statement, as :meth:`engine.connection.Connection.read`."""
        try:
            async with self._session(read=True, after=after) as session:
                name = factory.__qualname__
                if name not in self.multi_step:
                    try:
                        plan, step = first_step(factory)
                    except StopIteration as done:  # nothing to ask the database
                        return cast(T, done.value)
                    try:
                        cursor = await session.run(step.text, step.bound_params)
                        rows = [record.data() async for record in cursor]
                        return finish(plan, counted(rows, await cursor.consume()))
                    except MultiStep:
                        self.multi_step.add(name)
                    except DRIVER_ERRORS as e:
                        if not retryable(e):
                            raise
                return await session.execute_read(adrive, factory)
        except MutualsError:
            raise
        except DRIVER_ERRORS as e:
            raise translate(e) from e

    async def write(self, factory: PlanFactory[T]) -> T:
        """Run a plan in a write transaction (one transaction, retried as a whole on transient errors;
        an unconfirmed commit is replayed as in :meth:`engine.connection.Connection.write`)."""
        deadline = time.monotonic() + self.config.retry_seconds
        delay = COMMIT_RETRY_DELAY
        while True:
            try:
                async with self._session(read=False) as session:
                    value = await session.execute_write(adrive, factory)
                    return with_token(value, await session.last_bookmarks())
            except MutualsError:
                raise
            except REPLAYABLE as e:
                if time.monotonic() + delay > deadline:
                    raise translate(e) from e
                what = "Commit unconfirmed" if isinstance(e, neo4j.exceptions.IncompleteCommit) else "Server failure"
                log.warning("%s (%s); the operation will be retried in %ss", what, one_line(str(e)), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 8.0)
            except DRIVER_ERRORS as e:
                raise translate(e) from e

    async def run_text(
        self, text: str, params: dict[str, Any], *, write: bool, after: str | None = None
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """Run a user's own Cypher and return its column names and rows."""

        async def work(tx: AsyncManagedTransaction) -> tuple[list[str], list[dict[str, Any]]]:
            result = await tx.run(text, params)
            keys = list(result.keys())
            return keys, [dict(zip(keys, record.values(), strict=True)) async for record in result]

        try:
            async with self._session(read=not write, after=after) as session:
                return await (session.execute_write(work) if write else session.execute_read(work))
        except MutualsError:
            raise
        except DRIVER_ERRORS as e:
            raise translate(e) from e

    async def ping(self) -> float:
        """Seconds for one ``RETURN 1`` round trip."""
        from mutuals.io.connection import _ping

        start = time.perf_counter()
        await self.read(_ping)
        return time.perf_counter() - start
