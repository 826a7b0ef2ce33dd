"""The loader against the real server: schema, idempotent, incremental, recoverable, and data
that looks like Cypher stays data."""

from __future__ import annotations

import copy
from urllib.parse import urlparse

import pytest

from kg.errors import GraphError
from kg.graph.schema import NODE_LABELS
from kg.neo4j import LoadInterrupted, Settings, read_graph, write_graph

from .conftest import counts, graph_counts
from .graphs import entity, paper, prov, set_counts, two_papers
from .proxy import CuttableProxy

pytestmark = pytest.mark.neo4j


def test_schema_is_created(empty_db, settings):
    write_graph(two_papers(), settings)
    constraints = empty_db.execute_query(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN *", database_=settings.database).records
    unique = {(r["labelsOrTypes"][0], tuple(r["properties"])) for r in constraints if r["type"] == "UNIQUENESS"}
    assert unique >= {(label, ("id",)) for label in NODE_LABELS}
    index = empty_db.execute_query(
        "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, state RETURN *",
        database_=settings.database).records
    kg_text = [r for r in index if r["name"] == "kg_text"][0]
    assert set(kg_text["labelsOrTypes"]) == {"Method", "Dataset", "Task", "Metric", "Paper", "Claim"}
    assert set(kg_text["properties"]) == {"name", "aliases", "title", "text"}
    assert kg_text["state"] == "ONLINE"
    hits = empty_db.execute_query(
        "CALL db.index.fulltext.queryNodes('kg_text', 'FEDHYPER') YIELD node RETURN node.id AS id",
        database_=settings.database).records
    assert "method:fedhyper" in {r["id"] for r in hits}  # found through an alias


def test_load_matches_the_graph_and_reads_back(empty_db, settings):
    g = two_papers()
    # Properties outside the schema (a newer builder's) are written and read back too.
    g.nodes["arxiv:2301.00002"]["venue"] = "ICLR"
    g.edges["arxiv:2301.00002", "method:fedavg", "PROPOSES"]["score"] = 0.5
    report = write_graph(g, settings, batch_size=2)
    assert counts(empty_db, settings.database) == graph_counts(g)
    assert report.nodes_created == g.number_of_nodes()
    assert report.relationships_created == g.number_of_edges()
    back = read_graph(settings)
    assert set(back.nodes) == set(g.nodes)
    assert set(back.edges(keys=True)) == set(g.edges(keys=True))
    for node, attrs in g.nodes(data=True):
        expected = {k: v for k, v in attrs.items() if v is not None}
        assert back.nodes[node] == expected, node
    for u, v, key, attrs in g.edges(keys=True, data=True):
        expected = {k: val for k, val in attrs.items() if val is not None}
        assert back.edges[u, v, key] == expected, (u, v, key)
    # Lists are Neo4j lists, not JSON text.
    aliases = empty_db.execute_query("MATCH (m:Method {id: 'method:fedhyper'}) RETURN m.aliases AS a").records
    assert aliases[0]["a"] == ["FedHyper", "FEDHYPER"]


def test_second_load_changes_nothing(empty_db, settings):
    g = two_papers()
    write_graph(g, settings)
    before_counts, before = counts(empty_db, settings.database), read_graph(settings)
    again = write_graph(g, settings, batch_size=3)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert counts(empty_db, settings.database) == before_counts
    after = read_graph(settings)
    assert dict(after.nodes(data=True)) == dict(before.nodes(data=True))
    assert list(sorted(after.edges(keys=True, data=True), key=str)) == list(sorted(before.edges(keys=True, data=True), key=str))


def test_two_claims_about_the_same_pair_are_two_outperforms(empty_db, settings):
    g = two_papers()
    second = "claim:arxiv:2301.00001:4"
    g.add_node(second, labels=":Claim", label="again", id=second, text="FedHyper beats FedAvg again.",
               kind="comparative", confidence=0.7)
    g.add_edge("method:fedhyper", "method:fedavg", key=f"OUTPERFORMS:{second}", label="OUTPERFORMS",
               paper="arxiv:2301.00001", claim=second, **prov("again", 4))
    write_graph(g, settings)
    write_graph(g, settings)
    n = empty_db.execute_query("MATCH (:Method)-[o:OUTPERFORMS]->(:Method) RETURN count(o) AS n").records[0]["n"]
    assert n == 2


def test_incremental_load_adds_new_papers_and_updates_counts(empty_db, settings):
    first = two_papers()
    write_graph(first, settings)
    untouched = read_graph(settings).nodes["arxiv:2301.00002"]

    # A graph of one new paper, built on its own: it knows FedAvg under a new alias only.
    new = copy.deepcopy(first.subgraph(["method:fedavg", "dataset:cifar-10"]))
    new = type(first)(new)
    new.nodes["method:fedavg"].update(aliases=["Federated Averaging"])
    p3 = paper(new, "arxiv:2301.00003", "Another Look at Federated Averaging")
    new.add_edge(p3, "method:fedavg", key="USES", label="USES", **prov("Federated Averaging", 1, mentions=2))
    new.add_edge(p3, "dataset:cifar-10", key="EVALUATES_ON", label="EVALUATES_ON", **prov("CIFAR-10", 1))
    set_counts(new)
    report = write_graph(new, settings)
    assert (report.nodes_created, report.relationships_created) == (1, 2)

    nodes, rels = counts(empty_db, settings.database)
    first_nodes, first_rels = graph_counts(first)
    assert nodes == {**first_nodes, "Paper": first_nodes["Paper"] + 1}
    assert rels == {**first_rels, "USES": first_rels["USES"] + 1, "EVALUATES_ON": first_rels["EVALUATES_ON"] + 1}
    fedavg = read_graph(settings).nodes["method:fedavg"]
    # Counted over every paper in the database, not the last graph: 2 before + 1 new.
    assert fedavg["paper_count"] == 3
    assert fedavg["mention_count"] == 1 + 2 + 2
    assert fedavg["aliases"] == ["FedAvg", "Federated Averaging"]
    assert read_graph(settings).nodes["arxiv:2301.00002"] == untouched


def load_cut_off(g, settings, before_cut: int, writers: int = 1) -> LoadInterrupted:
    """Load `g` in batches of one row through a relay that cuts the connection after
    `before_cut` batches; the LoadInterrupted the writer raised. One writer by default, so
    that exactly `before_cut` batches get in."""
    target = urlparse(settings.uri)
    proxy = CuttableProxy(target.hostname, target.port or 7687)
    via_proxy = Settings(uri=f"bolt://127.0.0.1:{proxy.port}", user=settings.user, password=settings.password,
                         database=settings.database, retry_seconds=1.0)
    done: list[int] = []

    def cut_after(number: int, total: int) -> None:
        done.append(number)
        if len(done) == before_cut:
            proxy.cut()

    with pytest.raises(LoadInterrupted) as info:
        write_graph(g, via_proxy, batch_size=1, writers=writers, on_batch=cut_after)
    proxy.close()
    return info.value


def test_cut_off_load_reports_where_and_rerun_completes(empty_db, settings):
    g = two_papers()
    # Batches of one row: every node, then three relationships get in before the cut.
    before_cut = g.number_of_nodes() + 3
    exc = load_cut_off(g, settings, before_cut)
    # schema (batch 1) and `before_cut` batches went in; the next one failed and is named.
    assert exc.report.batches == before_cut and exc.batch == before_cut + 2
    assert f"batch {before_cut + 2} of {exc.total}" in str(exc) and "relationships, rows" in str(exc)
    partial_nodes, partial_rels = counts(empty_db, settings.database)
    assert sum(partial_nodes.values()) == g.number_of_nodes() and sum(partial_rels.values()) == 3

    report = write_graph(g, settings, batch_size=1)
    assert counts(empty_db, settings.database) == graph_counts(g)  # nothing lost, nothing doubled
    assert report.nodes_created == 0
    assert report.relationships_created == g.number_of_edges() - 3
    # Every node was there already, so no relationship took the CREATE path (the three that
    # went in before the cut were merged, not doubled).
    assert report.created_directly["relationships"] == 0


def test_cut_off_with_two_writers_rerun_completes(empty_db, settings):
    g = two_papers()
    before_cut = g.number_of_nodes() + 3
    exc = load_cut_off(g, settings, before_cut, writers=2)
    # The batch after the cut was already in flight and may have gone in (then the next one
    # failed); the report counts what was confirmed, the database may hold up to two more
    # (the in-flight one and the failing one, whose commit is unconfirmed).
    assert before_cut <= exc.report.batches <= before_cut + 1 and "relationships, rows" in str(exc)
    confirmed = exc.report.batches - g.number_of_nodes()
    _, partial_rels = counts(empty_db, settings.database)
    assert confirmed <= sum(partial_rels.values()) <= confirmed + 2
    write_graph(g, settings, batch_size=1, writers=2)
    assert counts(empty_db, settings.database) == graph_counts(g)  # nothing lost, nothing doubled


def test_a_node_deleted_during_the_load_stops_it_and_a_rerun_completes(empty_db, settings):
    g = two_papers()
    nodes_done = 1 + g.number_of_nodes()  # the schema, then node batches of one row

    def delete_fedavg(number: int, total: int) -> None:
        if number == nodes_done:  # between the node and the relationship phases
            empty_db.execute_query("MATCH (m:Method {id: 'method:fedavg'}) DETACH DELETE m",
                                   database_=settings.database)

    with pytest.raises(LoadInterrupted) as info:
        write_graph(g, settings, batch_size=1, writers=1, on_batch=delete_fedavg)
    assert "lost an end node" in str(info.value) and "relationships, rows" in str(info.value)
    write_graph(g, settings, batch_size=1)
    assert counts(empty_db, settings.database) == graph_counts(g)


def test_entity_counts_with_two_writers_see_every_relationship(empty_db, settings):
    # Batches of one row: the last relationship batches are in flight when the relationship
    # phase ends; the counts, recomputed from the database, must come after them.
    g = two_papers()
    write_graph(g, settings, batch_size=1, writers=2)
    stored = {r["id"]: (r["papers"], r["mentions"]) for r in empty_db.execute_query(
        "MATCH (e) WHERE e.paper_count IS NOT NULL "
        "RETURN e.id AS id, e.paper_count AS papers, e.mention_count AS mentions",
        database_=settings.database).records}
    expected = {n: (a["paper_count"], a["mention_count"]) for n, a in g.nodes(data=True) if "paper_count" in a}
    assert stored == expected


def test_new_nodes_and_their_relationships_are_created_and_a_second_load_merges(empty_db, settings):
    g = two_papers()
    first = write_graph(g, settings, batch_size=4)
    assert first.created_directly == {"nodes": g.number_of_nodes(), "relationships": g.number_of_edges()}
    assert (first.nodes_created, first.relationships_created) == (g.number_of_nodes(), g.number_of_edges())
    again = write_graph(g, settings, batch_size=4)
    assert again.created_directly["nodes"] == again.created_directly["relationships"] == 0
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert counts(empty_db, settings.database) == graph_counts(g)


def test_cut_off_in_the_node_phase_rerun_creates_only_what_is_missing(empty_db, settings):
    g = two_papers()
    before_cut = 5  # node batches of one row each
    exc = load_cut_off(g, settings, before_cut)
    assert "nodes, rows" in str(exc)
    nodes, rels = counts(empty_db, settings.database)
    assert sum(nodes.values()) == before_cut and rels == {}

    # The nodes of the first run exist: relationships between two of them are merged, the
    # others (an end the re-run created) are created; nothing is lost or doubled.
    order = [n for label in NODE_LABELS for n, a in g.nodes(data=True) if a["labels"] == f":{label}"]
    old = set(order[:before_cut])  # nodes are written label by label, in graph order
    between_old = sum(1 for u, v in g.edges() if u in old and v in old)
    assert 0 < between_old < g.number_of_edges()
    report = write_graph(g, settings, batch_size=1)
    assert counts(empty_db, settings.database) == graph_counts(g)
    assert report.nodes_created == g.number_of_nodes() - before_cut
    assert report.relationships_created == g.number_of_edges()
    assert report.created_directly == {"nodes": g.number_of_nodes() - before_cut,
                                       "relationships": g.number_of_edges() - between_old}
    again = write_graph(g, settings, batch_size=3)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert counts(empty_db, settings.database) == graph_counts(g)


@pytest.mark.parametrize("batch_size", [1, 5000])
def test_two_edges_of_one_type_between_the_same_nodes_are_one_relationship(empty_db, settings, batch_size):
    g = two_papers()
    g.add_edge("arxiv:2301.00002", "method:fedavg", key="PROPOSES:again", label="PROPOSES",
               **prov("FedAvg again", 3))
    # Batches of one row and two writers: the two edges still go in one batch, never in two
    # transactions in flight at once.
    report = write_graph(g, settings, batch_size=batch_size, writers=2)
    n = empty_db.execute_query(
        "MATCH (:Paper {id: 'arxiv:2301.00002'})-[r:PROPOSES]->(:Method {id: 'method:fedavg'}) RETURN count(r) AS n",
        database_=settings.database).records[0]["n"]
    assert n == 1  # merged, as identity is (start, type, end)
    assert report.relationships_created == g.number_of_edges() - 1
    write_graph(g, settings, batch_size=batch_size, writers=2)
    _, rels = counts(empty_db, settings.database)
    assert rels["PROPOSES"] == 2  # the two papers' PROPOSES, nothing doubled


INJECTIONS = [
    "'}) DETACH DELETE n //",
    '"}) MATCH (x) DETACH DELETE x //',
    "`) DETACH DELETE n; //",
    "x\\' OR 1=1 //",
    "$rows",
]


def test_names_that_contain_cypher_stay_data(empty_db, settings):
    g = two_papers()
    for i, text in enumerate(INJECTIONS):
        key = f"method:{text}"
        entity(g, "Method", key, text, [text, f"{text} {i}"])
        g.add_edge("arxiv:2301.00002", key, key="USES", label="USES", **prov(text, i))
    g.nodes["arxiv:2301.00001"]["title"] = INJECTIONS[0]
    set_counts(g)
    write_graph(g, settings)
    write_graph(g, settings)
    assert counts(empty_db, settings.database) == graph_counts(g)
    back = read_graph(settings)
    for text in INJECTIONS:
        assert back.nodes[f"method:{text}"]["name"] == text
        assert back.nodes[f"method:{text}"]["aliases"][0] == text
    assert back.nodes["arxiv:2301.00001"]["title"] == INJECTIONS[0]


def test_a_graph_outside_the_schema_writes_nothing(empty_db, settings):
    g = two_papers()
    g.add_node("x", labels=":Method`) DETACH DELETE n //", id="x")
    with pytest.raises(GraphError):
        write_graph(g, settings)
    assert counts(empty_db, settings.database) == ({}, {})


def _operators(plan: dict) -> list[str]:
    return [plan["operatorType"].split("@")[0]] + [op for child in plan.get("children", []) for op in _operators(child)]


def test_every_write_finds_its_nodes_through_the_id_index(empty_db, settings):
    from kg.neo4j import create_schema
    from kg.neo4j.writer import (COUNT_STATEMENTS, CREATE_NODE_STATEMENTS, CREATE_REL_STATEMENTS,
                                 EXISTING_STATEMENTS, MERGE_NODE_STATEMENTS, MERGE_REL_STATEMENTS)

    create_schema(empty_db, settings.database)
    statements = [*EXISTING_STATEMENTS.values(), *COUNT_STATEMENTS.values()]
    for table in (MERGE_NODE_STATEMENTS, CREATE_REL_STATEMENTS, MERGE_REL_STATEMENTS):
        statements += [s for variants in table.values() for s in variants.values()]
    with empty_db.session(database=settings.database) as session:
        for statement in statements:
            ops = _operators(session.run("EXPLAIN " + statement, rows=[], ids=[]).consume().plan)
            assert not {"AllNodesScan", "NodeByLabelScan"} & set(ops), (statement, ops)
            seeks = [op for op in ops if op.startswith("NodeUniqueIndexSeek")]
            lookups = statement.count("{id: ")
            assert len(seeks) == lookups, (statement, ops)
        for variants in CREATE_NODE_STATEMENTS.values():  # no lookup at all: a new node
            for statement in variants.values():
                ops = _operators(session.run("EXPLAIN " + statement, rows=[]).consume().plan)
                assert "Create" in ops and not [op for op in ops if "Scan" in op], (statement, ops)
