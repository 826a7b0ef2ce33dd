"""GEXF: written for Gephi, read back with networkx."""

import math
import xml.etree.ElementTree as ET

import networkx as nx

from kg.writers.gexf import PALETTE, read_gexf, write_gexf
from tests.export.graphs import awkward_graph, sample_graph


def sorted_edges(graph):
    return sorted(graph.edges(keys=True, data=True), key=repr)


def test_round_trip_keeps_every_property(tmp_path):
    g = sample_graph()
    path = tmp_path / "g.gexf"
    write_gexf(g, path)
    back = read_gexf(path)
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert sorted_edges(back) == sorted_edges(g)


def test_networkx_reads_labels_types_and_colours(tmp_path):
    g = sample_graph()
    path = tmp_path / "g.gexf"
    write_gexf(g, path)
    raw = nx.read_gexf(path)
    assert set(raw) == set(g)
    assert raw.nodes["method:fedhyper"]["label"] == "FedHyper"
    assert raw.nodes["method:fedhyper"]["labels"] == ":Method"
    assert raw.nodes["method:fedhyper"]["paper_count"] == 1
    assert raw.nodes["method:fedhyper"]["aliases"] == '["FedHyper"]'
    colour = raw.nodes["method:fedhyper"]["viz"]["color"]
    assert "#{r:02x}{g:02x}{b:02x}".format(**colour) == PALETTE["Method"]
    edge = raw.edges["arxiv:2401.00001", "method:fedhyper"]
    assert edge["label"] == "PROPOSES"
    assert (edge["start_offset"], edge["end_offset"]) == (0, 8)
    assert isinstance(edge["confidence"], float)
    # Character offsets must not turn the graph into a dynamic (time-sliced) one.
    assert raw.graph.get("mode") != "dynamic"
    root = ET.parse(path).getroot()
    assert all(el.get("mode") == "static" for el in root.iter() if el.tag.endswith("graph"))


def test_parallel_edges_keep_their_keys(tmp_path):
    g = sample_graph()
    g.add_edge("method:fedhyper", "method:fedavg", key="OUTPERFORMS:claim:x:9", label="OUTPERFORMS",
               claim="claim:x:9", paper="x")
    path = tmp_path / "g.gexf"
    write_gexf(g, path)
    raw = nx.read_gexf(path)
    assert raw.is_multigraph()
    assert set(raw["method:fedhyper"]["method:fedavg"]) == {
        "OUTPERFORMS:claim:arxiv:2401.00001:1", "OUTPERFORMS:claim:x:9"}
    assert sorted_edges(read_gexf(path)) == sorted_edges(g)


def test_awkward_values_are_encoded_not_fatal(tmp_path):
    g = awkward_graph()
    path = tmp_path / "g.gexf"
    write_gexf(g, path)
    raw = nx.read_gexf(path)
    paper = raw.nodes["arxiv:2401.00001"]
    assert paper["abstract"] == g.nodes["arxiv:2401.00001"]["abstract"]  # newline, quotes, markup
    assert "published" not in paper  # None is left out
    assert paper["categories"] == "[]"
    assert paper["meta"] == '{"venue": "ICML", "pages": [1, 2]}'
    assert paper["citations"] == 2**40
    assert paper["open_access"] is True
    fedhyper = raw.nodes["method:fedhyper"]
    assert fedhyper["aliases"] == '["FedHyper", "Fed;Hyper", null, "Fed, \\"Hyper\\""]'
    assert math.isnan(fedhyper["score"])
    # `rank` is an int on one node and text on another: one declared type (string) for both.
    assert (fedhyper["rank"], raw.nodes["method:fedavg"]["rank"]) == ("1", "first")
    assert raw.nodes["method:bert"]["scores"] == "[1, 2.5]"
    edge = raw.edges["arxiv:2401.00002", "method:bert"]
    assert "note" not in edge and edge["weights"] == "[0.5, 0.25]"
    back = read_gexf(path)
    assert back.nodes["method:fedhyper"]["aliases"] == ["FedHyper", "Fed;Hyper", None, 'Fed, "Hyper"']


def test_empty_graph(tmp_path):
    path = tmp_path / "empty.gexf"
    write_gexf(nx.MultiDiGraph(), path)
    assert nx.read_gexf(path).number_of_nodes() == 0
