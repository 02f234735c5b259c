"""`mutuals import KIND FILE` and `mutuals export DIR`: bulk data in CSV or JSON Lines."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from mutuals import InvalidInput
from mutuals.base.validate import IMPORT_BATCH as DEFAULT_BATCH
from mutuals.base.validate import MAX_IMPORT_BATCH as MAX_BATCH

from . import exits, output

if TYPE_CHECKING:
    from mutuals.bulk import ImportProgress, ImportSummary
    from mutuals.bulk.offline import OfflineSummary

app = typer.Typer()


class Kind(StrEnum):
    users = "users"
    follows = "follows"
    blocks = "blocks"
    requests = "requests"
    posts = "posts"
    interactions = "interactions"


class FileFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


@app.command("import", rich_help_panel="Bulk data")
def import_(
    ctx: typer.Context,
    kind: Annotated[Kind | None, typer.Argument(help="What the rows are.", show_default=False)] = None,
    file: Annotated[
        Path | None, typer.Argument(help="A CSV file with a header row, or JSON Lines.", show_default=False)
    ] = None,
    fmt: Annotated[
        FileFormat | None, typer.Option("--format", help="csv or jsonl (default: from the extension).")
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=MAX_BATCH, help="Rows per transaction.")
    ] = DEFAULT_BATCH,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Where refused rows go (default: FILE.rejects.EXT).")
    ] = None,
    skip_checks: Annotated[
        bool,
        typer.Option(
            "--skip-checks", help="interactions (and --offline): skip the permission checks (restoring an export)."
        ),
    ] = False,
    offline: Annotated[
        Path | None,
        typer.Option(
            "--offline",
            metavar="DIR",
            help="Initial load of a whole graph from DIR (users.csv, posts.csv, follows.csv, ...) into the"
            " stopped embedded database, with Neo4j's parallel batch importer.",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="--offline: replace the graph the embedded database holds.")
    ] = False,
    as_json: output.JsonOpt = False,
) -> None:
    """Import rows in batches; refused rows go to a rejects file with their reason. Re-running
    the same import writes nothing new, so an interrupted import is completed by running it again.

    `mutuals import --offline DIR` instead builds the stopped embedded database from the files of
    DIR at once (rows checked under the same rules; refused rows in DIR/KIND.rejects.csv)."""
    if offline is not None:
        if kind is not None or file is not None:
            raise InvalidInput("offline", "takes a directory and no KIND or FILE: mutuals import --offline DIR")
        from mutuals.bulk.offline import import_offline  # numpy, for this command only

        config = output.state(ctx).config()
        _offline(import_offline(config, offline, overwrite=overwrite, checks=not skip_checks), as_json)
        return
    if kind is None or file is None:
        raise InvalidInput("kind" if kind is None else "file", "missing: mutuals import KIND FILE (or --offline DIR)")
    eng = output.engine(ctx)
    last: list[ImportProgress] = []
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn(f"importing {kind.value}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn(
            "{task.fields[rows]:>12,} rows {task.fields[rate]:>9,.0f} rows/s {task.fields[rejected]:,} rejected"
        ),
        TimeElapsedColumn(),
        console=output.err,
        transient=as_json,
    )
    task = bar.add_task("import", total=None, rows=0, rate=0.0, rejected=0)

    def show(step: ImportProgress) -> None:
        if not last:  # shown from the first batch on: a file refused outright prints only its error
            bar.start()
        last.append(step)
        rate = step.read / step.seconds if step.seconds > 0 else 0.0
        bar.update(task, total=step.bytes_total, completed=step.bytes_read, rows=step.read, rate=rate)
        bar.update(task, rejected=step.rejected)

    try:
        summary = eng.import_(
            kind.value,
            file,
            format=fmt.value if fmt else None,
            batch_size=batch_size,
            rejects=rejects,
            checks=not skip_checks,
            progress=show,
        )
    except KeyboardInterrupt:
        if last:
            bar.stop()
        done = f" after {last[-1].read:,} rows" if last else ""
        output.err.print(
            f"interrupted{done}: the batches written so far are committed; run the same import again to complete it"
        )
        raise typer.Exit(exits.INTERRUPTED) from None
    finally:
        if last:
            bar.stop()
    _summary(summary, as_json)


def _offline(summary: OfflineSummary, as_json: bool) -> None:
    if as_json:
        output.emit_json(summary.to_dict())
        return
    table = Table(title=Text(output.printable(f"offline import from {summary.directory}")), header_style="bold")
    for column in ("kind", "read", "written", "rejected"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, read in summary.read.items():
        table.add_row(kind, f"{read:,}", f"{summary.written.get(kind, 0):,}", f"{summary.rejected.get(kind, 0):,}")
    output.out.print(table)
    if not summary.imported:
        for kind, path in summary.rejects_files.items():
            output.err.print(Text(output.printable(f"rejected {kind} and their reasons: {path}")))
        output.out.print("nothing imported: no account or post to load; the database was left as it was")
        return
    output.out.print(
        f"{summary.nodes:,} nodes and {summary.relationships:,} relationships: rows checked in"
        f" {summary.prepare_seconds:.1f} s, store built in {summary.import_seconds:.1f} s"
        f" ({summary.relationships_per_second:,.0f} relationships/s)"
    )
    for kind, path in summary.rejects_files.items():
        output.err.print(Text(output.printable(f"rejected {kind} and their reasons: {path}")))
    output.err.print("start it with `mutuals db start`; the first command builds the constraints and indexes")


def _summary(summary: ImportSummary, as_json: bool) -> None:
    if as_json:  # the token of the last batch, once ImportSummary carries one
        output.emit_json(output.with_token(summary.to_dict(), summary.token))
        return
    table = Table(title=Text(output.printable(f"import of {summary.kind} from {summary.file}")), show_header=False)
    table.add_column("what", style="bold")
    table.add_column("rows", justify="right")
    for label, value in (
        ("read", summary.read),
        ("written", summary.written),
        ("unchanged", summary.unchanged),
        ("rejected", summary.rejected),
    ):
        table.add_row(label, f"{value:,}")
    for reason, count in summary.reasons.items():
        table.add_row(f"  {reason}", f"{count:,}")
    table.add_row("rows/s", f"{summary.rows_per_second:,.0f}")
    output.out.print(table)
    if summary.rejects_file:
        output.err.print(Text(output.printable(f"rejected rows and their reasons: {summary.rejects_file}")))


@app.command(rich_help_panel="Bulk data")
def export(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Where to write the files (created when missing).")],
    fmt: Annotated[FileFormat, typer.Option("--format", help="csv or jsonl.")] = FileFormat.csv,
    as_json: output.JsonOpt = False,
) -> None:
    """Write users, posts, follows, requests, blocks and interactions files that `mutuals import` reads back."""
    summary = output.engine(ctx).export(directory, format=fmt.value)
    if as_json:
        output.emit_json(summary.to_dict())
        return
    table = Table(title=Text(output.printable(f"export to {summary.directory}")), header_style="bold")
    table.add_column("kind")
    table.add_column("rows", justify="right")
    table.add_column("file")
    for kind, path in summary.files.items():
        table.add_row(kind, f"{summary.rows[kind]:,}", Text(output.printable(path)))
    output.out.print(table)
