"""The one loader of Cypher statements.

Every statement the engine runs is a file ``cypher/engine/<name>.cypher`` (one statement per
file, named after the operation); they are read once, on first use, and looked up by name.
Values always travel as parameters: nothing here formats user input into a statement. A
statement may name a rule fragment, ``{{can_view(...)}}``, which is replaced on loading by the
Cypher text :mod:`mutuals.rules.visibility` builds from its table (our own code, never input).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import LiteralString

from mutuals.base.errors import MutualsError
from mutuals.rules.fragments import inline


def cypher_root() -> Path:
    """The ``cypher/`` directory: shipped inside the package (wheel) or at the repository root (editable)."""
    here = Path(__file__).resolve().parent.parent  # the package: mutuals/ (wheel) or engine/ (checkout)
    for candidate in (here / "_cypher", here.parent / "cypher"):
        if (candidate / "engine").is_dir():
            return candidate
    raise MutualsError(f"the cypher/ directory is missing (looked in {here / '_cypher'} and {here.parent / 'cypher'})")


def _strip_comments(text: str) -> str:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return "\n".join(lines).strip().rstrip(";").strip()


@cache
def statements() -> dict[str, LiteralString]:
    """Every engine statement by name (``schema/account_id`` for ``cypher/engine/schema/account_id.cypher``)."""
    base = cypher_root() / "engine"
    found: dict[str, LiteralString] = {}
    for path in sorted(base.rglob("*.cypher")):
        name = path.relative_to(base).with_suffix("").as_posix()
        # The files are part of the package, written by us, and so is the fragment inlined into
        # them: they are the literal statements.
        found[name] = inline(_strip_comments(path.read_text(encoding="utf-8")))
    return found


def statement(name: str) -> LiteralString:
    """The text of one engine statement; ``first+second`` names the two statements run as one
    (:func:`fused`)."""
    if "+" in name:
        return fused(name)
    try:
        return statements()[name]
    except KeyError:
        raise MutualsError(f"no Cypher statement named {name!r} in {cypher_root() / 'engine'}") from None


@cache
def fused(name: str) -> LiteralString:
    """Statements that return nothing, run one after the other in one round trip: ``a+b`` is
    ``CALL () { a } CALL () { b }`` (a write and the outbox append that goes with it,
    mutuals.ops.events.emit_with). Each part is a statement file; tests/test_cypher.py EXPLAINs
    every fused name the operations use."""
    parts = [statement(part) for part in name.split("+")]
    return "\n".join(f"CALL () {{\n{text}\n}}" for text in parts)


def schema_statements() -> list[tuple[str, LiteralString]]:
    """The schema statements (constraints and indexes), in file-name order."""
    return [(name, text) for name, text in statements().items() if name.startswith("schema/")]
