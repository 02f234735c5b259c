"""`mutuals report list | run` and `mutuals draw`: analyst reports and pictures."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from mutuals.base import limits
from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput

from . import output
from .params import parse_text_params

app = typer.Typer(help="Analyst reports: plain parameterised Cypher files, run read-only.", no_args_is_help=True)
draw_app = typer.Typer()


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"


@app.command("list")
def report_list(ctx: typer.Context, as_json: output.JsonOpt = False) -> None:
    """Every report (built in, and those in MUTUALS_REPORTS_DIR): name, description, parameters."""
    found = output.engine(ctx).report_list()
    if as_json:
        output.emit_json([report.to_dict() for report in found])
        return
    table = Table(title="reports", header_style="bold", show_lines=True)
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("description")
    table.add_column("parameters")
    for report in found:
        params = "\n".join(p.signature() for p in report.params)
        name = report.name if report.builtin else f"{report.name} (yours)"
        table.add_row(Text(name), Text(report.description), Text(params or "none"))
    output.out.print(table)


@app.command("run")
def report_run(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The report's name (see `mutuals report list`).")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="KEY=VALUE, read by the type the report declares."),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="table, json (an array of rows), csv, or parquet (needs --out)."),
    ] = Format.table,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the rows (json, csv or parquet) to this file instead of stdout."),
    ] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also draw the rows as a bar or donut chart into this PNG file.")
    ] = None,
    as_json: output.JsonOpt = False,
) -> None:
    """Run a report in a read transaction (the database refuses writes) and print its rows, or
    write them to a file (--out) as JSON, CSV or Parquet."""
    if out is None and fmt is Format.parquet:
        raise InvalidInput("out", "--format parquet writes a binary file: give --out FILE")
    if out is not None and fmt is Format.table:
        raise InvalidInput("out", "--out writes --format json, csv or parquet, not a table")
    result = output.engine(ctx).report_run(name, parse_text_params(param or []), chart=chart)
    rows = [dict(row) for row in result.rows]
    if out is not None:
        if fmt is Format.parquet:
            written = result.to_parquet(out)
        else:
            text = _csv_text(result.columns, rows) if fmt is Format.csv else json.dumps(rows, ensure_ascii=False) + "\n"
            written = _write(out, text)
        if as_json:
            output.emit_json({"report": result.name, "format": fmt.value, "rows": len(rows), "out": str(written)})
        else:
            output.err.print(f"{len(rows):,} rows written to {output.safe(str(written))} ({fmt.value})")
    elif as_json or fmt is Format.json:
        output.emit_json(rows)
    elif fmt is Format.csv:
        sys.stdout.write(_csv_text(result.columns, rows))
        sys.stdout.flush()
    else:
        output.rows(list(result.columns), rows, False, title=result.name)
    if result.chart:
        output.err.print(f"chart written to {output.safe(str(result.chart))}")


@app.command("show")
def report_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The report's name (see `mutuals report list`).")],
    as_json: output.JsonOpt = False,
) -> None:
    """Print a report's runnable Cypher (rule fragments inlined), to run from any Neo4j client
    with the report's parameters (docs/reports.md)."""
    report = output.engine(ctx).report_show(name)
    if as_json:
        output.emit_json({**report.to_dict(), "text": report.text})
        return
    sys.stdout.write(report.text + "\n")
    sys.stdout.flush()


@draw_app.command(rich_help_panel="Analysis")
def draw(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="The account at the centre.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The PNG file to write.")],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=limits.EGO_MAX_LIMIT, help="At most this many accounts.")
    ] = limits.EGO_DEFAULT_LIMIT,
    as_json: output.JsonOpt = False,
) -> None:
    """Draw USER's ego network: friends, followers-only and following-only accounts in their colours."""
    picture = output.engine(ctx).draw(user, out, limit=limit)
    if as_json:
        output.emit_json(picture.to_dict())
        return
    counts = ", ".join(
        f"{name.replace('_', '-')} {picture.drawn[name]:,}"
        + (f" of {picture.totals[name]:,}" if picture.drawn[name] != picture.totals[name] else "")
        for name in picture.totals
    )
    output.out.print(f"ego network of {output.safe(user)} written to {output.safe(str(picture.path))} ({counts})")
    if picture.truncated:
        output.err.print(
            f"note: the network is larger than drawn: raise --limit (at most {limits.EGO_MAX_LIMIT}) to draw more"
        )


def _csv_text(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _csv(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def _write(path: Path, text: str) -> Path:
    target = v.path("out", path)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InvalidInput("out", f"cannot write {target}: {e.strerror or e}") from None
    return target


def _csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
