"""`mutuals interact like | comment | message | duet | stitch ACTOR TARGET`."""

from __future__ import annotations

from typing import Annotated

import typer

from . import output

app = typer.Typer(
    help="Record interactions; each is refused (exit 4, with the reason) when its check denies.", no_args_is_help=True
)

Actor = Annotated[str, typer.Argument(help="Who acts.")]
At = Annotated[str | None, typer.Option("--at", help="When (ISO-8601; default now).")]


def _run(ctx: typer.Context, kind: str, actor: str, target: str, at: str | None, as_json: bool) -> None:
    output.outcome(output.engine(ctx).interact(kind, actor, target, at=at), as_json, f"{actor} -> {target}")


@app.command("like")
def like(
    ctx: typer.Context,
    actor: Actor,
    target: Annotated[str, typer.Argument(help="The post.")],
    at: At = None,
    as_json: output.JsonOpt = False,
) -> None:
    """ACTOR likes the post TARGET (needs can_view)."""
    _run(ctx, "like", actor, target, at, as_json)


@app.command("comment")
def comment(
    ctx: typer.Context,
    actor: Actor,
    target: Annotated[str, typer.Argument(help="The post.")],
    at: At = None,
    as_json: output.JsonOpt = False,
) -> None:
    """ACTOR comments on the post TARGET (needs can_comment)."""
    _run(ctx, "comment", actor, target, at, as_json)


@app.command("message")
def message(
    ctx: typer.Context,
    actor: Actor,
    target: Annotated[str, typer.Argument(help="The recipient.")],
    at: At = None,
    as_json: output.JsonOpt = False,
) -> None:
    """ACTOR sends TARGET a direct message (needs can_message)."""
    _run(ctx, "message", actor, target, at, as_json)


@app.command("duet")
def duet(
    ctx: typer.Context,
    actor: Actor,
    target: Annotated[str, typer.Argument(help="The post.")],
    at: At = None,
    as_json: output.JsonOpt = False,
) -> None:
    """ACTOR duets the post TARGET (needs can_duet)."""
    _run(ctx, "duet", actor, target, at, as_json)


@app.command("stitch")
def stitch(
    ctx: typer.Context,
    actor: Actor,
    target: Annotated[str, typer.Argument(help="The post.")],
    at: At = None,
    as_json: output.JsonOpt = False,
) -> None:
    """ACTOR stitches the post TARGET (needs can_stitch)."""
    _run(ctx, "stitch", actor, target, at, as_json)
