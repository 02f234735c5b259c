"""`mutuals post add | show | set-visibility | delete` and `mutuals audience`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from mutuals.base.errors import Conflict
from mutuals.base.limits import DEFAULT_LIMIT, MAX_LIMIT

from . import output

if TYPE_CHECKING:
    from mutuals import Audience, Engine

app = typer.Typer(help="Posts: add them, show them, change who sees them, delete them.", no_args_is_help=True)
audience_app = typer.Typer()

PostId = Annotated[str, typer.Argument(help="The post id.")]
VISIBILITY_HELP = "public, followers, friends or only_me."


@app.command("add")
def post_add(
    ctx: typer.Context,
    id: PostId,
    author: Annotated[str, typer.Option("--author", help="The account that posts.")],
    visibility: Annotated[str, typer.Option("--visibility", help=VISIBILITY_HELP)],
    at: Annotated[str | None, typer.Option("--at", help="When it was posted (ISO-8601; default now).")] = None,
    duet: Annotated[str | None, typer.Option("--duet", help="Override the author's duet policy.")] = None,
    stitch: Annotated[str | None, typer.Option("--stitch", help="Override the author's stitch policy.")] = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Add a post."""
    result = output.engine(ctx).post_add(id, author, visibility, created_at=at, duet_policy=duet, stitch_policy=stitch)
    output.outcome(result, as_json, id, verb="post add")


@app.command("show")
def post_show(ctx: typer.Context, id: PostId, after: output.AfterOpt = None, as_json: output.JsonOpt = False) -> None:
    """Show a post and its interaction counts."""
    output.mapping(output.engine(ctx).post_show(id, after=after).to_dict(), as_json, f"post {id}")


@app.command("set-visibility")
def post_set_visibility(
    ctx: typer.Context,
    id: PostId,
    visibility: Annotated[str, typer.Argument(help=VISIBILITY_HELP)],
    as_json: output.JsonOpt = False,
) -> None:
    """Change who can see a post (takes effect on every later check and feed at once)."""
    output.outcome(output.engine(ctx).post_set_visibility(id, visibility), as_json, id, verb="post set-visibility")


@app.command("delete")
def post_delete(ctx: typer.Context, id: PostId, as_json: output.JsonOpt = False) -> None:
    """Delete a post and the interactions it received."""
    output.outcome(output.engine(ctx).post_delete(id), as_json, id, verb="post delete")


@audience_app.command(rich_help_panel="Posts and feeds")
def audience(
    ctx: typer.Context,
    post: PostId,
    as_author: Annotated[
        bool, typer.Option("--as-author", help="As shown to the author: only the author's own blocks are named.")
    ] = False,
    limit: output.LimitOpt = DEFAULT_LIMIT,
    cursor: output.CursorOpt = None,
    walk_all: output.AllOpt = False,
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Who can view POST: a list, or everyone except accounts blocked either way with the author.
    With --all, every page: the whole list, or everyone except every such account."""
    eng = output.engine(ctx)
    if walk_all:
        result = whole_audience(eng, post, after, as_author=as_author)
    else:
        result = eng.audience(post, as_author=as_author, limit=limit, cursor=cursor, after=after)
    if as_json:
        output.emit_json(result.to_rows())
    elif result.everyone:
        blocked = ", ".join(result.accounts.items) or "none"
        output.out.print(
            Text(output.printable(f"{post}: everyone except accounts blocked either way with the author ({blocked})"))
        )
    else:
        output.ids(result.accounts.items, False, f"who can view {post}")
    if result.accounts.next_cursor:
        output.err.print(f"more: --cursor {result.accounts.next_cursor}")


def whole_audience(eng: Engine, post: str, after: str | None, *, as_author: bool = False) -> Audience:
    """Every page of ``eng.audience``, as one Audience without a next cursor. The kind of list
    (``everyone``) is that of the first page; if a later page says otherwise, the post's visibility
    changed during the walk, and the answer is a Conflict (run it again)."""
    first = eng.audience(post, as_author=as_author, limit=MAX_LIMIT, after=after)
    items, cursor = list(first.accounts.items), first.accounts.next_cursor
    while cursor is not None:
        page = eng.audience(post, as_author=as_author, limit=MAX_LIMIT, cursor=cursor, after=after)
        if page.everyone != first.everyone:
            raise Conflict(f"the audience of {post} changed during --all (its visibility changed): run it again")
        items.extend(page.accounts.items)
        cursor = page.accounts.next_cursor
    from mutuals.base.models import Audience, Page

    return Audience(first.post, first.everyone, Page(tuple(items), None, first.accounts.total))
