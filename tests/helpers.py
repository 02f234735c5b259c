"""Small helpers shared by the tests (building graphs tersely)."""

from __future__ import annotations

from engine import Engine


def wipe(engine: Engine) -> None:
    """Delete every node and relationship (the schema stays)."""
    engine.query("MATCH (n) DETACH DELETE n", write=True)


def people(engine: Engine, *ids: str, private: tuple[str, ...] = ()) -> None:
    """Create accounts (those named in ``private`` are private)."""
    for uid in ids:
        engine.user_add(uid, private=uid in private)


def follows(engine: Engine, *pairs: str) -> None:
    """Follows written as "a>b" (a follows b) or "a<>b" (friends)."""
    for pair in pairs:
        if "<>" in pair:
            a, b = pair.split("<>")
            engine.follow(a, b)
            engine.follow(b, a)
        else:
            a, b = pair.split(">")
            engine.follow(a, b)
