"""`mutuals query`: run your own Cypher, read-only unless --write."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from . import output
from .params import parse_params

app = typer.Typer()


@app.command(rich_help_panel="Analysis")
def query(
    ctx: typer.Context,
    cypher: Annotated[str, typer.Argument(help="A Cypher statement; pass values with -p, never inline.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="KEY=VALUE; VALUE is read as JSON when it parses, else text."),
    ] = None,
    write: Annotated[bool, typer.Option("--write", help="Allow the statement to change data.")] = False,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Run a Cypher statement in a read transaction (the database refuses writes) unless --write."""
    params = parse_params(param or [])  # bad parameters are refused before connecting
    result = output.engine(ctx).query(cypher, params, write=write, after=after)
    output.rows(list(result.columns), list(result.rows), as_json)
    if write:  # what it changed, on stderr (stdout stays the rows): a sentence, or with --json one object
        if as_json:
            output.err.print(json.dumps({"counters": result.counters}), markup=False, highlight=False)
        else:
            done = ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in result.changed.items())
            output.err.print(f"changed: {done or 'nothing'}", markup=False, highlight=False)
