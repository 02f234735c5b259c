"""`mutuals feed V [--tab following|friends|for-you]`."""

from __future__ import annotations

from typing import Annotated

import typer

from mutuals.base import limits

from . import output

app = typer.Typer()


@app.command(rich_help_panel="Posts and feeds")
def feed(
    ctx: typer.Context,
    viewer: Annotated[str, typer.Argument(help="Whose feed.")],
    tab: Annotated[str, typer.Option("--tab", help="following, friends or for-you.")] = "following",
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=limits.MAX_FEED_LIMIT, help="Page size.")
    ] = limits.DEFAULT_FEED_LIMIT,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """A page of VIEWER's feed: only posts VIEWER may view, newest first (for-you: ranked)."""
    eng = output.engine(ctx)
    items, nxt = output.page_or_all(
        eng, eng.feed, [viewer], limit=limit, cursor=cursor, walk_all=walk_all, tab=tab, after=after
    )
    records = [item.to_dict() for item in items]
    columns = ["id", "author", "visibility", "created_at"] + (["score", "depth"] if "for" in tab else [])
    output.rows(columns, records, as_json, f"{tab} feed of {viewer}")
    if nxt:
        output.err.print(f"more: --cursor {nxt}")
