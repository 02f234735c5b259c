"""`mutuals events [--after N] [--follow]` and `mutuals events prune`: the relationship event outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from mutuals.base import limits as outbox

if TYPE_CHECKING:
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
    after: Annotated[
        int, typer.Option("--after", metavar="SEQ", min=0, help="The last seq you handled (0: from the start).")
    ] = 0,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=outbox.MAX_READ, help="Events per read.")
    ] = outbox.DEFAULT_READ,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep reading new events as they come.")] = False,
    interval: Annotated[
        float,
        typer.Option(
            "--interval", min=outbox.MIN_POLL, max=outbox.MAX_POLL, help="Seconds between polls with --follow."
        ),
    ] = 1.0,
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
    for seen, event in enumerate(eng.events_follow(after, poll=interval, limit=limit), start=1):
        if as_json:
            output.emit_json(event.to_dict())
        else:
            output.out.print(_line(event))
        if max_events is not None and seen >= max_events:
            return


@app.command()
def prune(
    ctx: typer.Context,
    older_than_days: Annotated[
        float,
        typer.Option(
            "--older-than-days",
            min=0,
            max=outbox.MAX_RETENTION_DAYS,
            help="The retention: delete events older than this.",
        ),
    ] = outbox.DEFAULT_RETENTION_DAYS,
    as_json: output.JsonOpt = False,
) -> None:
    """Delete events older than the retention, oldest first."""
    pruned = output.engine(ctx).events_prune(older_than_days)
    if as_json:
        output.emit_json(
            output.with_token({"deleted": pruned.deleted, "pruned_through": pruned.pruned_through}, pruned.token)
        )
    else:
        output.out.print(f"deleted {pruned.deleted} events; the outbox now starts after seq {pruned.pruned_through}")
