"""Configuration: one frozen dataclass whose fields name their environment variables.

With no ``NEO4J_URI`` the engine uses the embedded server (``neo4j-embedded/``), started on
demand, with its data under ``MUTUALS_HOME``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mutuals.base.errors import InvalidInput


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mutuals"


def _env(name: str) -> dict[str, str]:
    return {"env": name}


@dataclass(frozen=True)
class Config:
    """How the engine reaches Neo4j. Every field can be set from the environment variable in its metadata."""

    uri: str | None = field(default=None, metadata=_env("NEO4J_URI"))
    username: str = field(default="neo4j", metadata=_env("NEO4J_USERNAME"))
    password: str | None = field(default=None, repr=False, metadata=_env("NEO4J_PASSWORD"))
    database: str = field(default="neo4j", metadata=_env("NEO4J_DATABASE"))
    home: Path = field(default_factory=_default_home, metadata=_env("MUTUALS_HOME"))
    port: int = field(default=7687, metadata=_env("MUTUALS_PORT"))
    heap: str = field(default="1g", metadata=_env("MUTUALS_HEAP"))
    page_cache: str = field(default="512m", metadata=_env("MUTUALS_PAGE_CACHE"))
    # extra options of the embedded server's JVM, e.g. "-XX:TieredStopAtLevel=1" (less CPU for a
    # short-lived server: `make test` uses it); after mutuals' own, so they win
    java_opts: str = field(default="", metadata=_env("MUTUALS_JAVA_OPTS"))
    auto_start: bool = field(default=True, metadata=_env("MUTUALS_AUTO_START"))
    max_pool_size: int = field(default=100, metadata=_env("MUTUALS_MAX_POOL_SIZE"))
    connect_timeout: float = field(default=10.0, metadata=_env("MUTUALS_CONNECT_TIMEOUT"))
    retry_seconds: float = field(default=15.0, metadata=_env("MUTUALS_RETRY_SECONDS"))
    cursor_secret: str | None = field(default=None, repr=False, metadata=_env("MUTUALS_CURSOR_SECRET"))
    reports_dir: Path | None = field(default=None, metadata=_env("MUTUALS_REPORTS_DIR"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Config:
        """Read every field from its environment variable; ``overrides`` win over the environment."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is not None and raw != "":
                values[f.name] = _parse(f.name, f.metadata["env"], str(f.type), raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Config:
        """A copy with some fields changed."""
        return replace(self, **changes)

    @property
    def embedded(self) -> bool:
        """True when no server URI is configured: the embedded server is used."""
        return not self.uri

    @property
    def safe_uri(self) -> str:
        """The URI without any credentials in it, fit to print."""
        return redact_uri(self.uri) if self.uri else f"bolt://127.0.0.1:{self.port} (embedded)"

    @staticmethod
    def env_names() -> dict[str, str]:
        """Field name -> environment variable."""
        return {f.name: f.metadata["env"] for f in fields(Config)}


def _parse(name: str, env_name: str, type_name: str, raw: str) -> Any:
    try:
        if "bool" in type_name:
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if type_name.startswith("int"):
            return int(raw)
        if type_name.startswith("float"):
            return float(raw)
        if "Path" in type_name:
            return Path(raw).expanduser()
        return raw
    except ValueError:
        raise InvalidInput(env_name, f"cannot read {raw[:40]!r} as {type_name.split(' ')[0]}") from None


def redact_uri(uri: str) -> str:
    """Drop ``user:password@`` from a URI so it can be shown."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparseable uri>"
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
