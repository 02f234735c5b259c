"""Keep ``build/dev/mutuals`` (the package as a development install imports it) in step with the
repository: one link per entry of ``engine/``, and ``cli`` linked to ``cli/``.

The wheel maps ``engine/`` to ``mutuals/`` and ``cli/`` to ``mutuals/cli/`` (pyproject.toml); an
editable install cannot rewrite a path prefix, so it puts ``build/dev`` on ``sys.path`` instead
and finds the same tree through these links (docs/decisions.md, "One package name").

    python tools/devlink.py           # create or refresh the links (make install runs it)
    python tools/devlink.py --check   # exit 1 when a link is missing or stale
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "build" / "dev" / "mutuals"
SKIP = {"__pycache__"}


def wanted() -> dict[str, Path]:
    """Link name -> target, relative to the package directory."""
    links = {entry.name: entry for entry in sorted((ROOT / "engine").iterdir()) if entry.name not in SKIP}
    links["cli"] = ROOT / "cli"
    return links


def stale() -> list[str]:
    """The entries of build/dev/mutuals that are missing, extra or point elsewhere."""
    want = wanted()
    problems = [name for name, target in want.items() if not _points_at(PACKAGE / name, target)]
    if PACKAGE.is_dir():
        problems += [e.name for e in PACKAGE.iterdir() if e.name not in want and e.name not in SKIP]
    return problems


def _points_at(link: Path, target: Path) -> bool:
    return link.is_symlink() and (link.parent / os.readlink(link)).resolve() == target.resolve()


def refresh() -> None:
    if PACKAGE.exists() and not PACKAGE.is_dir():
        PACKAGE.unlink()
    PACKAGE.mkdir(parents=True, exist_ok=True)
    want = wanted()
    for entry in PACKAGE.iterdir():
        if entry.name in SKIP:
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name not in want or not _points_at(entry, want[entry.name]):
            entry.unlink() if entry.is_symlink() or entry.is_file() else shutil.rmtree(entry)
    for name, target in want.items():
        link = PACKAGE / name
        if not link.is_symlink():
            link.symlink_to(os.path.relpath(target, PACKAGE))


def main() -> int:
    if "--check" in sys.argv[1:]:
        problems = stale()
        if problems:
            print(f"build/dev/mutuals is out of date ({', '.join(problems)}): run `python tools/devlink.py`")
            return 1
        return 0
    refresh()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
