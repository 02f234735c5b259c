"""Shared pieces of the CLI: the engine of this invocation, common options, and rendering."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from mutuals.base import limits as lists
from mutuals.base.errors import MutualsError, NotAllowed
from mutuals.io.config import Config

from . import exits

if TYPE_CHECKING:
    from mutuals.base.models import Outcome, Page
    from mutuals.core import Engine

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _remember_json(ctx: typer.Context, value: bool) -> bool:
    """Note --json in the state, so a refusal raised by the engine is printed as JSON too."""
    state(ctx).as_json = state(ctx).as_json or bool(value)
    return value


JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print exactly one JSON value on stdout.", callback=_remember_json)
]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, max=lists.MAX_LIMIT, help="Page size.")]
CursorOpt = Annotated[str | None, typer.Option("--cursor", help="Resume after this cursor (printed on stderr).")]
AllOpt = Annotated[bool, typer.Option("--all", help="Walk every page.")]
AfterOpt = Annotated[
    str | None,
    typer.Option("--after", metavar="TOKEN", help="Read after the write of this consistency token (its --json)."),
]


@dataclass
class State:
    """What the root callback gathered; the engine is opened on first use and closed at exit."""

    overrides: dict[str, Any] = field(default_factory=dict)
    engine: Engine | None = None
    as_json: bool = False

    def config(self) -> Config:
        return Config.from_env(**self.overrides)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def engine(ctx: typer.Context) -> Engine:
    """The engine of this command line, opened once."""
    st = state(ctx)
    if st.engine is None:
        from mutuals.core import Engine  # the driver, imported by the commands that use it

        st.engine = Engine(st.config())
        ctx.find_root().call_on_close(st.engine.close)
    return st.engine


def emit_json(value: Any) -> None:
    """Print one JSON value on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def outcome(result: Outcome, as_json: bool, subject: str, *, verb: str) -> None:
    """Print an operation's outcome (with --json, its consistency token too); a refused operation
    is a refusal (:func:`refusal`)."""
    if result.refused:
        refusal(result.outcome, result.reasons, f"{verb} refused: {'; '.join(result.reasons)}", as_json, result.token)
    if as_json:
        emit_json(with_token(result.to_dict(), result.token))
        return
    text = f"[green]{result.outcome.replace('_', ' ')}[/green]  {safe(subject)}"
    if result.approved:
        text += f"  (approved requests: {safe(', '.join(result.approved))})"
    out.print(text)


def with_token(value: dict[str, Any], token: str | None) -> dict[str, Any]:
    """A write's JSON object with its consistency token (pass it to a read's --after)."""
    return {**value, "token": token} if token else value


def refusal(word: str, reasons: Sequence[str], line: str, as_json: bool, token: str | None = None) -> NoReturn:
    """The one shape of a refusal by the rules, whether the engine returned a refused Outcome (a
    follow across a block) or raised NotAllowed (an interaction its check denies): with --json
    ``{"outcome", "allowed": false, "reasons", "token"?}`` on stdout; always one line on stderr;
    exit status 4."""
    if as_json:
        emit_json(with_token({"outcome": word, "allowed": False, "reasons": list(reasons)}, token))
    err.print(f"[red]error:[/red] {safe(line)}")
    raise typer.Exit(exits.REFUSED)


def refused(error: NotAllowed, as_json: bool) -> NoReturn:
    """A NotAllowed (or Blocked) raised by the engine, as a refusal."""
    refusal(error.outcome, error.reasons, str(error), as_json)


def ids(items: Iterable[str], as_json: bool, title: str, *, next_cursor: str | None = None) -> None:
    """Print a list of account ids; the next page's cursor goes to stderr."""
    values = list(items)
    if as_json:
        emit_json(values)
    else:
        table = Table(title=Text(printable(title)), show_header=True, header_style="bold")
        table.add_column("id")
        for value in values:
            table.add_row(Text(printable(value)))
        out.print(table if values else Text(printable(f"{title}: none")))
    if next_cursor:
        err.print(f"more: --cursor {next_cursor}")


def page_or_all(
    eng: Engine, method: Any, args: Sequence[Any], *, limit: int, cursor: str | None, walk_all: bool, **kwargs: Any
) -> tuple[list[Any], str | None]:
    """One page, or with ``--all`` every item (the engine's ``walk``, in pages of the list's largest size)."""
    if walk_all:
        return list(eng.walk(method, *args, page_size=lists.MAX_LIMIT, **kwargs)), None
    page: Page[Any] = method(*args, limit=limit, cursor=cursor, **kwargs)
    return list(page.items), page.next_cursor


def mapping(values: dict[str, Any], as_json: bool, title: str) -> None:
    """Print a flat object as a two-column table (or JSON)."""
    if as_json:
        emit_json(values)
        return
    table = Table(title=Text(printable(title)), show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    for key, value in values.items():
        table.add_row(Text(printable(key)), Text(_cell(value)))
    out.print(table)


def rows(columns: Sequence[str], records: Sequence[dict[str, Any]], as_json: bool, title: str | None = None) -> None:
    """Print rows as a table (or a JSON array of row objects)."""
    if as_json:
        emit_json(list(records))
        return
    caption = f"{len(records)} row{'s' if len(records) != 1 else ''}"
    table = Table(
        title=Text(printable(title)) if title else None, caption=caption, show_header=True, header_style="bold"
    )
    for column in columns:
        table.add_column(Text(printable(column)))  # a user's column name is text, never markup
    for record in records:
        table.add_row(*(Text(_cell(record.get(c))) for c in columns))
    out.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return printable(json.dumps(value, ensure_ascii=False, default=str))
    return printable(str(value))


# Control characters (terminal escape sequences), bidirectional overrides (text that displays
# differently from what it is) and lone surrogates (undecodable bytes) in data are shown escaped.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` safe to show on a terminal: unsafe characters become visible escapes (``\\x1b``)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def safe(text: str) -> str:
    """``text`` to embed in a line with markup: printable, on one line, brackets escaped."""
    return escape(printable(" ".join(str(text).split())))


def fail(error: MutualsError, secrets: Sequence[str] = ()) -> NoReturn:
    """Print one line on stderr (with any secret masked) and exit with the error's code."""
    message = str(error)
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    err.print(f"[red]error:[/red] {safe(message)}")
    raise typer.Exit(exits.code_for(error))


def secrets(ctx: typer.Context) -> list[str]:
    """What must never be printed: the password and any URI carrying credentials."""
    try:
        config = state(ctx).config()
    except MutualsError:  # the configuration itself is bad: the message says which variable
        return [value for value in state(ctx).overrides.values() if isinstance(value, str) and value]
    found = [config.password or ""]
    if config.uri and config.safe_uri != config.uri:
        found.insert(0, config.uri)
    return found
