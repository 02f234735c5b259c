"""The `mutuals` command: a thin Typer layer over :mod:`engine` (parse, one engine call, render)."""
