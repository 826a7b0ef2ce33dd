import copy
import random

import pytest

from kg.graph import schema
from kg.graph.builder import GraphBuilder, build_graph
from tests.graph.helpers import ABSTRACT, TITLE, fedhyper_extraction


@pytest.fixture
def graph():
    return build_graph([fedhyper_extraction()])


def test_every_node_has_schema_label_and_id(graph):
    for node, data in graph.nodes(data=True):
        assert data["labels"].lstrip(":") in schema.NODE_LABELS
        assert data["id"] == node
        assert data["label"]


def test_ids_follow_design(graph):
    assert set(graph.nodes) == {
        "arxiv:2401.00001", "method:fedhyper", "method:fedavg", "task:federated learning",
        "dataset:cifar-10", "metric:accuracy", "claim:arxiv:2401.00001:1",
        "repo:github.com/abc/fedhyper", "author:ada lovelace", "author:alan turing",
    }


@pytest.mark.parametrize("u,v,rel", [
    ("arxiv:2401.00001", "method:fedhyper", "PROPOSES"),
    ("arxiv:2401.00001", "method:fedavg", "USES"),
    ("arxiv:2401.00001", "dataset:cifar-10", "EVALUATES_ON"),
    ("arxiv:2401.00001", "task:federated learning", "ADDRESSES"),
    ("arxiv:2401.00001", "metric:accuracy", "MEASURES"),
    ("arxiv:2401.00001", "claim:arxiv:2401.00001:1", "MAKES"),
    ("claim:arxiv:2401.00001:1", "method:fedavg", "ABOUT"),
    ("arxiv:2401.00001", "repo:github.com/abc/fedhyper", "HAS_CODE"),
    ("author:ada lovelace", "arxiv:2401.00001", "WROTE"),
])
def test_relationship_types(graph, u, v, rel):
    assert graph.has_edge(u, v, rel)
    assert graph.edges[u, v, rel]["label"] == rel


def test_proposed_wins_and_one_edge_per_paper_entity_type(graph):
    # FedHyper is mentioned three times, once only as "used": still one PROPOSES edge, no USES.
    assert not graph.has_edge("arxiv:2401.00001", "method:fedhyper", "USES")
    edge = graph.edges["arxiv:2401.00001", "method:fedhyper", "PROPOSES"]
    assert edge["mentions"] == 3


def test_provenance_is_first_mention(graph):
    edge = graph.edges["arxiv:2401.00001", "method:fedhyper", "PROPOSES"]
    assert (edge["field"], edge["start"], edge["end"], edge["text"]) == ("title", 0, 8, "FedHyper")
    assert TITLE[edge["start"]:edge["end"]] == edge["text"]
    cifar = graph.edges["arxiv:2401.00001", "dataset:cifar-10", "EVALUATES_ON"]
    assert ABSTRACT[cifar["start"]:cifar["end"]] == "CIFAR-10"
    assert cifar["sentence"] == 1 and cifar["version"] == "test-1"
    assert isinstance(cifar["confidence"], float)


def test_outperforms_carries_claim_dataset_metric(graph):
    key = "OUTPERFORMS:claim:arxiv:2401.00001:1"
    edge = graph.edges["method:fedhyper", "method:fedavg", key]
    assert edge["label"] == "OUTPERFORMS"
    assert edge["paper"] == "arxiv:2401.00001"
    assert (edge["dataset"], edge["metric"]) == ("dataset:cifar-10", "metric:accuracy")


def test_entity_aggregates():
    a = fedhyper_extraction("arxiv:1")
    b = fedhyper_extraction("arxiv:2")
    b.entities[1].text = b.entities[1].text  # same surface
    graph = build_graph([a, b])
    node = graph.nodes["method:fedhyper"]
    assert node["paper_count"] == 2
    assert node["mention_count"] == 6
    assert node["name"] == "FedHyper"
    assert node["aliases"] == ["FedHyper"]


def test_same_input_same_graph_whatever_the_order():
    exs = [fedhyper_extraction(f"arxiv:{i}") for i in range(5)]
    exs[3].entities[4].text = "FEDAVG"
    exs[3].entities[4].key = "method:fedavg"
    shuffled = copy.deepcopy(exs)
    random.Random(7).shuffle(shuffled)
    g1, g2 = build_graph(exs), build_graph(shuffled)
    assert dict(g1.nodes(data=True)) == dict(g2.nodes(data=True))
    assert sorted(g1.edges(keys=True, data=True), key=repr) == sorted(g2.edges(keys=True, data=True), key=repr)


def test_adding_the_same_paper_twice_adds_no_node():
    builder = GraphBuilder()
    builder.add(fedhyper_extraction())
    n = builder.graph.number_of_nodes()
    builder.add(fedhyper_extraction())
    assert builder.graph.number_of_nodes() == n


def test_canonical_mapping_merges_entities():
    ex = fedhyper_extraction()
    graph = build_graph([ex], canonical=lambda k: "method:fedhyper" if k == "method:fedavg" else k)
    assert "method:fedavg" not in graph
    # A method cannot outperform itself once both sides resolve to one entity.
    assert not any(d["label"] == "OUTPERFORMS" for _, _, d in graph.edges(data=True))


def test_a_none_property_of_a_later_mention_counts_as_absent():
    from kg.graph.builder import GraphBuilder

    b = GraphBuilder()
    b._add_edge("a", "b", "R", field="abstract", sentence=0, start=4, end=6, text="xy",
                confidence=0.5, version=None)
    b._add_edge("a", "b", "R", field="abstract", sentence=1, start=9, end=9, text=None,
                confidence=None, version="v")
    data = b.graph.get_edge_data("a", "b", "R")
    # the None confidence reads as 0.0, the None text as "" (a later mention: nothing moves)
    assert data == {"label": "R", "mentions": 2, "field": "abstract", "sentence": 0, "start": 4,
                    "end": 6, "text": "xy", "confidence": 0.5}
    b._add_edge("a", "b", "R", field="title", sentence=0, start=1, end=2, text="z",
                confidence=None, version=None)
    data = b.graph.get_edge_data("a", "b", "R")
    assert (data["mentions"], data["field"], data["start"], data["text"]) == (3, "title", 1, "z")
    assert "version" not in data
