"""The distribution as a user gets it: the wheel built from this checkout, installed (not
editable) in a fresh virtual environment, ships one top-level package, ``mutuals``, whose CLI and
engine work from there against the test server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mutuals import Engine

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("mutuals-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("venv") / "fresh"
    # the wheel and its dependencies, resolved from the index as pip does; by the uv that `make`
    # installs beside the test's Python (a second, where the venv's own pip takes ~40), else by pip
    uv = Path(sys.executable).with_name("uv")
    if uv.exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home)], check=True)
        installer = [str(uv), "pip", "install", "--python", str(home / "bin" / "python")]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
        installer = [str(home / "bin" / "pip"), "install", "--disable-pip-version-check"]
    subprocess.run([*installer, "--quiet", str(wheel)], check=True, capture_output=True, text=True)
    return home


def test_the_wheel_holds_one_top_level_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert tops - dist_info == {"mutuals"}
    assert len(dist_info) == 1
    assert "mutuals/cli/main.py" in names
    assert "mutuals/_cypher/engine/view_facts.cypher" in names
    assert any(n.startswith("mutuals/_cypher/reports/") and n.endswith(".cypher") for n in names)
    assert "mutuals/_embedded/pom.xml" in names
    assert "mutuals/cli/console/templates/account.html" in names  # the console's package data
    assert "mutuals/cli/console/static/console.css" in names


def _run(venv: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    clean.update(env)
    return subprocess.run(list(args), cwd=venv, env=clean, capture_output=True, text=True, timeout=120, check=False)


def test_cli_and_engine_work_from_a_non_editable_install(venv: Path, env: dict[str, str], engine: Engine) -> None:
    python, mutuals = str(venv / "bin" / "python"), str(venv / "bin" / "mutuals")
    where = _run(venv, env, python, "-c", "import mutuals, sys; print(mutuals.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    assert "build/dev" not in where.stdout

    helped = _run(venv, env, mutuals, "--help")
    assert helped.returncode == 0, helped.stderr
    assert "follow" in helped.stdout

    added = _run(venv, env, mutuals, "user", "add", "wheel-user", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["outcome"] == "created"
    rows = _run(
        venv, env, mutuals, "query", "MATCH (a:Account {id: $id}) RETURN a.id AS id", "-p", "id=wheel-user", "--json"
    )
    assert rows.returncode == 0, rows.stderr
    assert json.loads(rows.stdout) == [{"id": "wheel-user"}]
    # the engine, imported from the installed package, reads the same graph (a statement from the shipped cypher/)
    script = "from mutuals import Engine\nwith Engine.from_env() as e:\n    print(e.user_show('wheel-user').account.id)"
    shown = _run(venv, env, python, "-c", script)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "wheel-user"
    assert engine.user_show("wheel-user").account.id == "wheel-user"
