"""A notification worker: reads the event outbox in order and turns events into notifications.

It stores the last ``seq`` it handled after each event, so a restart resumes exactly where it
stopped: no notification is lost or sent twice (run: ``python -m examples.service.worker``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mutuals import AsyncEngine, Event


@dataclass(frozen=True)
class Notification:
    """A message for one account."""

    to: str
    text: str
    seq: int


def notification(event: Event) -> Notification | None:
    """The notification an event deserves, if any: a new follower is not a new friend."""
    actor, subject = event.actor or "", event.subject or ""
    texts = {
        "followed": (subject, f"{actor} started following you"),
        "became_friends": (subject, f"you and {actor} are now friends"),
        "requested": (subject, f"{actor} asked to follow you"),
        "approved": (subject, f"{actor} approved your follow request"),
        "liked": (subject, f"{actor} liked your post {event.post}"),
        "commented": (subject, f"{actor} commented on your post {event.post}"),
        "messaged": (subject, f"{actor} sent you a message"),
    }
    if event.type not in texts or not subject:
        return None
    to, text = texts[event.type]
    return Notification(to, text, event.seq)


class CursorFile:
    """The consumer's cursor: the last seq handled, written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> int:
        try:
            return int(self.path.read_text().strip() or 0)
        except FileNotFoundError:
            return 0

    def save(self, seq: int) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(str(seq))
        os.replace(tmp, self.path)


async def run(
    engine: AsyncEngine,
    cursor: CursorFile,
    send: Callable[[Notification], None],
    *,
    idle_seconds: float = 0.5,
    stop_when_idle: bool = False,
) -> None:
    """Consume events forever (or until there are none left, with ``stop_when_idle``)."""
    after = cursor.load()
    while True:
        events = await engine.events(after, 100)
        for event in events:
            note = notification(event)
            if note is not None:
                send(note)
            after = event.seq
            cursor.save(after)
        if not events:
            if stop_when_idle:
                return
            await asyncio.sleep(idle_seconds)


async def main() -> None:
    async with AsyncEngine.from_env() as engine:
        await run(engine, CursorFile(Path(os.environ.get("WORKER_CURSOR", "worker.cursor"))), print)


if __name__ == "__main__":
    asyncio.run(main())
