"""The export filters: --label, --min-papers, --around/--depth, and their order."""

import pytest

from kg.errors import InputError
from kg.export import filter_graph, find_node
from tests.export.graphs import sample_graph


def labels_of(graph):
    return {d["labels"] for _, d in graph.nodes(data=True)}


def test_no_filter_is_an_equal_copy():
    g = sample_graph()
    out = filter_graph(g)
    assert out is not g
    assert dict(out.nodes(data=True)) == dict(g.nodes(data=True))
    assert sorted(out.edges(keys=True, data=True), key=repr) == sorted(g.edges(keys=True, data=True), key=repr)


@pytest.mark.parametrize("spelling", [["Method"], [":Method"], ["method"], ["Method,Dataset"], ["Method", "Dataset"]])
def test_label_filter_keeps_only_those_labels(spelling):
    out = filter_graph(sample_graph(), labels=spelling)
    wanted = {":Method"} | ({":Dataset"} if len(spelling) == 2 or "," in spelling[0] else set())
    assert labels_of(out) == wanted
    # Relationships between kept nodes stay (OUTPERFORMS joins two methods).
    if wanted == {":Method"}:
        assert {d["label"] for *_, d in out.edges(data=True)} == {"OUTPERFORMS"}
        assert out.number_of_edges() == 2


def test_unknown_label_is_an_input_error():
    with pytest.raises(InputError, match="unknown label 'Methods'"):
        filter_graph(sample_graph(), labels=["Methods"])


def test_min_papers_drops_rare_entities_only():
    g = sample_graph()
    out = filter_graph(g, min_papers=2)
    entities = {n for n, d in out.nodes(data=True) if d["labels"] in (":Method", ":Dataset", ":Task", ":Metric")}
    # FedAvg is in all three papers; CIFAR-10 and federated learning in two.
    assert entities == {"method:fedavg", "dataset:cifar-10", "task:federated learning"}
    # Papers, claims, authors and repositories have no paper count and stay.
    for label in (":Paper", ":Claim", ":Author", ":Repository"):
        assert sum(1 for _, d in out.nodes(data=True) if d["labels"] == label) == \
            sum(1 for _, d in g.nodes(data=True) if d["labels"] == label)


def test_min_papers_counts_linked_papers_when_paper_count_is_missing():
    g = sample_graph()
    for node in ("method:fedavg", "method:bert"):
        del g.nodes[node]["paper_count"]
    out = filter_graph(g, min_papers=2, labels=["Method"])
    assert set(out) == {"method:fedavg"}


def test_around_by_id_and_depth():
    g = sample_graph()
    assert set(filter_graph(g, around="method:fedhyper", depth=0)) == {"method:fedhyper"}
    one = set(filter_graph(g, around="method:fedhyper", depth=1))
    # The paper proposing it, the claim about it, and the method it outperforms.
    assert one == {"method:fedhyper", "arxiv:2401.00001", "claim:arxiv:2401.00001:1", "method:fedavg"}
    two = set(filter_graph(g, around="method:fedhyper", depth=2))
    assert one < two
    assert "paper:3f2a" in two and "author:ada lovelace" in two


@pytest.mark.parametrize("name", ["FedHyper", "fedhyper", "  FEDHYPER "])
def test_around_by_name_is_case_insensitive(name):
    assert find_node(sample_graph(), name) == "method:fedhyper"


def test_around_by_alias():
    g = sample_graph()
    g.nodes["method:fedhyper"]["aliases"] = ["FedHyper", "Fed-Hyper"]
    assert find_node(g, "fed-hyper") == "method:fedhyper"


def test_around_unknown_and_ambiguous_names_are_input_errors():
    g = sample_graph()
    with pytest.raises(InputError, match="no node has the id or name 'NoSuchThing'"):
        filter_graph(g, around="NoSuchThing")
    g.nodes["dataset:squad"]["aliases"] = ["SQuAD", "FedAvg"]
    with pytest.raises(InputError, match="dataset:squad, method:fedavg"):
        find_node(g, "FedAvg")


def test_entity_wins_over_a_paper_with_the_same_title():
    g = sample_graph()
    g.nodes["paper:3f2a"]["label"] = "BERT"
    assert find_node(g, "bert") == "method:bert"


def test_filters_apply_around_then_label_then_min_papers_and_keep_the_centre():
    g = sample_graph()
    out = filter_graph(g, around="FedHyper", depth=2, labels=["Method"], min_papers=2)
    # Within two hops of FedHyper: FedHyper, FedAvg, BERT; BERT is in one paper only.
    # FedHyper is in one paper too, but it is the centre of the view.
    assert set(out) == {"method:fedhyper", "method:fedavg"}
    centre_only = filter_graph(g, around="method:fedhyper", labels=["Paper"])
    assert set(centre_only) == {"method:fedhyper", "arxiv:2401.00001"}


def test_filtering_keeps_attributes_and_keys_and_leaves_the_input_alone():
    g = sample_graph()
    before = (dict(g.nodes(data=True)), sorted(g.edges(keys=True), key=repr))
    out = filter_graph(g, labels=["Method", "Paper"])
    assert out.nodes["method:fedhyper"] == g.nodes["method:fedhyper"]
    assert out.edges["method:fedhyper", "method:fedavg", "OUTPERFORMS:claim:arxiv:2401.00001:1"]["dataset"] == "dataset:cifar-10"
    assert (dict(g.nodes(data=True)), sorted(g.edges(keys=True), key=repr)) == before


def test_negative_depth_is_rejected():
    with pytest.raises(InputError):
        filter_graph(sample_graph(), around="FedHyper", depth=-1)
