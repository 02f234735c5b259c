"""`mutuals preview visibility | private | public | approve | block` and `mutuals profile-for`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

import mutuals
from mutuals.base.limits import DEFAULT_LIMIT

from . import output

if TYPE_CHECKING:
    from mutuals import WhatIf
    from mutuals.base.models import AccountSet, Preview

app = typer.Typer(
    help="What a change would do to who may see what, computed on the graph as it would be; nothing changes.",
    no_args_is_help=True,
)
profile_app = typer.Typer()

Account = Annotated[str, typer.Argument(help="An account.")]


def _words(s: AccountSet, count: int) -> str:
    if s.everyone:
        return f"everyone except {', '.join(s.ids) or 'no one'} ({count})"
    shown = ", ".join(s.ids) or "no one"
    return f"{shown}" + (f" (+{count - len(s.ids)} more)" if count > len(s.ids) else "")


def show(result: Preview, as_json: bool) -> None:
    if as_json:
        output.emit_json(result.to_dict())
        return
    output.out.print(Text(output.printable(f"{result.change}: would answer {result.outcome}")))
    output.out.print(Text(f"{result.gained} access gained, {result.lost} lost"))
    for item in result.items:
        line = f"  {item.kind} {item.item}: gains {_words(item.gained, item.gained_count)}; "
        line += f"loses {_words(item.lost, item.lost_count)}"
        output.out.print(Text(output.printable(line)))
    if result.next_cursor:
        output.err.print(f"more: --cursor {result.next_cursor}")


def _run(ctx: typer.Context, change: WhatIf, limit: int, cursor: str | None, after: str | None, as_json: bool) -> None:
    show(output.engine(ctx).preview_change(change, limit=limit, cursor=cursor, after=after), as_json)


@app.command("visibility")
def visibility(
    ctx: typer.Context,
    post: Annotated[str, typer.Argument(help="The post.")],
    new_visibility: Annotated[str, typer.Argument(help="public, followers, friends or only_me.")],
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Who would gain or lose access to POST if its visibility became NEW_VISIBILITY."""
    _run(ctx, mutuals.WhatIf.post_set_visibility(post, new_visibility), limit, cursor, after, as_json)


@app.command("private")
def private(
    ctx: typer.Context,
    user: Account,
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Who would gain or lose access to USER's posts and lists if USER went private."""
    _run(ctx, mutuals.WhatIf.user_set(user, private=True), limit, cursor, after, as_json)


@app.command("public")
def public(
    ctx: typer.Context,
    user: Account,
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Who would gain or lose access if USER went public (which approves every pending request)."""
    _run(ctx, mutuals.WhatIf.user_set(user, private=False), limit, cursor, after, as_json)


@app.command("approve")
def approve(
    ctx: typer.Context,
    owner: Account,
    requester: Account,
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Who would gain or lose access if OWNER approved REQUESTER's request."""
    _run(ctx, mutuals.WhatIf.approve(owner, requester), limit, cursor, after, as_json)


@app.command("block")
def block(
    ctx: typer.Context,
    a: Account,
    b: Account,
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Who would gain or lose access if A blocked B."""
    _run(ctx, mutuals.WhatIf.block(a, b), limit, cursor, after, as_json)


@profile_app.command("profile-for", rich_help_panel="Pairs and suggestions")
def profile_for(
    ctx: typer.Context,
    viewer: Annotated[str, typer.Argument(help="Who looks ('-': logged out).")],
    user: Account,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """USER's profile as shown to VIEWER: a block by USER reads like a missing account."""
    found = output.engine(ctx).profile_for(None if viewer == "-" else viewer, user, after=after)
    values = found.to_dict()
    if not as_json and isinstance(values.get("profile"), dict):
        values.update(values.pop("profile"))
    output.mapping(values, as_json, f"{user} as {viewer} sees it")
