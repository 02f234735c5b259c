"""`mutuals follow | unfollow | approve | deny | remove-follower | block | unblock | mute | unmute`."""

from __future__ import annotations

from typing import Annotated

import typer

from . import output

app = typer.Typer()

A = Annotated[str, typer.Argument(help="The account that acts.")]
B = Annotated[str, typer.Argument(help="The other account.")]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="When it ends: an ISO-8601 timestamp or a duration such as 7d, 12h, 30m.")
]
Owner = Annotated[str, typer.Argument(help="The account whose followers or requests these are.")]


@app.command(rich_help_panel="Relationships")
def follow(ctx: typer.Context, a: A, b: B, as_json: output.JsonOpt = False) -> None:
    """A follows B (or asks to, when B is private). Refused across a block (exit 4)."""
    output.outcome(output.engine(ctx).follow(a, b), as_json, f"{a} -> {b}", verb="follow")


@app.command(rich_help_panel="Relationships")
def unfollow(ctx: typer.Context, a: A, b: B, as_json: output.JsonOpt = False) -> None:
    """A stops following B, or withdraws a pending request."""
    output.outcome(output.engine(ctx).unfollow(a, b), as_json, f"{a} -> {b}", verb="unfollow")


@app.command(rich_help_panel="Relationships")
def approve(
    ctx: typer.Context,
    owner: Owner,
    requester: Annotated[str, typer.Argument(help="The account that asked to follow.")],
    as_json: output.JsonOpt = False,
) -> None:
    """OWNER approves REQUESTER's pending follow request."""
    output.outcome(output.engine(ctx).approve(owner, requester), as_json, f"{requester} -> {owner}", verb="approve")


@app.command(rich_help_panel="Relationships")
def deny(
    ctx: typer.Context,
    owner: Owner,
    requester: Annotated[str, typer.Argument(help="The account that asked to follow.")],
    as_json: output.JsonOpt = False,
) -> None:
    """OWNER denies REQUESTER's pending follow request."""
    output.outcome(output.engine(ctx).deny(owner, requester), as_json, f"{requester} -> {owner}", verb="deny")


@app.command("remove-follower", rich_help_panel="Relationships")
def remove_follower(
    ctx: typer.Context,
    owner: Owner,
    follower: Annotated[str, typer.Argument(help="The follower to remove.")],
    as_json: output.JsonOpt = False,
) -> None:
    """OWNER removes FOLLOWER from their followers."""
    output.outcome(
        output.engine(ctx).remove_follower(owner, follower), as_json, f"{follower} -> {owner}", verb="remove-follower"
    )


@app.command(rich_help_panel="Relationships")
def block(ctx: typer.Context, a: A, b: B, until: UntilOpt = None, as_json: output.JsonOpt = False) -> None:
    """A blocks B (until --until, or until unblocked): every follow and request between them,
    both ways, is deleted."""
    output.outcome(output.engine(ctx).block(a, b, until=until), as_json, f"{a} blocks {b}", verb="block")


@app.command(rich_help_panel="Relationships")
def unblock(ctx: typer.Context, a: A, b: B, as_json: output.JsonOpt = False) -> None:
    """A unblocks B (nothing the block deleted comes back)."""
    output.outcome(output.engine(ctx).unblock(a, b), as_json, f"{a} unblocks {b}", verb="unblock")


@app.command(rich_help_panel="Relationships")
def mute(ctx: typer.Context, a: A, b: B, until: UntilOpt = None, as_json: output.JsonOpt = False) -> None:
    """A mutes B (until --until, or until unmuted): B's posts leave A's feeds and B leaves A's
    suggestions; nothing else changes and B is not told."""
    output.outcome(output.engine(ctx).mute(a, b, until=until), as_json, f"{a} mutes {b}", verb="mute")


@app.command(rich_help_panel="Relationships")
def unmute(ctx: typer.Context, a: A, b: B, as_json: output.JsonOpt = False) -> None:
    """A unmutes B."""
    output.outcome(output.engine(ctx).unmute(a, b), as_json, f"{a} unmutes {b}", verb="unmute")
