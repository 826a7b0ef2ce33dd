"""`kg export` through click's CliRunner, on a real GraphML file."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphio import read_graph
from kg.writers.gexf import read_gexf
from kg.writers.graphml import write_graphml
from tests.export.graphs import awkward_graph, sample_graph


@pytest.fixture
def graph_file(tmp_path):
    path = tmp_path / "papers.graphml"
    write_graphml(sample_graph(), path)
    return path


def run(*args):
    result = CliRunner().invoke(main, ["export", *map(str, args)])
    return result


def sorted_edges(graph):
    return sorted(graph.edges(keys=True, data=True), key=repr)


def test_every_format_from_graphml(tmp_path, graph_file):
    g = read_graph(graph_file)
    for name in ("out.graphml", "out.gexf", "out.json", "out.html", "csvdir"):
        result = run(graph_file, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
        assert f"({g.number_of_nodes()} nodes, {g.number_of_edges()} relationships)" in result.output
    back = read_graph(tmp_path / "out.graphml")
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert sorted_edges(read_gexf(tmp_path / "out.gexf")) == sorted_edges(g)
    data = json.loads((tmp_path / "out.json").read_text())
    assert len(nx.node_link_graph(data, edges="links")) == g.number_of_nodes()
    assert (tmp_path / "csvdir" / "import.sh").is_file()
    assert (tmp_path / "csvdir" / "nodes" / "Paper.csv").is_file()
    assert "<canvas" in (tmp_path / "out.html").read_text()


def test_format_option_beats_the_suffix(tmp_path, graph_file):
    result = run(graph_file, "--format", "json", "-o", tmp_path / "graph.txt")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "graph.txt").read_text())["multigraph"] is True


def test_filters_reach_the_writer(tmp_path, graph_file):
    out = tmp_path / "m.json"
    result = run(graph_file, "-o", out, "--label", "Method", "--label", "Dataset", "--min-papers", "2")
    assert result.exit_code == 0, result.output
    nodes = {n["id"] for n in json.loads(out.read_text())["nodes"]}
    assert nodes == {"method:fedavg", "dataset:cifar-10"}
    out = tmp_path / "around.gexf"
    result = run(graph_file, "-o", out, "--around", "FedHyper", "--depth", "1")
    assert result.exit_code == 0, result.output
    assert set(nx.read_gexf(out)) == {"method:fedhyper", "arxiv:2401.00001", "claim:arxiv:2401.00001:1",
                                      "method:fedavg"}


def test_awkward_graph_goes_through_every_format(tmp_path):
    source = tmp_path / "awkward.graphml"
    write_graphml(awkward_graph(), source)
    for name in ("a.graphml", "a.gexf", "a.json", "a.html", "a_csv"):
        result = run(source, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args, message", [
    (["-o", "x.html"], "give SOURCE"),
    (["{src}", "--from-neo4j", "-o", "x.html"], "not both"),
    (["{src}", "-o", "x.pdf"], "cannot tell the format"),
    (["{src}", "-o", "x.html", "--label", "Methods"], "unknown label 'Methods'"),
    (["{src}", "-o", "x.html", "--around", "nothing-like-this"], "no node has the id or name"),
    (["{src}", "-o", "x.html", "--format", "pdf"], "Invalid value for '-f' / '--format'"),
])
def test_errors_are_messages_not_tracebacks(tmp_path, graph_file, args, message):
    args = [a.replace("{src}", str(graph_file)) for a in args]
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_source_file(tmp_path):
    result = run(tmp_path / "nope.graphml", "-o", tmp_path / "x.json")
    assert result.exit_code != 0 and "nope.graphml" in result.output


def test_export_is_listed_in_the_help():
    result = CliRunner().invoke(main, ["--help"])
    assert "export" in result.output
    help_text = CliRunner().invoke(main, ["export", "--help"]).output
    assert "Example:" in help_text and "kg export papers.graphml" in help_text


@pytest.mark.neo4j
def test_from_neo4j(tmp_path):
    """Load a graph with unique names into the real server, export its neighbourhood back out."""
    import os
    import uuid

    from kg.errors import Neo4jError
    from kg.export import filter_graph
    from kg.graph.builder import build_graph
    from kg.models import Claim, Comparison, Extraction, Mention, Paper
    from kg.neo4j import Settings, connect, write_graph

    settings = Settings.from_env()
    try:
        driver = connect(settings)
    except Neo4jError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Neo4j server (scripts/neo4j start): {exc}")

    # Names of their own, so that other data in the shared server cannot join the neighbourhood.
    tok = uuid.uuid4().hex[:10]
    hyper, base, bench = f"Hyper{tok}", f"Base{tok}", f"Bench{tok}"
    abstract = f"We propose {hyper}. {hyper} outperforms {base} on {bench}."

    def mention(label, text, nth=0, role="used", sentence=0):
        start = abstract.index(text) if nth == 0 else abstract.index(text, abstract.index(text) + 1)
        return Mention(label, text, "abstract", start, start + len(text), key=f"{label.lower()}:{text.lower()}",
                       role=role, confidence=0.9, sentence=sentence)

    s1 = abstract.index(f"{hyper} outperforms")
    extraction = Extraction(
        paper=Paper(id=f"paper:{tok}", title=f"{hyper}: a test", abstract=abstract, authors=[f"Ann {tok}"],
                    sources=["t.txt:1"]),
        entities=[mention("Method", hyper, role="proposed"), mention("Method", hyper, nth=1, sentence=1),
                  mention("Method", base, sentence=1), mention("Dataset", bench, sentence=1)],
        claims=[Claim(text=abstract[s1:], field="abstract", start=s1, end=len(abstract), kind="comparative",
                      about=[f"method:{hyper.lower()}", f"method:{base.lower()}"], sentence=1)],
        comparisons=[Comparison(method=f"method:{hyper.lower()}", baseline=f"method:{base.lower()}", claim=0,
                                dataset=f"dataset:{bench.lower()}")],
        version="test-1",
    )
    graph = build_graph([extraction])
    try:
        write_graph(graph, settings, driver=driver)
        out = tmp_path / "around.json"
        result = run("--from-neo4j", settings.uri, "-o", out, "--around", hyper, "--depth", "2")
        assert result.exit_code == 0, result.output
        back = nx.node_link_graph(json.loads(out.read_text()), edges="links")
        want = filter_graph(graph, around=hyper, depth=2)
        assert set(back) == set(want)
        assert sorted(back.edges(keys=True)) == sorted(want.edges(keys=True))
        centre = back.nodes[f"method:{hyper.lower()}"]
        assert centre["labels"] == ":Method" and centre["name"] == hyper and centre["paper_count"] == 1
        assert back.nodes[f"paper:{tok}"]["authors"] == [f"Ann {tok}"]
    finally:
        driver.execute_query("MATCH (n) WHERE n.id IN $ids DETACH DELETE n", ids=list(graph.nodes),
                             database_=settings.database)
        driver.close()
