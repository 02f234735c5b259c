"""`mutuals feed V [--tab following|friends|for-you]`."""

from __future__ import annotations

from typing import Annotated

import typer

from . import output

app = typer.Typer()


@app.command(rich_help_panel="Posts and feeds")
def feed(
    ctx: typer.Context,
    viewer: Annotated[str, typer.Argument(help="Whose feed.")],
    tab: Annotated[str, typer.Option("--tab", help="following, friends or for-you.")] = "following",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="Page size.")] = 20,
    cursor: output.CursorOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """A page of VIEWER's feed: only posts VIEWER may view, newest first (for-you: ranked)."""
    page = output.engine(ctx).feed(viewer, tab=tab, limit=limit, cursor=cursor)
    records = [item.to_dict() for item in page.items]
    columns = ["id", "author", "visibility", "created_at"] + (["score", "depth"] if "for" in tab else [])
    output.rows(columns, records, as_json, f"{tab} feed of {viewer}")
    if page.next_cursor:
        output.err.print(f"more: --cursor {page.next_cursor}")
