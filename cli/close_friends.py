"""`mutuals close-friends add | remove | list`: the close-friends list an owner curates."""

from __future__ import annotations

from typing import Annotated

import typer

from mutuals.base.limits import DEFAULT_LIMIT

from . import output

app = typer.Typer(no_args_is_help=True, help="The close-friends list OWNER curates (who sees close_friends posts).")

Owner = Annotated[str, typer.Argument(help="The account whose list it is.")]
Member = Annotated[str, typer.Argument(help="The account put on (or taken off) the list.")]


@app.command("add")
def add(ctx: typer.Context, owner: Owner, member: Member, as_json: output.JsonOpt = False) -> None:
    """Put MEMBER on OWNER's close-friends list (need not be a friend). Refused across a block (exit 4)."""
    result = output.engine(ctx).close_friends_add(owner, member)
    output.outcome(result, as_json, f"{member} on {owner}'s close friends", verb="close-friends add")


@app.command("remove")
def remove(ctx: typer.Context, owner: Owner, member: Member, as_json: output.JsonOpt = False) -> None:
    """Take MEMBER off OWNER's close-friends list."""
    result = output.engine(ctx).close_friends_remove(owner, member)
    output.outcome(result, as_json, f"{member} off {owner}'s close friends", verb="close-friends remove")


@app.command("list")
def list_(
    ctx: typer.Context,
    owner: Owner,
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """OWNER's close-friends list, by id."""
    eng = output.engine(ctx)
    items, nxt = output.page_or_all(
        eng, eng.close_friends, [owner], limit=limit, cursor=cursor, walk_all=walk_all, after=after
    )
    output.ids(items, as_json, f"close friends of {owner}", next_cursor=nxt)
