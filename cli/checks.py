"""`mutuals can view | message | comment | duet | stitch ACTOR TARGET [--explain]`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from engine import Decision

from . import output

app = typer.Typer(
    help="Permission checks: allowed or denied, and with --explain the rule that decided.", no_args_is_help=True
)

ANONYMOUS = "-"
Actor = Annotated[str, typer.Argument(help="Who acts (for `view`, '-' is a logged-out viewer).")]
Post = Annotated[str, typer.Argument(help="The post.")]
Explain = Annotated[bool, typer.Option("--explain", help="Say which rule decided, in words.")]


def _show(decision: Decision, as_json: bool, explain: bool) -> None:
    if as_json:
        output.emit_json({"allowed": decision.allowed, "reasons": list(decision.reasons), "rule": decision.rule})
        return
    word = "[green]allowed[/green]" if decision.allowed else "[red]denied[/red]"
    output.out.print(word)
    if explain:
        for reason in decision.reasons:
            output.out.print(Text(f"  because {reason}"))


@app.command("view")
def can_view(
    ctx: typer.Context, actor: Actor, target: Post, explain: Explain = False, as_json: output.JsonOpt = False
) -> None:
    """May ACTOR see the post TARGET?"""
    viewer = None if actor == ANONYMOUS else actor
    _show(output.engine(ctx).can_view(viewer, target), as_json, explain)


@app.command("message")
def can_message(
    ctx: typer.Context,
    actor: Actor,
    target: Annotated[str, typer.Argument(help="The recipient.")],
    explain: Explain = False,
    as_json: output.JsonOpt = False,
) -> None:
    """May ACTOR send a direct message to TARGET?"""
    _show(output.engine(ctx).can_message(actor, target), as_json, explain)


@app.command("comment")
def can_comment(
    ctx: typer.Context, actor: Actor, target: Post, explain: Explain = False, as_json: output.JsonOpt = False
) -> None:
    """May ACTOR comment on the post TARGET?"""
    _show(output.engine(ctx).can_comment(actor, target), as_json, explain)


@app.command("duet")
def can_duet(
    ctx: typer.Context, actor: Actor, target: Post, explain: Explain = False, as_json: output.JsonOpt = False
) -> None:
    """May ACTOR duet the post TARGET?"""
    _show(output.engine(ctx).can_duet(actor, target), as_json, explain)


@app.command("stitch")
def can_stitch(
    ctx: typer.Context, actor: Actor, target: Post, explain: Explain = False, as_json: output.JsonOpt = False
) -> None:
    """May ACTOR stitch the post TARGET?"""
    _show(output.engine(ctx).can_stitch(actor, target), as_json, explain)
