"""The files of an offline load: reading the CSV files of DIR, and writing the input files of
Neo4j's batch importer (one per node or relationship group, header first)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

from mutuals.base.errors import InvalidInput
from mutuals.bulk.rows import KINDS, check_header

HEADERS: Final = {
    "accounts": (
        ":ID(Account),id,private:boolean,dm_policy,comment_policy,duet_policy,stitch_policy,created_at:datetime"
    ),
    "posts": ":ID(Post),id,author,visibility,created_at:datetime,duet_policy,stitch_policy",
    "posted": ":START_ID(Account),:END_ID(Post)",
    "follows": ":START_ID(Account),:END_ID(Account),src,dst,since:datetime",
    "requests": ":START_ID(Account),:END_ID(Account),src,dst,at:datetime",
    "blocks": ":START_ID(Account),:END_ID(Account),src,dst,at:datetime",
    "post_interactions": ":START_ID(Account),:END_ID(Post),kind,src,dst,post,at:datetime",
    "messages": ":START_ID(Account),:END_ID(Account),kind,src,dst,at:datetime",
}
GROUPS: Final = {
    "accounts": ("nodes", "Account"),
    "posts": ("nodes", "Post"),
    "posted": ("relationships", "POSTED"),
    "follows": ("relationships", "FOLLOWS"),
    "requests": ("relationships", "REQUESTED"),
    "blocks": ("relationships", "BLOCKS"),
    "post_interactions": ("relationships", "INTERACTED"),
    "messages": ("relationships", "INTERACTED"),
}


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            return
        for number, values in enumerate(reader, start=2):
            if values:
                yield number, dict(zip(header, values, strict=False))


def header(path: Path, kind: str) -> list[str]:
    """The checked header row of ``path`` (the columns of its rejects file, as online)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), None)
    if header is None:
        raise InvalidInput("directory", f"{path.name}: a CSV file needs a header row naming its columns")
    check_header(KINDS[kind], header)
    return header


def cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return f'"{text}"' if "," in text or '"' in text else text


class Writer:
    """One input file of the batch importer (header first)."""

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / f"{name}.csv"
        self.handle: IO[str] = self.path.open("w", encoding="utf-8", newline="")
        self.handle.write(HEADERS[name] + "\n")
        self.rows = 0

    def write(self, *cells: Any) -> None:
        self.handle.write(",".join(cell(c) for c in cells) + "\n")
        self.rows += 1
