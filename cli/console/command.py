"""`mutuals console [--host H] [--port N] [--token T]`: serve the support console until interrupted."""

from __future__ import annotations

import ipaddress
import secrets
from typing import Annotated

import typer

from mutuals.base.errors import InvalidInput

from .. import output

app = typer.Typer()

MIN_TOKEN = 16


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command(rich_help_panel="Support")
def console(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="The address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="MUTUALS_CONSOLE_TOKEN",
            help=f"The access token (at least {MIN_TOKEN} characters); unset = a new one, printed once.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the read-only support console (web pages over the engine's reads) until Ctrl-C."""
    if token is not None and len(token.strip()) < MIN_TOKEN:
        raise InvalidInput("--token", f"must be at least {MIN_TOKEN} characters")
    try:
        import uvicorn

        from .app import create_app
    except ImportError as e:  # the web stack is an optional extra
        output.err.print(f"error: the console needs its extra: pip install 'mutuals[console]' ({e.name} is missing)")
        raise typer.Exit(2) from None
    eng = output.engine(ctx)
    given = token is not None
    secret = token.strip() if token is not None else secrets.token_urlsafe(24)
    site = create_app(eng, secret)
    shown_host = f"[{host}]" if ":" in host else host
    output.out.print(f"mutuals console on http://{shown_host}:{port}/ (read-only, over {output.safe(eng.uri)})")
    if given:
        output.out.print("token: the one you gave (--token / MUTUALS_CONSOLE_TOKEN)")
    else:
        output.out.print(f"token: {secret}  (log in with it, or send 'Authorization: Bearer <token>')")
    if not _loopback(host):
        output.err.print(
            f"note: {output.safe(host)} is not a loopback address: anyone who reaches it can try the token"
        )
    uvicorn.run(site, host=host, port=port, log_level="warning", server_header=False)
