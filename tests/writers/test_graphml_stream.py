"""The streaming GraphML writer writes exactly what networkx writes for the encoded graph."""

import io

import networkx as nx
import pytest

from kg.graph.builder import build_graph
from kg.graphio import read_graph
from kg.writers.graphml import to_graphml_graph, write_graphml
from tests.export.graphs import awkward_graph, sample_graph
from tests.graph.helpers import fedhyper_extraction


def networkx_bytes(graph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(to_graphml_graph(graph), out)
    return out.getvalue()


def streamed_bytes(graph) -> bytes:
    out = io.BytesIO()
    write_graphml(graph, out)
    return out.getvalue()


def odd_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node('a&<"x\n', s="", t='\r\t<&>"', b=True, i=3, f=0.1, l=["é", 1], n=None,
               d={"k": [1]}, se={"b", "a"})
    g.add_node("z")
    g.add_node("w", b=1, i=True)  # same names, other types: keys of their own
    g.add_edge('a&<"x\n', "z", key='k"', b=False, s="")
    g.add_edge("z", "z", key="e")
    g.add_edge("w", "z", key="e", label="R", i=2**70, f=float("inf"), t="\ud800 lone surrogate")
    return g


@pytest.mark.parametrize("make", [sample_graph, awkward_graph, odd_graph,
                                  lambda: build_graph([fedhyper_extraction()])])
def test_same_bytes_as_networkx(make):
    assert streamed_bytes(make()) == networkx_bytes(make())


def test_reads_back_with_every_property(tmp_path):
    graph = sample_graph()
    write_graphml(graph, tmp_path / "g.graphml")
    back = read_graph(tmp_path / "g.graphml")
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True), key=repr) == sorted(
        graph.edges(keys=True, data=True), key=repr)


def test_unsupported_value_type_is_an_error_as_in_networkx():
    g = nx.MultiDiGraph()
    g.add_node("a", x=object())
    with pytest.raises(nx.NetworkXError):
        streamed_bytes(g)


def test_collector_paused_while_writing_and_restored(monkeypatch):
    import gc

    import kg.writers.graphml as graphml

    seen = []
    real = graphml._element

    def element(*args):  # called for every node and edge written
        seen.append(gc.isenabled())
        return real(*args)

    graph = odd_graph()
    expected = networkx_bytes(graph)
    monkeypatch.setattr(graphml, "_element", element)
    assert gc.isenabled()
    assert streamed_bytes(graph) == expected
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        streamed_bytes(graph)
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
