"""`mutuals demo`: a guided tour on a small sample community."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.rule import Rule
from rich.text import Text

from . import output, preview

app = typer.Typer()


@app.command(rich_help_panel="Getting started")
def demo(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", help="Run on a database holding other accounts (it deletes only its own).")
    ] = False,
    as_json: output.JsonOpt = False,
) -> None:
    """Load a small sample community and walk through what mutuals does (refused on a database
    holding accounts it did not create, unless --force)."""
    steps = []
    for step in output.engine(ctx).demo(force=force):
        if as_json:
            steps.append({"title": step.title, "command": step.command, "result": _plain(step.result)})
            continue
        output.out.print(Rule(step.title, align="left"))
        output.out.print(f"[dim]$ {step.command}[/dim]")
        _show(step.result)
        output.out.print()
    if as_json:
        output.emit_json(steps)


def _plain(result: Any) -> Any:
    from mutuals import Audience, Page
    from mutuals.views.demo import Refused

    if isinstance(result, Refused):
        return {"refused": result.message}
    if isinstance(result, Audience):
        return result.to_rows()
    if isinstance(result, Page):
        return [_plain(item) for item in result.items]
    if isinstance(result, list):
        return [_plain(r) for r in result]
    if hasattr(result, "to_dict"):
        return result.to_dict()
    return result


def _show(result: Any) -> None:
    from mutuals import Audience, Decision, FeedItem, Outcome, Page, Preview
    from mutuals.views.demo import Refused

    if isinstance(result, Decision):
        word = "[green]allowed[/green]" if result.allowed else "[red]denied[/red]"
        output.out.print(word)
        for reason in result.reasons:
            output.out.print(Text(f"  because {reason}"))
    elif isinstance(result, Refused):
        output.out.print("[red]refused[/red]")
        output.out.print(Text(f"  {result.message}"))
    elif isinstance(result, Audience):
        output.out.print(", ".join(result.accounts.items))
    elif isinstance(result, Page) and result.items and isinstance(result.items[0], FeedItem):
        records = [item.to_dict() for item in result.items]
        output.rows(list(records[0]), records, False)
    elif isinstance(result, Preview):
        preview.show(result, False)
    elif isinstance(result, Outcome):
        style = "red" if result.refused else "green"
        line = f"[{style}]{result.outcome.replace('_', ' ')}[/{style}]"
        if result.refused:
            line += " (refused: nothing was written)"
        output.out.print(line)
    elif isinstance(result, Page):
        output.out.print(", ".join(result.items) or "(none)")
    elif isinstance(result, list):
        records = [_plain(r) for r in result]
        columns = list(records[0]) if records else ["id"]
        output.rows(columns, records, False)
    elif hasattr(result, "to_dict"):
        output.mapping(result.to_dict(), False, "")
    else:
        output.out.print(str(result))
