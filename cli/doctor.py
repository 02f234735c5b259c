"""`mutuals doctor`: check the graph's invariants."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from . import exits, output

app = typer.Typer()


@app.command(rich_help_panel="Analysis")
def doctor(ctx: typer.Context, after: output.AfterOpt = None, as_json: output.JsonOpt = False) -> None:
    """Check every invariant (no duplicate follow, no follow across a block, ...); exit 1 if one breaks."""
    report = output.engine(ctx).doctor(after=after)
    if as_json:
        output.emit_json(report.to_dict())
    else:
        table = Table(title="invariants", header_style="bold")
        table.add_column("check")
        table.add_column("violations", justify="right")
        table.add_column("examples")
        for check in report.checks:
            style = "green" if check.violations == 0 else "red"
            examples = Text(output.printable(", ".join(f"{a}->{b}" for a, b in check.examples)))
            table.add_row(check.name, f"[{style}]{check.violations}[/{style}]", examples)
        output.out.print(table)
    if not report.ok:
        raise typer.Exit(exits.CHECK_FAILED)
