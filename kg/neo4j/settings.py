"""Where the Neo4j server is and how to log in: options first, then `KG_NEO4J_*` variables.

`KG_NEO4J_URI` (default ``bolt://127.0.0.1:7687``, the server `scripts/neo4j start` runs),
`KG_NEO4J_USER` (default ``neo4j``), `KG_NEO4J_PASSWORD` (no password: connect without auth,
as the local server runs with auth off when it has none) and `KG_NEO4J_DATABASE` (default: the
server's default database).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from kg.errors import Neo4jError

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"


@dataclass(frozen=True)
class Settings:
    """Connection settings for one Neo4j database."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = None
    database: str | None = None
    # How long the driver keeps retrying a transaction that failed for a transient reason
    # (leader switch, lost connection) before the write gives up and reports where it stopped.
    retry_seconds: float = 30.0

    @classmethod
    def from_env(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        env: Mapping[str, str] | None = None,
        **extra: float,
    ) -> "Settings":
        """Settings from explicit values, falling back to `KG_NEO4J_*` variables, then defaults."""
        env = os.environ if env is None else env
        return cls(
            uri=uri or env.get("KG_NEO4J_URI") or DEFAULT_URI,
            user=user or env.get("KG_NEO4J_USER") or DEFAULT_USER,
            password=password if password is not None else (env.get("KG_NEO4J_PASSWORD") or None),
            database=database or env.get("KG_NEO4J_DATABASE") or None,
            **extra,
        )

    @property
    def auth(self) -> tuple[str, str] | None:
        """Basic auth for the driver, or None (auth off) when no password is set."""
        return (self.user, self.password) if self.password else None

    def __repr__(self) -> str:  # never print the password
        return f"Settings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def connect(settings: Settings) -> neo4j.Driver:
    """Open a driver and check that the server answers; raise :class:`Neo4jError` if not."""
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=settings.auth,
            max_transaction_retry_time=settings.retry_seconds,
            connection_timeout=10.0,
        )
    except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
        raise Neo4jError(f"bad Neo4j URI {settings.uri!r}: {exc}") from exc
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        hint = "set KG_NEO4J_PASSWORD" if not settings.password else "check KG_NEO4J_USER/KG_NEO4J_PASSWORD"
        raise Neo4jError(
            f"Neo4j at {settings.uri} refused user {settings.user!r} ({hint}): {exc.message}"
        ) from exc
    except (ServiceUnavailable, OSError, neo4j.exceptions.DriverError) as exc:
        driver.close()
        raise Neo4jError(
            f"no Neo4j server answers at {settings.uri} (start one with `scripts/neo4j start` "
            f"or set KG_NEO4J_URI): {exc}"
        ) from exc
    except neo4j.exceptions.Neo4jError as exc:
        driver.close()
        raise Neo4jError(f"Neo4j at {settings.uri}: {exc.message}") from exc
    return driver
