"""The offline preparation's reader processes: forked as soon as what they read with is known,
each splits a file into chunks and maps its ids and times to numbers while the main process
decides the chunks before (two ahead at most).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mutuals.bulk.offline_files import Lines, Records, chunks


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


class _Failure:
    """An exception of the reader process, for the process it reads for."""

    def __init__(self, error: BaseException) -> None:
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
        self.error = error


def _reader(path: Path, columns: list[str], read: Callable[[Lines | Records, list[str]], Any], out: Any) -> None:
    """The reader process: each chunk of ``path`` and what ``read`` makes of it, then None."""
    try:
        for chunk in chunks(path, columns):
            out.put((chunk, read(chunk, columns)))
        out.put(None)
    except BaseException as e:
        out.put(_Failure(e))
    finally:
        out.close()
        out.join_thread()


class _Ahead:
    """A reader process (forked when made) and the chunks it reads, two ahead at most."""

    def __init__(self, path: Path, columns: list[str], read: Callable[[Lines | Records, list[str]], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self.path = path
        self.results: Any = context.Queue(maxsize=2)
        self.process = context.Process(target=_reader, args=(path, columns, read, self.results), daemon=True)
        self.process.start()

    def __iter__(self) -> Iterator[tuple[Lines | Records, Any]]:
        try:
            while True:
                try:
                    item = self.results.get(timeout=1.0)
                except queue.Empty:
                    if not self.process.is_alive():
                        raise RuntimeError(
                            f"the reader of {self.path.name} stopped (exit code {self.process.exitcode})"
                        ) from None
                    continue
                if item is None:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
        finally:
            self.close()

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.results.close()
