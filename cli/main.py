"""The `mutuals` command: composes one Typer app per command group."""

from __future__ import annotations

import logging
import os
import sys
import types
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from mutuals.base.errors import MutualsError, NotAllowed, one_line

from . import (
    bulk,
    checks,
    close_friends,
    db,
    demo,
    doctor,
    events,
    exits,
    feeds,
    graph,
    interact,
    lists,
    output,
    posts,
    preview,
    query,
    reports,
    social,
    users,
)
from .console import command as console


def quiet_logs() -> None:
    """No log line of the driver (its retry warnings, through the ``neo4j`` logger) or of the engine
    reaches the terminal: an error is the one line the command prints. Python's last-resort
    handler prints warnings of a logger without handlers; a NullHandler takes them instead.
    ``MUTUALS_DEBUG=1`` shows them (and debug lines) on stderr."""
    for name in ("neo4j", "mutuals"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
    if os.environ.get("MUTUALS_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)


quiet_logs()


class MutualsGroup(TyperGroup):
    """Catches every MutualsError once: one line on stderr, the exit status of its class
    (cli/exits.py), no traceback; a refusal by the rules (NotAllowed) is printed as every refusal
    is. Usage errors (a missing argument, a bad option value) are one line too, with exit status 2."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except NotAllowed as e:
            output.refused(e, output.state(ctx).as_json)
        except MutualsError as e:
            output.fail(e, output.secrets(ctx))
        except (typer.Exit, typer.Abort):
            raise
        except typer.TyperException as e:  # a usage error (missing argument, bad option value...)
            usage_error(e)
        except KeyboardInterrupt:
            output.err.print("interrupted")
            raise typer.Exit(exits.INTERRUPTED) from None
        except Exception as e:  # a bug: still one line, with a way to see more
            if os.environ.get("MUTUALS_DEBUG"):
                raise
            output.err.print(
                f"[red]error:[/red] unexpected {type(e).__name__}: {output.safe(one_line(str(e)))} "
                "(set MUTUALS_DEBUG=1 for the traceback)",
                markup=True,
            )
            raise typer.Exit(exits.BUG) from None
        return None

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the options before the command (``--uri``...); a usage error there is one line too."""
        try:
            return super().make_context(*args, **kwargs)
        except typer.TyperException as e:
            usage_error(e)


def usage_error(error: typer.TyperException) -> NoReturn:
    """One line on stderr for a usage error, with where to find help; exit status 2."""
    if type(error).__name__ == "NoArgsIsHelpError":  # `mutuals user` alone prints its help
        raise error
    usage = getattr(error, "ctx", None)
    hint = f" (see `{usage.command_path} --help`)" if usage is not None else ""
    output.err.print(f"[red]error:[/red] {output.safe(error.format_message() + hint)}")
    raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=MutualsGroup,
    help="mutuals: friends, followers, segments and suggestions from a follower graph on Neo4j.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    uri: Annotated[
        str | None, typer.Option("--uri", envvar="NEO4J_URI", help="Neo4j URI; unset = the embedded server.")
    ] = None,
    username: Annotated[str | None, typer.Option("--username", envvar="NEO4J_USERNAME", help="Neo4j user.")] = None,
    password: Annotated[
        str | None, typer.Option("--password", envvar="NEO4J_PASSWORD", help="Neo4j password.", show_default=False)
    ] = None,
    database: Annotated[str | None, typer.Option("--database", envvar="NEO4J_DATABASE", help="Neo4j database.")] = None,
    home: Annotated[
        Path | None, typer.Option("--home", envvar="MUTUALS_HOME", help="Where the embedded server keeps its data.")
    ] = None,
) -> None:
    """Connection options; each can come from its environment variable."""
    output.state(ctx).overrides.update(uri=uri, username=username, password=password, database=database, home=home)


app.add_typer(db.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(posts.app, name="post")
app.add_typer(checks.app, name="can")
app.add_typer(interact.app, name="interact")
app.add_typer(graph.app)
app.add_typer(lists.app)
app.add_typer(close_friends.app, name="close-friends")
app.add_typer(social.app)
app.add_typer(feeds.app)
app.add_typer(posts.audience_app)
app.add_typer(query.app)
app.add_typer(reports.app, name="report")
app.add_typer(reports.draw_app)
app.add_typer(bulk.app)
app.add_typer(doctor.app)
app.add_typer(events.app, name="events")
app.add_typer(demo.app)
app.add_typer(preview.app, name="preview")
app.add_typer(preview.profile_app)
app.add_typer(console.app)


def lean_driver() -> None:
    """Keep the Neo4j driver from importing numpy, pandas and pyarrow in this process.

    The driver imports each of them at its own import when installed (0.1 s for numpy, which
    matplotlib brings; 0.6 s more with the analysts extra), to send and read their values. The
    command line never sends nor reads them, so its process sees none (docs/decisions.md); a
    program using ``mutuals`` as a library keeps the driver as it is."""
    if "neo4j" not in sys.modules:
        deps = types.ModuleType("neo4j._optional_deps")
        vars(deps)["__getattr__"] = lambda name: None  # np, pd, pa...: absent
        sys.modules.setdefault("neo4j._optional_deps", deps)


def main() -> None:
    """Console-script entry point."""
    lean_driver()
    app()
