"""Fixtures for the tests against the real Neo4j server (`scripts/neo4j start`).

The server is `KG_NEO4J_URI` (default bolt://127.0.0.1:7687). When it does not answer, the
tests that need it fail in CI (`CI` set) and are skipped elsewhere, with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import KGError
from kg.neo4j import Settings, connect

REPO = Path(__file__).resolve().parents[2]


def _settings() -> Settings:
    return Settings.from_env(retry_seconds=5.0)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return _settings()


@pytest.fixture(scope="session")
def driver(settings):
    try:
        drv = connect(settings)
    except KGError as exc:
        reason = f"Neo4j not reachable ({exc}); start it with `scripts/neo4j start`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    yield drv
    drv.close()


def wipe(driver, database: str | None = None) -> None:
    """Empty the database: every node and relationship, constraint and index (but token lookups)."""
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        for record in list(session.run("SHOW CONSTRAINTS YIELD name")):
            session.run("DROP CONSTRAINT $name IF EXISTS", name=record["name"]).consume()
        for record in list(session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            session.run("DROP INDEX $name IF EXISTS", name=record["name"]).consume()


@pytest.fixture
def empty_db(driver, settings):
    """A wiped database for one test (tests here load different graphs)."""
    wipe(driver, settings.database)
    return driver


def counts(driver, database: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type, as the database holds them."""
    with driver.session(database=database) as session:
        nodes = {r["label"]: r["n"] for r in session.run(
            "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")}
        rels = {r["type"]: r["n"] for r in session.run(
            "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")}
    return nodes, rels


def graph_counts(graph: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """The same counts for an in-memory graph."""
    nodes: dict[str, int] = {}
    for _, attrs in graph.nodes(data=True):
        label = attrs["labels"].strip(":")
        nodes[label] = nodes.get(label, 0) + 1
    rels: dict[str, int] = {}
    for _, _, attrs in graph.edges(data=True):
        rels[attrs["label"]] = rels.get(attrs["label"], 0) + 1
    return nodes, rels


@pytest.fixture(scope="session")
def sample_graphml(tmp_path_factory) -> Path:
    """The sample graph, built from data/seeds by `kg build` as a user would."""
    from click.testing import CliRunner

    from kg.cli import main

    path = tmp_path_factory.mktemp("sample") / "sample.graphml"
    result = CliRunner().invoke(main, ["build", str(REPO / "data" / "seeds"), "-o", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return path
