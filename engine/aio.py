"""``AsyncEngine``: the same verbs as ``Engine``, awaitable, on the driver's async API.

The verbs are generated from ``Engine`` (engine/_aio_verbs.py, by tools/unasync.py) and run the
very same plans, so every rule exists once. What is not a single plan (set-up, paging helpers,
the demo, raw queries) is written here.

    async with AsyncEngine.from_env() as engine:
        outcome = await engine.follow("alice", "bob")
        page = await engine.friends("alice", after=outcome.token)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from mutuals._aio_verbs import AsyncVerbs
from mutuals.base import validate as v
from mutuals.base.models import Event, Page
from mutuals.base.values import plain
from mutuals.core import QueryResult, walk_arguments
from mutuals.io import tokens
from mutuals.io.aio_connection import AsyncConnection
from mutuals.io.config import Config, redact_uri
from mutuals.io.cursor import Cursors
from mutuals.ops import events as outbox
from mutuals.ops import schema
from mutuals.views import charts, reports
from mutuals.views import demo as demo_module
from mutuals.views.ego import DEFAULT_LIMIT as EGO_LIMIT
from mutuals.views.ego import EgoPicture, ego_network, picture

T = TypeVar("T")


class AsyncEngine(AsyncVerbs):
    """The relationship engine for asyncio services (FastAPI, aiohttp...). Use ``async with``
    (or ``await AsyncEngine.open()``) so the schema is in place before the first call."""

    def __init__(self, config: Config | None = None, *, apply_schema: bool = True) -> None:
        self.config = config or Config.from_env()
        self._conn = AsyncConnection(self.config)
        self._cursors = Cursors(self._conn.cursor_secret)
        self._apply_schema_on_enter = apply_schema

    @classmethod
    def from_env(cls, **overrides: Any) -> AsyncEngine:
        """An engine configured from ``NEO4J_URI``, ``NEO4J_USERNAME``, ... (see :class:`Config`)."""
        return cls(Config.from_env(**overrides))

    @classmethod
    async def open(cls, config: Config | None = None) -> AsyncEngine:
        """Create an engine and apply the schema (for code that cannot use ``async with``)."""
        engine = cls(config, apply_schema=False)
        try:
            await engine.apply_schema()
        except BaseException:
            await engine.close()
            raise
        return engine

    async def close(self) -> None:
        """Close the driver (the embedded server keeps running)."""
        await self._conn.close()

    async def __aenter__(self) -> AsyncEngine:
        if self._apply_schema_on_enter:
            try:
                await self.apply_schema()
            except BaseException:
                await self.close()
                raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def uri(self) -> str:
        """The Bolt URI in use, without credentials."""
        return redact_uri(self._conn.uri)

    async def apply_schema(self) -> list[str]:
        """Create the constraints and indexes that are missing; returns their names."""
        todo = schema.missing(await self._conn.read(schema.existing_names))
        for name in todo:
            await self._conn.write(partial(schema.apply_one, name))
        if todo:
            await self._conn.read(schema.await_indexes)
        return [name.removeprefix("schema/") for name in todo]

    async def ping(self) -> float:
        """Seconds for one round trip to the database."""
        return await self._conn.ping()

    async def walk(
        self, method: Callable[..., Awaitable[Page[T]]], *args: Any, page_size: int = 500, **kwargs: Any
    ) -> AsyncIterator[T]:
        """Every item of a paginated list: ``async for f in engine.walk(engine.friends, "alice")``."""
        size = walk_arguments(self, method, page_size, kwargs)
        cursor: str | None = None
        while True:
            page = await method(*args, limit=size, cursor=cursor, **kwargs)
            for item in page.items:
                yield item
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def events_follow(
        self,
        after: int = 0,
        *,
        poll: float = 1.0,
        limit: int = outbox.DEFAULT_READ,
        stop: asyncio.Event | None = None,
    ) -> AsyncIterator[Event]:
        """``Engine.events_follow``, awaitable: ``async for event in engine.events_follow(seq, stop=shutdown)``;
        ends when ``stop`` is set (the wait ends at once)."""
        outbox.read(after, limit)  # the arguments are checked now, not at the first iteration
        pause = outbox.poll_seconds(poll)
        return self._events_follow(after, pause, limit, stop)

    async def _events_follow(
        self, after: int, pause: float, limit: int, stop: asyncio.Event | None
    ) -> AsyncIterator[Event]:
        while stop is None or not stop.is_set():
            found = await self.events(after, limit)
            for event in found:
                yield event
            if found:
                after = found[-1].seq
            elif stop is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
            else:
                await asyncio.sleep(pause)

    def demo(self, *, force: bool = False) -> AsyncIterator[demo_module.Step]:
        """The guided tour: (re)loads a sample community and yields each step with its result.
        Refused (Conflict) on a database holding accounts it did not create, unless ``force``;
        it deletes only the accounts it created (labelled ``DemoAccount``)."""
        return demo_module.atour(self, self._conn, force=v.flag("force", force))

    async def query(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False, after: str | None = None
    ) -> QueryResult:
        """Run your own Cypher with parameters; read-only (the database refuses writes) unless ``write``."""
        text = v.statement_text("cypher", cypher)
        values = v.parameters("params", {} if params is None else params)
        columns, rows, counters = await self._conn.run_text(
            text, values, write=v.flag("write", write), after=tokens.checked(after)
        )
        return QueryResult(tuple(columns), tuple({k: plain(val) for k, val in row.items()} for row in rows), counters)

    # -- analysts: the same engine code; drawing a chart or a picture runs in a worker thread ---
    async def report_list(self) -> list[reports.Report]:
        """Every report: the built-in ones (``cypher/reports/``) and the analyst's own
        (``MUTUALS_REPORTS_DIR``), read afresh at each call, by name."""
        return reports.load_all(self.config.reports_dir)

    async def report_show(self, name: str) -> reports.Report:
        """A report's declaration and its runnable Cypher (``.text``: the rule fragments inlined),
        to run from any Neo4j client with the report's parameters (docs/reports.md)."""
        return reports.find(name, self.config.reports_dir)

    async def report_run(
        self, name: str, params: dict[str, Any] | None = None, *, chart: Path | str | None = None
    ) -> reports.ReportResult:
        """Run a report in a read transaction (the database refuses any write) with its parameters
        checked against its declaration; with ``chart``, also draw its label/value rows as a PNG."""
        out = None if chart is None else charts.target(chart, "chart")
        report, bound = reports.prepare(name, params, self.config.reports_dir)
        bound = reports.with_clock(report.text, bound)
        columns, rows, _ = await self._conn.run_text(report.text, bound, write=False)
        return await asyncio.to_thread(reports.finish, report, bound, columns, rows, out)

    async def draw(self, user: str, out: Path | str, *, limit: int = EGO_LIMIT) -> EgoPicture:
        """A PNG of the user's ego network: friends, followers-only and following-only accounts in
        their colours (at most ``limit`` of them, shared between the segments; the picture says when more exist)."""
        path = charts.target(out)
        network = await self._conn.read(ego_network(user, limit))
        return await asyncio.to_thread(picture, network, path)
