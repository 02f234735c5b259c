"""Read and parse the rows of an import in a background thread while the database writes the
previous batch: the driver waits on the socket with the GIL released (or the event loop awaits
it), so on two cores the parsing (a few microseconds a row in Python) costs no wall-clock time."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from mutuals.bulk.formats import Line, Reader
from mutuals.bulk.rows import Kind, Row, RowError, parse

CHUNK: Final = 2_000  # lines handed over at once (one queue operation per chunk, not per line)
AHEAD: Final = 16  # chunks read ahead at most (bounded memory)


@dataclass(frozen=True, slots=True)
class Parsed:
    """One line and what came of it: a row, or why it cannot be imported (``reason``, ``detail``)."""

    line: Line
    row: Row | None = None
    reason: str = ""
    detail: str = ""


def parsed(spec: Kind, line: Line) -> Parsed:
    """Parse one line of ``spec``."""
    if line.fields is None:
        return Parsed(line, None, "malformed", line.problem or "malformed line")
    try:
        return Parsed(line, parse(spec, line.number, line.fields))
    except RowError as e:
        return Parsed(line, None, e.reason, e.detail)


class Prefetch:
    """Iterate the parsed lines of ``reader``, produced by a background thread; ``close()`` stops it."""

    def __init__(self, reader: Reader, spec: Kind) -> None:
        self._reader, self._spec = reader, spec
        self._queue: queue.Queue[list[Parsed] | BaseException | None] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="mutuals-import-reader", daemon=True)
        self._thread.start()

    def _put(self, item: list[Parsed] | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        chunk: list[Parsed] = []
        try:
            for line in self._reader:
                chunk.append(parsed(self._spec, line))
                if len(chunk) >= CHUNK:
                    if not self._put(chunk):
                        return
                    chunk = []
            if chunk and not self._put(chunk):
                return
            self._put(None)
        except BaseException as e:  # handed to the consumer, which raises it
            self._put(e)

    def next_chunk(self) -> list[Parsed] | None:
        """The next lines, in file order (None at the end, or once closed); waits for the reader
        thread (so an async engine calls it from a worker thread) and raises what it raised."""
        while True:
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                if self._stop.is_set():
                    return None
                continue
            if isinstance(item, BaseException):
                raise item
            return item

    def __iter__(self) -> Iterator[Parsed]:
        while (chunk := self.next_chunk()) is not None:
            yield from chunk

    def close(self) -> None:
        """Stop the reader thread (before the file is closed)."""
        self._stop.set()
        self._thread.join()
