"""`mutuals relationship | suggest`."""

from __future__ import annotations

from typing import Annotated

import typer

from mutuals.base import limits

from . import output

app = typer.Typer()


@app.command(rich_help_panel="Pairs and suggestions")
def relationship(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="The first account.")],
    b: Annotated[str, typer.Argument(help="The second account.")],
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Everything about how A relates to B, at once."""
    rel = output.engine(ctx).relationship(a, b, after=after)
    output.mapping(rel.to_dict(), as_json, f"{a} and {b}")


@app.command(rich_help_panel="Pairs and suggestions")
def suggest(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="The account to suggest to.")],
    follow_back: Annotated[bool, typer.Option("--follow-back", help="Followers USER does not follow back.")] = False,
    close_friends: Annotated[
        bool, typer.Option("--close-friends", help='"Add to close friends?": top friends not yet on the list.')
    ] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=limits.MAX_SUGGEST, help="How many.")] = (
        limits.DEFAULT_SUGGEST
    ),
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """People USER may know (friends of friends), followers to follow back, or close friends to add."""
    found = output.engine(ctx).suggest(
        user, follow_back=follow_back, close_friends=close_friends, limit=limit, after=after
    )
    records = [s.to_dict() for s in found]
    if not as_json:
        for record in records:
            record["via"] = _followed_by(list(record["via"]), record["mutual_friends"])
    output.rows(["id", "mutual_friends", "via"], records, as_json, f"suggestions for {user}")


def _followed_by(via: list[str], total: int) -> str:
    if not via:
        return ""
    others = total - len(via)
    names = ", ".join(via)
    return f"friends with {names}" + (f" and {others} other{'s' if others != 1 else ''}" if others > 0 else "")
