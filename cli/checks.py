"""`mutuals can view | message | comment | duet | stitch ACTOR TARGET [--explain]`."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from mutuals.base.validate import LOGGED_OUT

from . import output

if TYPE_CHECKING:
    from mutuals import Decision

app = typer.Typer(
    help="Permission checks: allowed or denied, and with --explain the rule that decided.",
    no_args_is_help=True,
)

ANONYMOUS = LOGGED_OUT  # ACTOR '-': a logged-out viewer (the engine's None), in every check of a post
# check -> (what TARGET is, the question it answers)
CHECKS = {
    "view": ("The post.", "May ACTOR see the post TARGET? (ACTOR '-' is a logged-out viewer.)"),
    "message": ("The recipient.", "May ACTOR send a direct message to TARGET?"),
    "comment": ("The post.", "May ACTOR comment on the post TARGET? (ACTOR '-': always denied.)"),
    "duet": ("The post.", "May ACTOR duet the post TARGET? (ACTOR '-': always denied.)"),
    "stitch": ("The post.", "May ACTOR stitch the post TARGET? (ACTOR '-': always denied.)"),
}


def show(decision: "Decision", as_json: bool, explain: bool) -> None:
    """allowed/denied (and the reasons with --explain), or the JSON object."""
    if as_json:
        output.emit_json(decision.to_dict())  # allowed, reasons, rule and the actor-safe public_reason
        return
    output.out.print("[green]allowed[/green]" if decision.allowed else "[red]denied[/red]")
    if explain:
        for reason in decision.reasons:
            output.out.print(Text(f"  because {reason}"))


def _command(check: str, target_help: str, question: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        actor: Annotated[str, typer.Argument(help="Who acts.")],
        target: Annotated[str, typer.Argument(help=target_help)],
        explain: Annotated[bool, typer.Option("--explain", help="Say which rule decided, in words.")] = False,
        after: output.AfterOpt = None,
        as_json: output.JsonOpt = False,
    ) -> None:
        who = None if actor == ANONYMOUS and check != "message" else actor
        decision = getattr(output.engine(ctx), f"can_{check}")(who, target, after=after)
        show(decision, as_json, explain)

    command.__doc__ = question
    command.__name__ = f"can_{check}"
    return command


for _check, (_target_help, _question) in CHECKS.items():
    app.command(_check)(_command(_check, _target_help, _question))
