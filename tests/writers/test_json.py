"""Node-link JSON: read back with networkx.node_link_graph."""

import json

import networkx as nx
import pytest

from kg.writers.json import read_json, write_json
from tests.export.graphs import awkward_graph, sample_graph


def sorted_edges(graph):
    return sorted(graph.edges(keys=True, data=True), key=repr)


def strict_load(path):
    def no_constant(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=no_constant)


def test_round_trip_with_networkx(tmp_path):
    g = sample_graph()
    path = tmp_path / "g.json"
    write_json(g, path)
    data = strict_load(path)
    assert set(data) >= {"directed", "multigraph", "nodes", "links"}
    back = nx.node_link_graph(data, edges="links")
    assert back.is_directed() and back.is_multigraph()
    # node_link_graph uses "id" as the node key; every other property comes back as it was.
    assert {n: d for n, d in back.nodes(data=True)} == {
        n: {k: v for k, v in d.items() if k != "id"} for n, d in g.nodes(data=True)}
    assert sorted_edges(back) == sorted_edges(g)
    again = read_json(path)
    assert dict(again.nodes(data=True)) == dict(g.nodes(data=True))


def test_links_carry_key_and_type(tmp_path):
    path = tmp_path / "g.json"
    write_json(sample_graph(), path)
    links = strict_load(path)["links"]
    outperforms = [link for link in links if link["label"] == "OUTPERFORMS"]
    assert {link["key"] for link in outperforms} == {
        "OUTPERFORMS:claim:arxiv:2401.00001:1", "OUTPERFORMS:claim:arxiv:2401.00002:1"}
    assert all(link["key"] == link["label"] for link in links if link["label"] != "OUTPERFORMS")


def test_awkward_values(tmp_path):
    g = awkward_graph()
    g.nodes["method:bert"]["tags"] = {"b", "a"}
    g.nodes["method:bert"]["pair"] = (1, "x")
    path = tmp_path / "g.json"
    write_json(g, path)
    data = strict_load(path)  # no NaN in the file
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["arxiv:2401.00001"]["published"] is None
    assert nodes["arxiv:2401.00001"]["categories"] == []
    assert nodes["arxiv:2401.00001"]["meta"] == {"venue": "ICML", "pages": [1, 2]}
    assert nodes["arxiv:2401.00001"]["abstract"] == g.nodes["arxiv:2401.00001"]["abstract"]
    assert nodes["method:fedhyper"]["aliases"] == ["FedHyper", "Fed;Hyper", None, 'Fed, "Hyper"']
    assert nodes["method:fedhyper"]["score"] is None  # NaN
    assert nodes["method:bert"]["tags"] == ["a", "b"]
    assert nodes["method:bert"]["pair"] == [1, "x"]
    assert nodes["method:bert"]["mixed"] == ["a", 1]
    back = nx.node_link_graph(data, edges="links")
    assert back.edges["arxiv:2401.00002", "method:bert", "USES"]["weights"] == [0.5, 0.25]


@pytest.mark.parametrize("graph", [nx.MultiDiGraph(), sample_graph().subgraph(["method:bert"]).copy()])
def test_small_graphs(tmp_path, graph):
    path = tmp_path / "g.json"
    write_json(graph, path)
    assert set(nx.node_link_graph(strict_load(path), edges="links")) == set(graph)
