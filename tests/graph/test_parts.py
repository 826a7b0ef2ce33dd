"""kg.graph.parts: the graph as papers' parts plus shared nodes."""

import copy

from kg.graph.builder import build_graph
from kg.graph.parts import SharedNodes, paper_part
from kg.models import Comparison
from tests.graph.helpers import fedhyper_extraction


def papers():
    """Three papers sharing entities, an author (spelled two ways) and a repository."""
    a = fedhyper_extraction("p1")
    b = fedhyper_extraction("p2")
    b.paper.authors = ["Ada  Lovelace", "Grace Hopper"]  # the same author id as "Ada Lovelace"
    b.code[0].url = "https://github.com/abc/fedhyper/"  # same repository, another url
    c = fedhyper_extraction("p3")
    c.entities = [m for m in c.entities if m.text != "FedAvg"]
    c.paper.authors = ["Alan Turing"]
    return [a, b, c]


def union(extractions, names=None):
    shared, nodes, edges = SharedNodes(), {}, {}
    for ex in extractions:
        part = paper_part(ex)
        shared.add(part)
        for n, d in part.nodes:
            assert n not in nodes  # a paper's own nodes are its alone
            nodes[n] = d
        for u, v, k, d in part.edges:
            assert (u, v, k) not in edges  # every relationship belongs to one paper
            edges[(u, v, k)] = d
    for n, d in shared.nodes(names or {}):
        assert n not in nodes
        nodes[n] = d
    return nodes, edges, shared


def test_parts_and_shared_nodes_are_the_built_graph():
    exs = papers()
    names = {"method:fedhyper": "FedHyper (ours)"}
    graph = build_graph(copy.deepcopy(exs), names=names)
    nodes, edges, _ = union(exs, names)
    assert nodes == dict(graph.nodes(data=True))
    assert edges == {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}
    # property order too: it decides the GraphML bytes
    assert all(list(nodes[n]) == list(d) for n, d in graph.nodes(data=True))
    # first paper's spelling is the label, the last one's the name, as the builder has them
    assert nodes["author:ada lovelace"]["label"] == "Ada Lovelace"
    assert nodes["author:ada lovelace"]["name"] == "Ada  Lovelace"
    assert nodes["repo:github.com/abc/fedhyper"]["url"] == "https://github.com/ABC/fedhyper"
    assert nodes["method:fedhyper"]["paper_count"] == 3
    assert nodes["method:fedavg"]["paper_count"] == 2


def test_shared_nodes_come_sorted_by_id():
    _, _, shared = union(papers())
    ids = [n for n, _ in shared.nodes({})]
    assert ids == sorted(ids) and "method:fedavg" in ids and "author:grace hopper" in ids


def test_removing_a_papers_entity_shares_undoes_adding_them():
    a, b, c = papers()
    both = SharedNodes()
    for ex in (a, c):
        both.add(paper_part(ex))
    alone = SharedNodes()
    alone.add(paper_part(a))
    both.remove_entities(paper_part(c))
    assert {k: v for k, v in both.nodes({}) if not k.startswith(("author:", "repo:"))} == \
        {k: v for k, v in alone.nodes({}) if not k.startswith(("author:", "repo:"))}
    # an entity no paper mentions any more is gone
    only = SharedNodes()
    only.add(paper_part(b))
    only.remove_entities(paper_part(b))
    assert not [k for k in only.ids() if k.startswith(("method:", "dataset:", "task:", "metric:"))]


def test_outperforms_needs_both_methods_in_the_paper_itself():
    """Whether a paper has an OUTPERFORMS edge does not depend on the papers before it."""
    first = fedhyper_extraction("p1")
    other = fedhyper_extraction("p2")
    other.entities = [m for m in other.entities if m.text != "FedAvg"]  # FedAvg only in p1
    assert other.comparisons == [Comparison(method="method:fedhyper", baseline="method:fedavg",
                                            claim=0, dataset="dataset:cifar-10",
                                            metric="metric:accuracy")]
    for order in ([first, other], [other, first]):
        graph = build_graph(copy.deepcopy(order))
        keys = {k for _, _, k in graph.edges(keys=True) if k.startswith("OUTPERFORMS")}
        assert keys == {"OUTPERFORMS:claim:p1:1"}
    assert not [e for e in paper_part(other).edges if e[2].startswith("OUTPERFORMS")]
