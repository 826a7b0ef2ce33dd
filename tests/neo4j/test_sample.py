"""The sample graph (`kg build data/seeds`) in the real server: counts equal to the GraphML,
a second load changes nothing, and every query of cypher/ answers with its example
parameters, checked against the same question asked of the GraphML with networkx."""

from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx
import pytest

from kg.graphio import read_graph as read_graphml
from kg.neo4j import read_graph, write_graph
from kg.neo4j.library import query_files

from .conftest import counts, graph_counts, wipe

pytestmark = pytest.mark.neo4j

QUERIES = {q.name: q for q in query_files()}
PAPER_TO_ENTITY = ("PROPOSES", "USES", "EVALUATES_ON", "INTRODUCES", "ADDRESSES", "MEASURES")


@pytest.fixture(scope="module")
def sample(driver, settings, sample_graphml):
    """The sample graph, loaded once into an emptied database: (graph, first load report)."""
    wipe(driver, settings.database)
    graph = read_graphml(sample_graphml)
    report = write_graph(graph, settings)
    return graph, report


def run_query(driver, settings, name: str, **overrides) -> list[dict]:
    """Run a library query with its `:param` examples (evaluated by the server, as Browser does)."""
    query = QUERIES[name]
    params = {}
    for key, expression in query.params.items():
        params[key] = driver.execute_query(f"RETURN {expression} AS value", database_=settings.database).records[0]["value"]
    params.update(overrides)
    return [dict(r) for r in driver.execute_query(query.statement, params, database_=settings.database).records]


def example(name: str, param: str):
    value = QUERIES[name].params[param]
    return int(value) if value.isdigit() else value.strip("'")


def matches(attrs: dict, wanted: str, node: str) -> bool:
    wanted = wanted.lower()
    return node == wanted or attrs.get("name", "").lower() == wanted or wanted in [a.lower() for a in attrs.get("aliases", [])]


def of_label(graph: nx.MultiDiGraph, label: str):
    return [(n, a) for n, a in graph.nodes(data=True) if a["labels"] == f":{label}"]


def test_counts_equal_the_graphml(sample, driver, settings):
    graph, report = sample
    assert counts(driver, settings.database) == graph_counts(graph)
    assert report.nodes_created == graph.number_of_nodes()
    assert report.relationships_created == graph.number_of_edges()


def test_every_property_reads_back(sample, settings):
    graph, _ = sample
    back = read_graph(settings)
    for node, attrs in graph.nodes(data=True):
        assert back.nodes[node] == {k: v for k, v in attrs.items() if v is not None}, node
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        assert back.edges[u, v, key] == {k: val for k, val in attrs.items() if val is not None}, (u, v, key)


def test_second_load_changes_nothing(sample, driver, settings):
    graph, _ = sample
    before = counts(driver, settings.database)
    again = write_graph(graph, settings)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert counts(driver, settings.database) == before


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_returns_rows_with_its_examples(sample, driver, settings, name):
    rows = run_query(driver, settings, name)
    assert rows, f"{name} returned nothing with its example parameters"


def test_most_used_datasets(sample, driver, settings):
    graph, _ = sample
    papers = defaultdict(set)
    for u, v, d in graph.edges(data=True):
        if d["label"] in ("EVALUATES_ON", "INTRODUCES"):
            papers[graph.nodes[v]["name"]].add(u)
    expected = sorted(((name, len(p)) for name, p in papers.items()), key=lambda x: (-x[1], x[0]))
    rows = run_query(driver, settings, "most_used_datasets")
    assert [(r["dataset"], r["papers"]) for r in rows] == expected[: example("most_used_datasets", "limit")]


def test_top_entities(sample, driver, settings):
    graph, _ = sample
    methods = [a for _, a in of_label(graph, "Method")]
    expected = sorted(methods, key=lambda a: (-a["paper_count"], -a["mention_count"], a["name"]))
    rows = run_query(driver, settings, "top_entities")
    assert [(r["name"], r["papers"]) for r in rows] == [(a["name"], a["paper_count"]) for a in expected[: len(rows)]]
    assert len(rows) == min(len(expected), example("top_entities", "limit"))


def test_papers_proposing_method_on_dataset(sample, driver, settings):
    graph, _ = sample
    wanted = example("papers_proposing_method_on_dataset", "dataset")
    datasets = {n for n, a in of_label(graph, "Dataset") if matches(a, wanted, n)}
    expected = set()
    for p, _ in of_label(graph, "Paper"):
        out = {(d["label"], v) for _, v, d in graph.out_edges(p, data=True)}
        if any(("EVALUATES_ON", ds) in out for ds in datasets) and any(rel == "PROPOSES" for rel, _ in out):
            expected.add(graph.nodes[p]["title"])
    rows = run_query(driver, settings, "papers_proposing_method_on_dataset")
    assert {r["paper"] for r in rows} == expected


def test_methods_outperforming(sample, driver, settings):
    graph, _ = sample
    wanted = example("methods_outperforming", "method")
    expected = {
        (graph.nodes[u]["name"], graph.nodes[d["claim"]]["text"])
        for u, v, d in graph.edges(data=True)
        if d["label"] == "OUTPERFORMS" and matches(graph.nodes[v], wanted, v)
    }
    rows = run_query(driver, settings, "methods_outperforming")
    assert {(r["winner"], r["claim"]) for r in rows} == expected


def test_claims_about_dataset(sample, driver, settings):
    graph, _ = sample
    wanted = example("claims_about_dataset", "dataset")
    expected = {
        graph.nodes[u]["text"]
        for u, v, d in graph.edges(data=True)
        if d["label"] == "ABOUT" and graph.nodes[v]["labels"] == ":Dataset" and matches(graph.nodes[v], wanted, v)
    }
    rows = run_query(driver, settings, "claims_about_dataset", limit=10_000)
    assert {r["claim"] for r in rows} == expected


def test_entity_aliases(sample, driver, settings):
    graph, _ = sample
    least = example("entity_aliases", "min_aliases")
    expected = {a["name"] for n, a in graph.nodes(data=True) if len(a.get("aliases") or []) >= least}
    rows = run_query(driver, settings, "entity_aliases", limit=10_000)
    assert {r["name"] for r in rows} == expected


def test_search_entities_finds_names_and_aliases(sample, driver, settings):
    words = set(example("search_entities", "query").lower().split())
    rows = run_query(driver, settings, "search_entities")
    for row in rows:
        tokens = set(re.findall(r"\w+", " ".join([row["name"], *row["aliases"]]).lower()))
        assert tokens & words, row


def test_shortest_path_methods(sample, driver, settings):
    graph, _ = sample

    def best(wanted: str) -> str:
        found = [(a["paper_count"], n) for n, a in of_label(graph, "Method") if matches(a, wanted, n)]
        return max(found)[1]

    a, b = best(example("shortest_path_methods", "from")), best(example("shortest_path_methods", "to"))
    rows = run_query(driver, settings, "shortest_path_methods")
    assert rows[0]["hops"] == nx.shortest_path_length(nx.Graph(graph), a, b)


def test_similar_papers(sample, driver, settings):
    graph, _ = sample
    wanted = example("similar_papers", "paper").lower()
    p = next(n for n, a in of_label(graph, "Paper") if a["title"].lower() == wanted)

    def entities(paper: str) -> set[str]:
        return {v for _, v, d in graph.out_edges(paper, data=True) if d["label"] in PAPER_TO_ENTITY}

    mine = entities(p)
    scores = []
    for other, attrs in of_label(graph, "Paper"):
        theirs = entities(other)
        if other != p and mine & theirs:
            scores.append(round(len(mine & theirs) / len(mine | theirs), 3))
    rows = run_query(driver, settings, "similar_papers")
    assert [r["jaccard"] for r in rows] == sorted(scores, reverse=True)[: len(rows)]
