"""Run an ``AsyncEngine`` behind the ``Engine`` interface, so the same rule tests run on both."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

from mutuals import AsyncEngine, Config

T = TypeVar("T")


class LoopThread:
    """An event loop running in a daemon thread; ``run`` waits for a coroutine's result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="async-engine-loop")
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


class SyncFacade:
    """Looks like an ``Engine``; every call is awaited on an ``AsyncEngine`` in the loop thread."""

    def __init__(self, config: Config, loop: LoopThread) -> None:
        self._loop = loop
        self.async_engine: AsyncEngine = loop.run(AsyncEngine.open(config))
        self.config = config

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.async_engine, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._loop.run(attr(*args, **kwargs))

        call.awaitable = attr  # type: ignore[attr-defined]
        return call

    def walk(self, method: Callable[..., Any], *args: Any, page_size: int = 500, **kwargs: Any) -> Iterator[Any]:
        awaitable = method.awaitable  # type: ignore[attr-defined]

        async def collect() -> list[Any]:
            return [x async for x in self.async_engine.walk(awaitable, *args, page_size=page_size, **kwargs)]

        return iter(self._loop.run(collect()))

    def close(self) -> None:
        self._loop.run(self.async_engine.close())
