import networkx as nx
import pytest

from kg.errors import GraphError
from kg.graphio import _decode, read_graph
from kg.writers.graphml import write_graphml


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("paper:1", labels=":Paper", label="A paper", title="A & <b>", authors=["X", "Y"],
               year=2024, score=0.5, open=True)
    g.add_node("method:lora", labels=":Method", label="LoRA", name="LoRA", aliases=["LoRA", "Low-Rank"],
               paper_count=1, mention_count=2)
    g.add_edge("paper:1", "method:lora", key="USES", label="USES", text='say "hi"\n\tthere', start=3,
               confidence=0.9)
    g.add_edge("paper:1", "method:lora", key="PROPOSES", label="PROPOSES", text="LoRA", start=0)
    return g


def test_streaming_reader_gives_what_networkx_gives(tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(small_graph(), path)
    ours = read_graph(path)
    theirs = nx.read_graphml(path, edge_key_type=str, force_multigraph=True)
    for _, attrs in theirs.nodes(data=True):
        _decode(attrs)
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert ours.nodes["paper:1"]["authors"] == ["X", "Y"] and ours.nodes["paper:1"]["open"] is True
    assert isinstance(ours, nx.MultiDiGraph)


def test_undirected_graphml_is_refused(tmp_path):
    path = tmp_path / "u.graphml"
    nx.write_graphml(nx.Graph([("a", "b")]), path)
    with pytest.raises(GraphError, match="undirected"):
        read_graph(path)
