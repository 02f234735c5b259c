"""`mutuals interact like | comment | message | duet | stitch ACTOR TARGET`."""

from collections.abc import Callable
from typing import Annotated

import typer

from . import output

app = typer.Typer(
    help="Record interactions; each is refused (exit 4, with the reason) when its check denies.",
    no_args_is_help=True,
)

# kind -> (what TARGET is, what the command does)
KINDS = {
    "like": ("The post.", "ACTOR likes the post TARGET (needs can view)."),
    "comment": ("The post.", "ACTOR comments on the post TARGET (needs can comment)."),
    "message": ("The recipient.", "ACTOR sends TARGET a direct message (needs can message)."),
    "duet": ("The post.", "ACTOR duets the post TARGET (needs can duet)."),
    "stitch": ("The post.", "ACTOR stitches the post TARGET (needs can stitch)."),
}


def _command(kind: str, target_help: str, doc: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        actor: Annotated[str, typer.Argument(help="Who acts.")],
        target: Annotated[str, typer.Argument(help=target_help)],
        at: Annotated[str | None, typer.Option("--at", help="When (ISO-8601; default now).")] = None,
        as_json: output.JsonOpt = False,
    ) -> None:
        result = output.engine(ctx).interact(kind, actor, target, at=at)
        output.outcome(result, as_json, f"{actor} -> {target}", verb=kind)

    command.__doc__ = doc
    command.__name__ = kind
    return command


for _kind, (_target_help, _doc) in KINDS.items():
    app.command(_kind)(_command(_kind, _target_help, _doc))
