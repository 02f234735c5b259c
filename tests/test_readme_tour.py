"""The README's tour runs as written: each `mutuals` line of its bash block goes through the real
CLI (a subprocess, as a newcomer types it) against the test database, from an empty database, in
a scratch directory, and exits as the tour says (0, or 4 for a line it says is refused)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from mutuals import Engine

ROOT = Path(__file__).resolve().parent.parent
MUTUALS = Path(sys.executable).with_name("mutuals")

# the lines that need the embedded server of $MUTUALS_HOME, not the test database, and why
SKIPPED = {
    "mutuals db start": "starts the embedded server; the tests use their own Neo4j",
    "mutuals db stop": "stops the embedded server",
    "mutuals import --offline backup/ --overwrite --skip-checks": "needs the embedded server stopped"
    " (tests/test_friction.py restores such an export offline)",
}
# the lines of the block that are not `mutuals` commands: the tour's set-up
SET_UP = ["source .venv/bin/activate", 'cd "$(mktemp -d)"']


def tour() -> list[tuple[str, str]]:
    """The command lines of the bash block under "## A short tour" (each normalised by shlex, in
    order), each with its comment: what the tour says it does."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## A short tour", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None, "the tour has no bash block"
    lines = []
    for raw in block.group(1).splitlines():
        words = shlex.split(raw, comments=True)
        if words:
            lines.append((shlex.join(words), raw.split(" #", 1)[1].strip() if " #" in raw else ""))
    return lines


def expected_status(said: str) -> int:
    """4 for a line whose comment says it is refused, else 0."""
    return 4 if said.startswith("refused") else 0


def test_the_tour_block_is_set_up_then_mutuals_commands() -> None:
    lines = [line for line, _ in tour()]
    assert lines[: len(SET_UP)] == [shlex.join(shlex.split(s)) for s in SET_UP]
    commands = lines[len(SET_UP) :]
    assert commands and all(line.startswith("mutuals ") for line in commands), commands
    assert set(SKIPPED) <= set(commands), "a skipped line is no longer in the tour"
    # the report and the picture come before the block, so they have something to show
    assert commands.index("mutuals block alice bob") > commands.index("mutuals draw alice --out ego.png")
    # export and import agree: the file imported is one the export wrote
    assert commands.index("mutuals export backup/") < commands.index("mutuals import follows backup/follows.csv")


def test_the_readme_tour_runs_as_written(engine: Engine, env: dict[str, str], tmp_path: Path) -> None:
    ran: list[tuple[str, str, subprocess.CompletedProcess[str]]] = []
    skipped = []
    environment = {**os.environ, **env, "COLUMNS": "200"}
    for line, said in tour()[len(SET_UP) :]:
        if line in SKIPPED:
            skipped.append(line)
            continue
        argv = shlex.split(line)
        done = subprocess.run(
            [str(MUTUALS), *argv[1:]], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300
        )
        want = expected_status(said)
        assert done.returncode == want, f"{line}: exit {done.returncode}, not {want}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, line
        ran.append((line, said, done))
    assert skipped == list(SKIPPED), "the tour skips exactly the lines that need the embedded server"
    outputs = {line: done.stdout for line, _, done in ran}
    # what the comments promise
    assert outputs["mutuals friends alice --json"].strip() == '["bob"]'
    assert outputs["mutuals can view alice beach --explain"].startswith("allowed")
    assert outputs["mutuals can view - beach"].startswith("denied")
    assert "liked" in outputs["mutuals interact like alice beach"]
    refused = [(line, done.stderr) for line, said, done in ran if expected_status(said) == 4]
    assert [line for line, _ in refused] == ["mutuals follow bob alice"]
    assert refused[0][1].startswith("error: follow refused: ")
    # everything lands in the scratch directory: pictures and the export
    assert (tmp_path / "audience.png").stat().st_size > 0 and (tmp_path / "ego.png").stat().st_size > 0
    assert {p.name for p in (tmp_path / "backup").iterdir()} >= {f"{k}.csv" for k in ("users", "follows", "blocks")}
    assert not (tmp_path / "backup" / "follows.rejects.csv").exists()  # the export imports back unchanged
    assert engine.relationship("alice", "bob").following is False and engine.doctor().ok
    assert engine.post_show("beach").likes == 1
