"""`mutuals friends | followers | following | segment | segments | known-followers | muted`."""

from collections.abc import Callable
from typing import Annotated

import typer

from mutuals.base.limits import DEFAULT_LIMIT, SEGMENTS

from . import output

app = typer.Typer()

User = Annotated[str, typer.Argument(help="The account.")]
ViewerOpt = Annotated[
    str | None,
    typer.Option("--viewer", help="Answer only what this account may see (a hidden list exits 4 with the reason)."),
]
SEGMENT_HELP = "One of: " + ", ".join(s.replace("_", "-") for s in SEGMENTS) + "."


# the plain lists: command -> (what it lists, its title)
LISTS = {
    "friends": ("Accounts USER follows that follow back, by id.", "friends of {user}"),
    "followers": ("Accounts that follow USER, by id.", "followers of {user}"),
    "following": ("Accounts USER follows, by id.", "{user} follows"),
}


def _list_command(name: str, doc: str, title: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        user: User,
        limit: output.LimitOpt = DEFAULT_LIMIT,
        cursor: output.CursorOpt = None,
        walk_all: output.AllOpt = False,
        after: output.AfterOpt = None,
        viewer: ViewerOpt = None,
        as_json: output.JsonOpt = False,
    ) -> None:
        eng = output.engine(ctx)
        method = getattr(eng, name)
        items, nxt = output.page_or_all(
            eng, method, [user], limit=limit, cursor=cursor, walk_all=walk_all, after=after, viewer=viewer
        )
        output.ids(items, as_json, title.format(user=user), next_cursor=nxt)

    command.__doc__ = doc
    command.__name__ = name
    return command


for _name, (_doc, _title) in LISTS.items():
    app.command(_name, rich_help_panel="Lists")(_list_command(_name, _doc, _title))


@app.command(rich_help_panel="Lists")
def segment(
    ctx: typer.Context,
    user: User,
    name: Annotated[str, typer.Argument(help=SEGMENT_HELP)],
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """The accounts in one segment of USER's audience, by id."""
    eng = output.engine(ctx)
    items, nxt = output.page_or_all(
        eng, eng.segment, [user, name], limit=limit, cursor=cursor, walk_all=walk_all, after=after
    )
    output.ids(items, as_json, f"{name} of {user}", next_cursor=nxt)


@app.command(rich_help_panel="Lists")
def segments(ctx: typer.Context, user: User, after: output.AfterOpt = None, as_json: output.JsonOpt = False) -> None:
    """How many accounts are in each segment of USER's audience."""
    counts = output.engine(ctx).segments(user, after=after)
    output.mapping(counts.to_dict(), as_json, f"segments of {user}")


@app.command("known-followers", rich_help_panel="Lists")
def known_followers(
    ctx: typer.Context,
    viewer: Annotated[str, typer.Argument(help="Who is looking.")],
    target: Annotated[str, typer.Argument(help="The profile being looked at.")],
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Accounts VIEWER follows that follow TARGET ("followed by x, y and 3 others")."""
    page = output.engine(ctx).known_followers(viewer, target, limit=limit, cursor=cursor, after=after)
    output.ids(
        page.items,
        as_json,
        f"{target}: followed by {page.total or 0} accounts {viewer} follows",
        next_cursor=page.next_cursor,
    )


@app.command(rich_help_panel="Lists")
def muted(
    ctx: typer.Context,
    user: User,
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Accounts USER mutes (active mutes only), by id."""
    eng = output.engine(ctx)
    items, nxt = output.page_or_all(eng, eng.muted, [user], limit=limit, cursor=cursor, walk_all=walk_all, after=after)
    output.ids(items, as_json, f"{user} mutes", next_cursor=nxt)
