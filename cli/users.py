"""`mutuals user add | set | show | delete`: accounts and their settings."""

from __future__ import annotations

from typing import Annotated

import typer

from . import output

app = typer.Typer(help="Accounts: create them, change their privacy and policies, show them.", no_args_is_help=True)

DmOpt = Annotated[str | None, typer.Option("--dm-policy", help="Who may message: everyone, friends, nobody.")]
CommentOpt = Annotated[str | None, typer.Option("--comment-policy", help="Who may comment: everyone, friends, nobody.")]
DuetOpt = Annotated[str | None, typer.Option("--duet-policy", help="Who may duet: everyone, friends, only_me.")]
StitchOpt = Annotated[str | None, typer.Option("--stitch-policy", help="Who may stitch: everyone, friends, only_me.")]
FollowersVisOpt = Annotated[
    str | None, typer.Option("--followers-visibility", help="Who may see the followers: everyone, friends, only_me.")
]
FollowingVisOpt = Annotated[
    str | None, typer.Option("--following-visibility", help="Who may see the following: everyone, friends, only_me.")
]


@app.command("add")
def user_add(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(help="The account id (1-64 letters, digits, '_', '.', '-').")],
    private: Annotated[bool, typer.Option("--private", help="Followers must be approved.")] = False,
    dm_policy: DmOpt = None,
    comment_policy: CommentOpt = None,
    duet_policy: DuetOpt = None,
    stitch_policy: StitchOpt = None,
    followers_visibility: FollowersVisOpt = None,
    following_visibility: FollowingVisOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Create an account (an existing one is left unchanged)."""
    result = output.engine(ctx).user_add(
        id,
        private=private,
        dm_policy=dm_policy,
        comment_policy=comment_policy,
        duet_policy=duet_policy,
        stitch_policy=stitch_policy,
        followers_visibility=followers_visibility,
        following_visibility=following_visibility,
    )
    output.outcome(result, as_json, id, verb="user add")


@app.command("set")
def user_set(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(help="The account id.")],
    private: Annotated[
        bool | None,
        typer.Option("--private/--public", help="Make the account private, or public (approves pending requests)."),
    ] = None,
    dm_policy: DmOpt = None,
    comment_policy: CommentOpt = None,
    duet_policy: DuetOpt = None,
    stitch_policy: StitchOpt = None,
    followers_visibility: FollowersVisOpt = None,
    following_visibility: FollowingVisOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Change an account's privacy or policies."""
    result = output.engine(ctx).user_set(
        id,
        private=private,
        dm_policy=dm_policy,
        comment_policy=comment_policy,
        duet_policy=duet_policy,
        stitch_policy=stitch_policy,
        followers_visibility=followers_visibility,
        following_visibility=following_visibility,
    )
    output.outcome(result, as_json, id, verb="user set")


@app.command("show")
def user_show(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(help="The account id.")],
    after: output.AfterOpt = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Show an account's settings and counts."""
    profile = output.engine(ctx).user_show(id, after=after)
    output.mapping(profile.to_dict(), as_json, f"account {id}")


@app.command("delete")
def user_delete(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(help="The account id.")],
    as_json: output.JsonOpt = False,
) -> None:
    """Delete an account with every follow, request and block it has."""
    output.outcome(output.engine(ctx).user_delete(id), as_json, id, verb="user delete")
