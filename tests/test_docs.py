"""The README's Python example is itself a test; the docs mention what exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mutuals import Config, Engine

ROOT = Path(__file__).parent.parent


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_python_example_runs(engine: Engine, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    blocks = _python_blocks((ROOT / "README.md").read_text())
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert "SegmentCounts(friends=1" in capsys.readouterr().out


def test_readme_lists_every_configuration_variable() -> None:
    readme = (ROOT / "README.md").read_text()
    for variable in Config.env_names().values():
        assert variable in readme, variable


def test_decisions_are_recorded() -> None:
    decisions = (ROOT / "docs" / "decisions.md").read_text()
    for topic in ("py2neo", "5.26", "embedded"):
        assert topic in decisions
