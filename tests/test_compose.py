"""The Docker path of the design card: docker-compose.yml and the Testcontainers fixture.

The file's content is checked here without Docker (what it starts, where it listens, that it
refuses to start without a password); `docker compose config` validates it with Docker's own
parser, and that one test skips only when no Docker engine answers (the one skip the project
allows: there is no Docker engine on the project's machines)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import docker_answers

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_neo4j_526_community_on_loopback_only() -> None:
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert neo4j["ports"], "the Bolt and HTTP ports are published"
    for port in neo4j["ports"]:
        assert str(port).startswith("127.0.0.1:"), f"{port} would listen beyond this machine"
    assert {str(p).rsplit(":", 1)[1] for p in neo4j["ports"]} == {"7474", "7687"}
    assert "neo4j-data" in compose()["volumes"]
    assert any(str(v).startswith("neo4j-data:") for v in neo4j["volumes"])


def test_compose_refuses_to_start_without_a_password() -> None:
    auth = compose()["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    # ${VAR:?message} makes `docker compose up` fail with the message when the variable is unset
    assert "${NEO4J_PASSWORD:?" in auth
    assert "neo4j/" in auth


def test_testcontainers_is_installed_for_developers_with_docker() -> None:
    # constructing a container asks the Docker engine, so only the import and the class are checked
    import inspect

    from testcontainers.community.neo4j import Neo4jContainer
    from testcontainers.core.container import DockerContainer

    assert issubclass(Neo4jContainer, DockerContainer)
    assert "image" in inspect.signature(Neo4jContainer.__init__).parameters


@pytest.mark.skipif(not docker_answers(), reason="no Docker engine answers on this machine")
def test_docker_compose_config_accepts_the_file() -> None:
    env = {**os.environ, "NEO4J_PASSWORD": "compose-check-password"}
    done = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
