"""`mutuals db start | stop | status | reset`: the embedded Neo4j (or a report on the configured
server), and emptying the database."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from mutuals.base.validate import MAX_RESET_BATCH as MAX_BATCH
from mutuals.base.validate import RESET_BATCH as DEFAULT_BATCH

from . import exits, output

if TYPE_CHECKING:
    from mutuals.ops.reset import ResetProgress

app = typer.Typer(
    help="The embedded Neo4j server: start, stop, status; reset empties the database.", no_args_is_help=True
)
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (needed off a terminal).")]


@app.command()
def start(ctx: typer.Context, as_json: output.JsonOpt = False) -> None:
    """Build the launcher (once), start the embedded Neo4j detached and wait until Bolt answers."""
    from mutuals.io.connection import embedded_server  # the driver, for these commands only
    from mutuals.io.embedded import launcher_built

    config = output.state(ctx).config()
    server = embedded_server(config)
    was_running = server.status().running
    if not was_running and not as_json:
        building = "" if launcher_built() else " (building it with Maven first: once, a minute or more)"
        output.err.print(f"starting the embedded Neo4j{building}...")
    status = server.start()
    info = {**status.to_dict(), "already_running": was_running, "password_file": str(server.password_file)}
    if config.uri:
        info["note"] = "NEO4J_URI is set, so commands use that server, not this one"
    if as_json:
        output.emit_json(info)
    else:
        verb = "already running" if was_running else "ready"
        output.out.print(f"Neo4j {verb} at {status.uri} (pid {status.pid}, data in {output.safe(str(status.home))})")
        output.out.print(f"user neo4j, password in {output.safe(str(server.password_file))} (readable by you only)")
        if config.uri:
            output.out.print(info["note"])


@app.command()
def stop(ctx: typer.Context, as_json: output.JsonOpt = False) -> None:
    """Stop the embedded Neo4j cleanly (its data stays)."""
    from mutuals.io.connection import embedded_server

    server = embedded_server(output.state(ctx).config())
    stopped = server.stop()
    if as_json:
        output.emit_json({"stopped": stopped, "home": str(server.home)})
    else:
        output.out.print("stopped" if stopped else "not running")


@app.command()
def status(ctx: typer.Context, as_json: output.JsonOpt = False) -> None:
    """Where Neo4j is and whether it answers (the configured server when NEO4J_URI is set)."""
    from mutuals.io.status import db_status

    found = db_status(output.state(ctx).config())
    if as_json:
        output.emit_json(found.to_dict())
    else:
        output.out.print(output.safe(found.message))
    if not found.running:
        raise typer.Exit(exits.CHECK_FAILED)


@app.command()
def reset(
    ctx: typer.Context,
    yes: YesOpt = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=MAX_BATCH, help="At most this many deletions per transaction.")
    ] = DEFAULT_BATCH,
    as_json: output.JsonOpt = False,
) -> None:
    """Empty the database (every account, follow, post and event), whatever its size, in bounded
    transactions; the schema stays. Asks first, unless --yes."""
    config = output.state(ctx).config()
    if not yes:
        if not sys.stdin.isatty():
            output.err.print(
                "[red]error:[/red] db reset deletes everything: pass --yes to confirm (stdin is not a terminal)"
            )
            raise typer.Exit(exits.USAGE)
        where = output.safe(f"database {config.database} at {config.safe_uri or 'the embedded server'}")
        if not typer.confirm(f"Delete every node and relationship of {where}? The schema stays.", err=True):
            output.err.print("nothing deleted")
            raise typer.Exit(exits.CHECK_FAILED)
    eng = output.engine(ctx)
    shown = output.err.is_terminal and not as_json
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("deleting"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rels]:>12,} relationships {task.fields[nodes]:>10,} nodes"),
        TimeElapsedColumn(),
        console=output.err,
        transient=True,
        disable=not shown,
    )
    task = bar.add_task("reset", total=None, rels=0, nodes=0)

    def show(step: ResetProgress) -> None:
        bar.update(
            task, total=step.total, completed=step.done, rels=step.relationships_deleted, nodes=step.nodes_deleted
        )

    with bar:
        summary = eng.reset(batch_size=batch_size, progress=show)
    if as_json:
        output.emit_json(output.with_token(summary.to_dict(), summary.token))
        return
    output.out.print(
        f"[green]{summary.outcome.replace('_', ' ')}[/green]  {summary.nodes_deleted:,} nodes and "
        f"{summary.relationships_deleted:,} relationships deleted in {summary.transactions:,} transactions "
        "(the schema stays)"
    )
