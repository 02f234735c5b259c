"""`mutuals events [--after N] [--follow]` and `mutuals events prune`: the relationship event outbox."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.text import Text

from mutuals import Event

from . import output

app = typer.Typer(
    help="Relationship events (followed, became_friends, ...), in order, from a cursor you keep.",
    invoke_without_command=True,
)


def _line(event: Event) -> Text:
    target = f" -> {event.subject}" if event.subject else ""
    post = f" post {event.post}" if event.post else ""
    detail = f" ({event.detail})" if event.detail else ""
    at = event.at.isoformat() if event.at else ""
    return Text(f"{event.seq:>8}  {at}  {event.type:<18} {event.actor or ''}{target}{post}{detail}")


@app.callback()
def events(
    ctx: typer.Context,
    after: Annotated[int, typer.Option("--after", min=0, help="The last seq you handled (0: from the start).")] = 0,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="Events per read.")] = 100,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep reading new events as they come.")] = False,
    interval: Annotated[float, typer.Option("--interval", min=0.05, help="Seconds between polls with --follow.")] = 1.0,
    max_events: Annotated[
        int | None, typer.Option("--max", min=1, help="With --follow: stop after this many events.")
    ] = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Print events with seq > --after. With --follow, keep polling (JSON Lines with --json)."""
    if ctx.invoked_subcommand is not None:
        return
    eng = output.engine(ctx)
    if not follow:
        found = eng.events(after, limit)
        if as_json:
            output.emit_json([e.to_dict() for e in found])
        else:
            for event in found:
                output.out.print(_line(event))
            output.err.print(f"next: --after {found[-1].seq if found else after}")
        return
    seen = 0
    while True:
        found = eng.events(after, limit)
        for event in found:
            if as_json:
                output.emit_json(event.to_dict())
            else:
                output.out.print(_line(event))
            after = event.seq
            seen += 1
            if max_events is not None and seen >= max_events:
                return
        if not found:
            time.sleep(interval)


@app.command()
def prune(
    ctx: typer.Context,
    older_than_days: Annotated[
        float, typer.Option("--older-than-days", min=0, help="The retention: delete events older than this.")
    ] = 7.0,
    as_json: output.JsonOpt = False,
) -> None:
    """Delete events older than the retention, oldest first."""
    pruned = output.engine(ctx).events_prune(older_than_days)
    if as_json:
        output.emit_json({"deleted": pruned.deleted, "pruned_through": pruned.pruned_through})
    else:
        output.out.print(f"deleted {pruned.deleted} events; the outbox now starts after seq {pruned.pruned_through}")
