"""`mutuals db start | stop | status`: the embedded Neo4j (or a report on the configured server)."""

from __future__ import annotations

import typer

from mutuals.io.connection import embedded_server

from . import output

app = typer.Typer(help="The embedded Neo4j server: start, stop, status.", no_args_is_help=True)


@app.command()
def start(ctx: typer.Context, as_json: output.JsonOpt = False) -> None:
    """Build the launcher (once), start the embedded Neo4j detached and wait until Bolt answers."""
    config = output.state(ctx).config()
    server = embedded_server(config)
    was_running = server.status().running
    if not was_running and not as_json:
        output.err.print("starting the embedded Neo4j (the first start builds it with Maven)...")
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
    server = embedded_server(output.state(ctx).config())
    stopped = server.stop()
    if as_json:
        output.emit_json({"stopped": stopped, "home": str(server.home)})
    else:
        output.out.print("stopped" if stopped else "not running")


@app.command()
def status(ctx: typer.Context, as_json: output.JsonOpt = False) -> None:
    """Where Neo4j is and whether it answers (the configured server when NEO4J_URI is set)."""
    config = output.state(ctx).config()
    if config.uri:
        eng = output.engine(ctx)
        seconds = eng.ping()
        info: dict[str, object] = {
            "running": True,
            "uri": config.safe_uri,
            "embedded": False,
            "round_trip_ms": round(seconds * 1000, 2),
        }
    else:
        info = {**embedded_server(config).status().to_dict(), "embedded": True}
    if as_json:
        output.emit_json(info)
        return
    if info["running"]:
        where = info["uri"]
        extra = f", round trip {info['round_trip_ms']} ms" if "round_trip_ms" in info else f", pid {info['pid']}"
        output.out.print(f"running at {output.safe(str(where))}{extra}")
    else:
        output.out.print(f"not running (data in {output.safe(str(info['home']))}); start it with `mutuals db start`")
        raise typer.Exit(1)
