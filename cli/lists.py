"""`mutuals friends | followers | following | segment | segments | known-followers`."""

from __future__ import annotations

from typing import Annotated

import typer

from engine.lists import SEGMENTS

from . import output

app = typer.Typer()

User = Annotated[str, typer.Argument(help="The account.")]
SEGMENT_HELP = "One of: " + ", ".join(s.replace("_", "-") for s in SEGMENTS) + "."


@app.command(rich_help_panel="Lists")
def friends(
    ctx: typer.Context,
    user: User,
    limit: output.LimitOpt = 50,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    as_json: output.JsonOpt = False,
) -> None:
    """Accounts USER follows that follow back, by id."""
    eng = output.engine(ctx)
    items, nxt = output.page_or_all(eng, eng.friends, [user], limit=limit, cursor=cursor, walk_all=walk_all)
    output.ids(items, as_json, f"friends of {user}", next_cursor=nxt)


@app.command(rich_help_panel="Lists")
def followers(
    ctx: typer.Context,
    user: User,
    limit: output.LimitOpt = 50,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    as_json: output.JsonOpt = False,
) -> None:
    """Accounts that follow USER, by id."""
    eng = output.engine(ctx)
    items, nxt = output.page_or_all(eng, eng.followers, [user], limit=limit, cursor=cursor, walk_all=walk_all)
    output.ids(items, as_json, f"followers of {user}", next_cursor=nxt)


@app.command(rich_help_panel="Lists")
def following(
    ctx: typer.Context,
    user: User,
    limit: output.LimitOpt = 50,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    as_json: output.JsonOpt = False,
) -> None:
    """Accounts USER follows, by id."""
    eng = output.engine(ctx)
    items, nxt = output.page_or_all(eng, eng.following, [user], limit=limit, cursor=cursor, walk_all=walk_all)
    output.ids(items, as_json, f"{user} follows", next_cursor=nxt)


@app.command(rich_help_panel="Lists")
def segment(
    ctx: typer.Context,
    user: User,
    name: Annotated[str, typer.Argument(help=SEGMENT_HELP)],
    limit: output.LimitOpt = 50,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    as_json: output.JsonOpt = False,
) -> None:
    """The accounts in one segment of USER's audience, by id."""
    eng = output.engine(ctx)
    items, nxt = output.page_or_all(eng, eng.segment, [user, name], limit=limit, cursor=cursor, walk_all=walk_all)
    output.ids(items, as_json, f"{name} of {user}", next_cursor=nxt)


@app.command(rich_help_panel="Lists")
def segments(ctx: typer.Context, user: User, as_json: output.JsonOpt = False) -> None:
    """How many accounts are in each segment of USER's audience."""
    counts = output.engine(ctx).segments(user)
    output.mapping(counts.to_dict(), as_json, f"segments of {user}")


@app.command("known-followers", rich_help_panel="Lists")
def known_followers(
    ctx: typer.Context,
    viewer: Annotated[str, typer.Argument(help="Who is looking.")],
    target: Annotated[str, typer.Argument(help="The profile being looked at.")],
    limit: output.LimitOpt = 50,
    cursor: output.CursorOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Accounts VIEWER follows that follow TARGET ("followed by x, y and 3 others")."""
    page = output.engine(ctx).known_followers(viewer, target, limit=limit, cursor=cursor)
    output.ids(
        page.items,
        as_json,
        f"{target}: followed by {page.total or 0} accounts {viewer} follows",
        next_cursor=page.next_cursor,
    )
