"""`kg load` through click's CliRunner, on real files and the real server."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphio import read_graph

from .conftest import counts, graph_counts

PAPERS = [
    {"id": "2301.00001", "title": "FedHyper: A Universal Learning Rate Scheduler for Federated Learning",
     "abstract": "We propose FedHyper, a hypergradient-based learning rate scheduler for federated learning. "
                 "Experiments on CIFAR-10 show that FedHyper outperforms FedAvg by 3% in accuracy. "
                 "Code is at https://github.com/abc/fedhyper."},
    {"id": "2301.00002", "title": "Cluster-Aware DINO for Speaker Verification",
     "abstract": "We adopt the self-distillation with no labels (DINO) framework for speaker verification. "
                 "DINO is trained on VoxCeleb and reaches an equal error rate of 1.2%."},
]


@pytest.fixture
def papers(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in PAPERS) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.neo4j
def test_load_graphml_twice(empty_db, settings, papers, tmp_path, runner):
    graphml = tmp_path / "g.graphml"
    assert runner.invoke(main, ["build", str(papers), "--extractor", "rules", "-o", str(graphml), "-q"]).exit_code == 0
    graph = read_graph(graphml)
    first = runner.invoke(main, ["load", str(graphml), "--neo4j", settings.uri])
    assert first.exit_code == 0, first.output
    assert f"nodes: {graph.number_of_nodes()} ({graph.number_of_nodes()} new)" in first.output
    assert counts(empty_db, settings.database) == graph_counts(graph)
    second = runner.invoke(main, ["load", str(graphml), "--neo4j"])  # URI from KG_NEO4J_URI / default
    assert second.exit_code == 0, second.output
    assert "(0 new)" in second.output
    assert counts(empty_db, settings.database) == graph_counts(graph)


@pytest.mark.neo4j
def test_load_extraction_jsonl(empty_db, settings, papers, tmp_path, runner):
    extracted = tmp_path / "x.jsonl"
    graphml = tmp_path / "g.graphml"
    assert runner.invoke(main, ["extract", str(papers), "--extractor", "rules", "-o", str(extracted), "-q"]).exit_code == 0
    assert runner.invoke(main, ["build", str(papers), "--extractor", "rules", "-o", str(graphml), "-q"]).exit_code == 0
    result = runner.invoke(main, ["load", str(extracted), "--neo4j", settings.uri, "-q"])
    assert result.exit_code == 0, result.output
    assert counts(empty_db, settings.database) == graph_counts(read_graph(graphml))


def test_papers_jsonl_is_not_an_extraction(papers, runner):
    result = runner.invoke(main, ["load", str(papers)])
    assert result.exit_code == 2
    assert "kg build FILE --neo4j" in result.output and ":1" in result.output


def test_unknown_format(tmp_path, runner):
    path = tmp_path / "graph.gexf"
    path.write_text("<gexf/>")
    result = runner.invoke(main, ["load", str(path)])
    assert result.exit_code == 2 and ".graphml" in result.output


def test_no_server(tmp_path, runner, papers):
    graphml = tmp_path / "g.graphml"
    assert runner.invoke(main, ["build", str(papers), "--extractor", "rules", "-o", str(graphml), "-q"]).exit_code == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = runner.invoke(main, ["load", str(graphml), "--neo4j", f"bolt://127.0.0.1:{port}"])
    assert result.exit_code == 3
    assert "no Neo4j server answers" in result.output and "scripts/neo4j start" in result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ask_password_prompts_and_never_shows_it(tmp_path, runner, papers):
    graphml = tmp_path / "g.graphml"
    assert runner.invoke(main, ["build", str(papers), "--extractor", "rules", "-o", str(graphml), "-q"]).exit_code == 0
    uri = f"bolt://127.0.0.1:{_free_port()}"
    result = runner.invoke(main, ["load", str(graphml), "--neo4j", uri, "--ask-password"], input="s3cret-pw\n")
    assert f"Neo4j password for neo4j at {uri}" in result.output
    assert result.exit_code == 3 and "no Neo4j server answers" in result.output
    assert "s3cret-pw" not in result.output  # hidden input, and not in the error either


def test_build_asks_for_the_password_before_extracting(tmp_path, runner, papers):
    out = tmp_path / "g.graphml"
    result = runner.invoke(main, ["build", str(papers), "--extractor", "rules", "-o", str(out),
                                  "--neo4j", f"bolt://127.0.0.1:{_free_port()}", "--ask-password"], input="")
    assert result.exit_code == 1 and "Aborted" in result.output  # no answer: nothing is built
    assert not out.exists()


@pytest.mark.neo4j
def test_load_with_prompted_password(empty_db, settings, papers, tmp_path, runner):
    graphml = tmp_path / "g.graphml"
    assert runner.invoke(main, ["build", str(papers), "--extractor", "rules", "-o", str(graphml), "-q"]).exit_code == 0
    # The test server's password (KG_NEO4J_PASSWORD), or any answer when its auth is off.
    answer = settings.password or "pw-7f3a9"
    result = runner.invoke(main, ["load", str(graphml), "--neo4j", settings.uri, "--ask-password"],
                           input=answer + "\n", env={"KG_NEO4J_PASSWORD": None})
    assert result.exit_code == 0, result.output
    assert answer not in result.output
    assert counts(empty_db, settings.database) == graph_counts(read_graph(graphml))


def test_help_ends_with_an_example(runner):
    result = runner.invoke(main, ["load", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "kg load papers.graphml --neo4j" in result.output
