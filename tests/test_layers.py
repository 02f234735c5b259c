"""The layers of engine/ (docs/architecture.md): a module imports only from its own layer or lower.

base < rules < io < ops < bulk, views < the front (core, aio, _aio_verbs, __init__). bulk and
views are siblings: neither imports the other. cli/ (``mutuals.cli``) may import anything of
the package, and nothing in engine/ imports it. Every import counts, also one inside a function
or under ``if TYPE_CHECKING``. No database needed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent
ENGINE = ROOT / "engine"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# folder (or top-level module) of engine/ -> (rank, layer); a higher rank may import a lower one
FOLDERS = {"base": 0, "rules": 1, "io": 2, "ops": 3, "bulk": 4, "views": 4}
FRONT = frozenset({"core", "aio", "_aio_verbs", "__init__"})
FRONT_RANK = 5
CLI_RANK = 6


@dataclass(frozen=True)
class Layer:
    name: str
    rank: int


def layer_of(module: str) -> Layer:
    """The layer of a module of the installed package (``mutuals.ops.feeds`` -> ops)."""
    parts = module.split(".")
    assert parts[0] == "mutuals", module
    if len(parts) == 1:
        return Layer("front", FRONT_RANK)
    head = parts[1]
    if head == "cli":
        return Layer("cli", CLI_RANK)
    if head in FOLDERS:
        return Layer(head, FOLDERS[head])
    if head in FRONT:
        return Layer("front", FRONT_RANK)
    raise AssertionError(f"{module}: engine/{head} belongs to no layer (add it to tests/test_layers.py)")


def module_name(path: Path) -> str:
    """``engine/ops/feeds.py`` -> ``mutuals.ops.feeds``; ``engine/ops/__init__.py`` -> ``mutuals.ops``."""
    parts = list(path.relative_to(ENGINE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    elif parts == ["__init__"]:
        parts = []
    return ".".join(["mutuals", *parts])


def _is_module(dotted: str) -> bool:
    """Whether ``mutuals.a.b`` names a module or package of engine/."""
    rel = Path(*dotted.split(".")[1:])
    return (ENGINE / rel).with_suffix(".py").is_file() or (ENGINE / rel / "__init__.py").is_file()


def imported(module: str, source: str, *, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) for every import of the package in ``source``, wherever it stands."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                # `from mutuals import rules` imports the subpackage, not the front
                whole = f"{base}.{alias.name}"
                found.append((node.lineno, whole if _is_module(whole) else base))
    return [(line, name) for line, name in found if name.split(".")[0] in {"mutuals", "engine", "cli"}]


def violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """Every import in ``source`` (the text of ``module``) that goes up or sideways."""
    own = layer_of(module)
    out: list[str] = []
    for line, target in imported(module, source, is_package=is_package):
        where = f"{module} line {line}: imports {target}"
        if target.split(".")[0] != "mutuals":
            out.append(f"{where} (the package is `mutuals`, not the repository folder)")
            continue
        other = layer_of(target)
        if other.rank > own.rank:
            out.append(f"{where}, a higher layer ({own.name} < {other.name})")
        elif other.rank == own.rank and other.name != own.name:
            out.append(f"{where}: {own.name} and {other.name} are siblings that do not import each other")
    return out


def _sources() -> list[Path]:
    return sorted(p for p in ENGINE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_of_engine_imports_a_higher_layer() -> None:
    sources = _sources()
    assert len(sources) > 30  # the walk found the package
    problems: list[str] = []
    for path in sources:
        problems += violations(module_name(path), path.read_text(), is_package=path.name == "__init__.py")
    assert not problems, "\n".join(problems)


def test_cli_imports_the_package_and_never_the_repository_folders() -> None:
    problems: list[str] = []
    for path in sorted((ROOT / "cli").rglob("*.py")):
        rel = path.relative_to(ROOT / "cli").with_suffix("").parts
        module = ".".join(["mutuals", "cli", *(p for p in rel if p != "__init__")])
        for line, target in imported(module, path.read_text(), is_package=path.name == "__init__.py"):
            if target.split(".")[0] != "mutuals":
                problems.append(f"cli/{path.name} line {line}: imports {target}")
    assert not problems, "\n".join(problems)


def test_the_checker_sees_imports_that_go_up() -> None:
    """The rule itself, on made-up sources: up, sideways, inside a function, relative, cli."""
    assert violations("mutuals.base.models", "from mutuals.ops import feeds\n")
    assert violations("mutuals.rules.ranking", "def f():\n    import mutuals.io.connection\n")
    assert violations("mutuals.bulk.load", "from mutuals.views import reports\n")
    assert violations("mutuals.views.reports", "from mutuals.bulk.rows import KINDS\n")
    assert violations("mutuals.ops.feeds", "from ..core import Engine\n")
    assert violations("mutuals.ops.feeds", "from mutuals import Engine\n")  # the front
    assert violations("mutuals.core", "from mutuals.cli import main\n")
    assert violations("mutuals.core", "from engine.ops import feeds\n")
    assert not violations("mutuals.ops.feeds", "from mutuals import rules\nfrom mutuals.base import validate\n")
    assert not violations("mutuals.views.reports", "from . import charts\nfrom mutuals.ops import lists\n")
    assert not violations("mutuals.core", "from mutuals.bulk import run\nfrom mutuals.views import demo\n")


def test_architecture_names_every_folder_of_engine_in_layer_order() -> None:
    text = ARCHITECTURE.read_text()
    folders = sorted(p.name for p in ENGINE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert set(folders) == set(FOLDERS), "a folder of engine/ has no layer in tests/test_layers.py"
    for name in folders:
        assert f"engine/{name}/" in text, f"docs/architecture.md does not name engine/{name}/"
    for name in FRONT - {"__init__"}:
        assert f"engine/{name}.py" in text, f"docs/architecture.md does not name engine/{name}.py"
    named = set(re.findall(r"engine/([A-Za-z_]+)/", text))
    assert named <= set(folders), f"docs/architecture.md names folders that do not exist: {named - set(folders)}"
    # the layer headings, bottom up, in the order of the ranks
    headings = re.findall(r"^### .*?`engine/([A-Za-z_]+)/`", text, flags=re.MULTILINE)
    assert sorted(headings) == folders
    assert [FOLDERS[h] for h in headings] == sorted(FOLDERS[h] for h in headings)
