"""scripts/bulk_import.sh against a real Neo4j: a server of its own (own data folder and port),
so the shared test server is never stopped. Slow: an import-tool JVM and a server start."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from kg.graphio import read_graph

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
PAPERS = [
    {"id": "2301.00001", "title": "FedHyper: A Learning Rate Scheduler for Federated Learning",
     "abstract": "We propose FedHyper, a hypergradient-based learning rate scheduler. Experiments "
                 "on CIFAR-10 show that FedHyper converges 3x faster than FedAvg.",
     "authors": ["A. One", "B. Two"]},
    {"id": "2301.00002", "title": "Robust Speaker Verification with DINO",
     "abstract": "We adopt the self-distillation with no labels (DINO) framework. On VoxCeleb our "
                 "method obtains a 22% relative EER improvement over the baseline. Code: "
                 "https://github.com/example/dino-sv"},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_bulk_import_then_bolt_reload_adds_nothing(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.neo4j.settings import Settings, connect

    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(json.dumps(p) for p in PAPERS) + "\n", encoding="utf-8")
    graphml = tmp_path / "g.graphml"
    result = CliRunner().invoke(main, ["build", str(papers), "--extractor", "rules",
                                       "-o", str(graphml), "-q"])
    assert result.exit_code == 0, result.output
    graph: nx.MultiDiGraph = read_graph(graphml)

    port = free_port()
    env = {**os.environ, "NEO4J_DATA_DIR": str(tmp_path / "neo4j"), "NEO4J_BOLT_PORT": str(port),
           "KG_IMPORT_HEAP": "512m", "NEO4J_HEAP": "512m", "NEO4J_PAGECACHE": "64m"}
    env.pop("KG_NEO4J_PASSWORD", None)
    script = ["bash", str(REPO / "scripts" / "bulk_import.sh")]
    uri = f"bolt://127.0.0.1:{port}"
    try:
        run = subprocess.run([*script, str(graphml)], env=env, capture_output=True, text=True,
                             timeout=600)
        assert run.returncode == 0, run.stderr[-3000:]
        assert f"{graph.number_of_nodes()} nodes" in run.stderr
        with connect(Settings.from_env(uri=uri, env={})) as driver:
            nodes = driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
            rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c").records[0]["c"]
            constraints = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN count(*) AS c").records[0]["c"]
            fedhyper = driver.execute_query(
                "MATCH (p:Paper {id: 'arxiv:2301.00001'}) RETURN p.title AS t, p.authors AS a").records[0]
        assert (nodes, rels) == (graph.number_of_nodes(), graph.number_of_edges())
        assert constraints >= 8
        assert fedhyper["t"].startswith("FedHyper") and fedhyper["a"] == ["A. One", "B. Two"]

        # The bulk-loaded store is what the Bolt writer would have written: a reload adds nothing.
        load = CliRunner().invoke(main, ["load", str(graphml), "--neo4j", uri])
        assert load.exit_code == 0, load.output
        assert "(0 new)" in load.output

        # An existing database is replaced only with --yes.
        again = subprocess.run([*script, str(graphml)], env=env, capture_output=True, text=True)
        assert again.returncode != 0 and "pass --yes" in again.stderr
    finally:
        subprocess.run(["bash", str(REPO / "scripts" / "neo4j"), "stop"], env=env,
                       capture_output=True, timeout=300)
