import os

import networkx as nx
import pytest

from kg.graphio import read_graph
from kg.graph.builder import build_graph
from kg.writers import graphml
from kg.writers.graphml import write_graphml
from tests.graph.helpers import fedhyper_extraction


def test_round_trip_keeps_every_property(tmp_path):
    graph = build_graph([fedhyper_extraction()])
    path = tmp_path / "g.graphml"
    write_graphml(graph, path)
    back = read_graph(path)
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True), key=repr) == sorted(
        graph.edges(keys=True, data=True), key=repr)


def test_encoding_follows_design(tmp_path):
    graph = build_graph([fedhyper_extraction()])
    path = tmp_path / "g.graphml"
    write_graphml(graph, path)
    raw = nx.read_graphml(path, edge_key_type=str, force_multigraph=True)
    assert raw.nodes["method:fedhyper"]["labels"] == ":Method"
    assert raw.nodes["method:fedhyper"]["label"] == "FedHyper"
    assert raw.nodes["method:fedhyper"]["aliases"] == '["FedHyper"]'
    assert raw.edges["arxiv:2401.00001", "method:fedhyper", "PROPOSES"]["label"] == "PROPOSES"


def test_interrupted_write_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "g.graphml"
    path.write_text("previous")

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(graphml, "_write_stream", boom)
    with pytest.raises(KeyboardInterrupt):
        write_graphml(build_graph([fedhyper_extraction()]), path)
    assert path.read_text() == "previous"
    assert os.listdir(tmp_path) == ["g.graphml"]


def test_reading_a_non_graphml_file_is_a_clear_error(tmp_path):
    from kg.errors import GraphError

    bad = tmp_path / "bad.graphml"
    bad.write_text("not xml")
    with pytest.raises(GraphError, match="bad.graphml"):
        read_graph(bad)


def test_written_file_has_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = tmp_path / "g.graphml"
        write_graphml(build_graph([fedhyper_extraction()]), path)
    finally:
        os.umask(umask)
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o644)
