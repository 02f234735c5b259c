"""Generate ``engine/_aio_verbs.py`` (the verbs of ``AsyncEngine``) from ``engine/core.py``.

``Engine`` is the one source: each verb validates nothing itself and only hands a plan (or an
operation of :mod:`mutuals.io.runner`, such as an import) to the connection (``return
self._conn.read(...)`` / ``self._conn.write(...)`` / ``self._conn.execute(...)`` / ``self._list(...)``).
Its async twin is the same method with ``async def`` and ``await``; the plans (the rules) are
shared. Methods that are not single-plan verbs are written by hand in ``engine/aio.py`` and
listed in ``HAND_WRITTEN``; any other shape makes the generator fail loudly.

    python tools/unasync.py          # rewrite engine/_aio_verbs.py
    python tools/unasync.py --check  # exit 1 when it is out of date

tests/test_services.py::test_async_verbs_are_generated_from_engine_and_up_to_date runs the check.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "engine" / "core.py"
TARGET = ROOT / "engine" / "_aio_verbs.py"

HAND_WRITTEN = frozenset(
    {
        "__init__",
        "from_env",
        "close",
        "__enter__",
        "__exit__",
        "uri",
        "apply_schema",
        "ping",
        "walk",
        "_walk",
        "events_follow",
        "_events_follow",
        "demo",
        "query",
        "report_list",
        "report_show",
        "report_run",
        "draw",
    }
)
VERB_CALLS = ("self._conn.read", "self._conn.write", "self._conn.execute", "self._list")


class NotAVerb(Exception):
    pass


def _is_verb(node: ast.FunctionDef) -> bool:
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
        return False
    return ast.unparse(body[0].value.func) in VERB_CALLS


def generate(source: str) -> str:
    tree = ast.parse(source)
    lines = source.splitlines()
    engine = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Engine")
    imports = [ast.get_source_segment(source, n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    methods: list[str] = []
    problems: list[str] = []
    for node in engine.body:
        if not isinstance(node, ast.FunctionDef) or node.name in HAND_WRITTEN:
            continue
        if not _is_verb(node):
            problems.append(node.name)
            continue
        start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
        text = "\n".join(lines[start : node.end_lineno])
        text = text.replace(f"def {node.name}(", f"async def {node.name}(", 1)
        for call in VERB_CALLS:
            text = text.replace(f"return {call}(", f"return await {call}(")
        methods.append(text)
    if problems:
        raise NotAVerb(
            "Engine methods that are not single-plan verbs: "
            + ", ".join(problems)
            + " - write their async version in engine/aio.py and add them to HAND_WRITTEN in tools/unasync.py"
        )
    header = [
        '"""The verbs of ``AsyncEngine``: GENERATED from engine/core.py by tools/unasync.py. Do not edit."""',
        "",
        "# ruff: noqa",
        *[i for i in imports if i],
        "from mutuals.io.aio_connection import AsyncConnection",
        "",
        "",
        "class AsyncVerbs:",
        '    """Every single-plan verb of ``Engine``, awaitable; the plans are the same objects."""',
        "",
        "    _conn: AsyncConnection",
        "    _cursors: Cursors",
        "",
    ]
    return _formatted("\n".join(header) + "\n" + "\n\n".join(methods) + "\n")


def _formatted(code: str) -> str:
    """The code as `ruff format` writes it (the project's formatter; `make lint` checks it)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=code,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ruff format failed: {done.stderr}")
    return done.stdout


def main(argv: list[str]) -> int:
    generated = generate(SOURCE.read_text())
    if "--check" in argv:
        current = TARGET.read_text() if TARGET.exists() else ""
        if current != generated:
            print("engine/_aio_verbs.py is out of date: run `python tools/unasync.py` (make generate)")
            return 1
        return 0
    TARGET.write_text(generated)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
