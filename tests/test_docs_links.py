"""Every Markdown link and image in README.md and docs/ stays inside the repository.

A link that is not an http(s) or mailto URL, nor a pure ``#anchor``, must name a file (or a
folder holding one) of the repository: tracked, or new and not ignored by git, so a fresh clone
has it. No database needed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", flags=re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", flags=re.DOTALL)
# [text](target "title") and ![alt](target); the text may hold one level of brackets (an image)
_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", flags=re.MULTILINE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_OUTSIDE_OK = ("http://", "https://", "mailto:")


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def links(text: str) -> list[str]:
    """The targets of every inline link, image and reference definition, outside code."""
    prose = _CODE_SPAN.sub("", _FENCE.sub("", text))
    found = [m.group(1) for m in _INLINE.finditer(prose)] + [m.group(1) for m in _REFERENCE.finditer(prose)]
    return [t[1:-1] if t.startswith("<") and t.endswith(">") else t for t in found]


def repository_files() -> set[str]:
    """Paths (relative, POSIX) of the files a clone has: tracked, or new and not ignored."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an unpacked sdist): what is on disk
        return {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()}
    return {name.decode() for name in out.split(b"\0") if name and (ROOT / name.decode()).is_file()}


def problem(source: Path, target: str, files: set[str]) -> str | None:
    """Why ``target``, linked from ``source``, does not resolve inside the repository (None: it does)."""
    if target.startswith(_OUTSIDE_OK) or target.startswith("#"):
        return None
    if _SCHEME.match(target):
        return "a URL that is neither http(s) nor mailto"
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return "an empty link"
    start = PurePosixPath("/") if path.startswith("/") else PurePosixPath("/", *source.parent.relative_to(ROOT).parts)
    parts: list[str] = []
    for part in (start / path).parts[1:]:
        if part == "..":
            if not parts:
                return "climbs out of the repository"
            parts.pop()
        elif part != ".":
            parts.append(part)
    rel = "/".join(parts)
    if rel in files or (rel == "" and files) or any(f.startswith(rel + "/") for f in files):
        return None
    return f"{rel or '.'} is not a file of the repository"


def test_every_local_link_in_the_docs_resolves_inside_the_repository() -> None:
    files = repository_files()
    assert "README.md" in files and "docs/rules.md" in files
    problems = []
    checked = 0
    for source in markdown_files():
        for target in links(source.read_text()):
            checked += 1
            why = problem(source, target, files)
            if why:
                problems.append(f"{source.relative_to(ROOT)}: ({target}) {why}")
    assert checked > 10  # the links were found
    assert not problems, "\n".join(problems)


def test_the_checker_refuses_links_that_leave_the_repository() -> None:
    files = {"README.md", "docs/rules.md", "docs/ranking.md", "examples/service/app.py"}
    readme, rules = ROOT / "README.md", ROOT / "docs" / "rules.md"
    assert problem(readme, "../shared/SPEC.md", files) == "climbs out of the repository"
    assert problem(rules, "../../shared/SPEC.md", files) == "climbs out of the repository"
    assert problem(rules, "SPEC.md", files) == "docs/SPEC.md is not a file of the repository"
    assert problem(rules, "file:///work/shared/SPEC.md", files)
    assert problem(readme, "docs/missing.md#x", files)
    assert problem(rules, "ranking.md#the-for-you-feed", files) is None
    assert problem(rules, "../examples/service/", files) is None
    assert problem(readme, "/docs/rules.md", files) is None
    assert problem(readme, "#from-python", files) is None
    assert problem(readme, "https://neo4j.com/docs/", files) is None
    text = 'See [a](docs/a.md), ![b](img/b.png "title"), `[c](no.md)` and\n\n```\n[d](no.md)\n```\n[e]: <e f.md>\n'
    assert links(text) == ["docs/a.md", "img/b.png", "e f.md"]


def test_nothing_points_at_a_brief_outside_the_repository() -> None:
    """The rules live in docs/rules.md; no file names the brief that stayed outside the repository."""
    outside = "DESIGN" + ".md"  # spelled apart, so this file does not name it either
    hits = []
    for name in sorted(repository_files()):
        path = ROOT / name
        if path.suffix in {".py", ".md", ".cypher", ".toml", ".yml", ".java", ".xml", ".txt"} or name == "Makefile":
            hits += [f"{name}:{i}" for i, line in enumerate(path.read_text().splitlines(), 1) if outside in line]
    assert not hits, "\n".join(hits)
