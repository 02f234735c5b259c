"""`mutuals db start | stop | status`: the embedded Neo4j (or a report on the configured server)."""

from __future__ import annotations

import typer

from . import exits, output

app = typer.Typer(help="The embedded Neo4j server: start, stop, status.", no_args_is_help=True)


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
