"""The writer's pure parts: batching, property values, schema checks (no server needed)."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.errors import GraphError
from kg.graph.schema import NODE_LABELS, RELATIONSHIPS
from kg.neo4j.writer import (COUNT_STATEMENTS, CREATE_NODE_STATEMENTS, CREATE_REL_STATEMENTS,
                             EXISTING_STATEMENTS, MERGE_NODE_STATEMENTS, MERGE_REL_STATEMENTS, NODE_COLUMNS,
                             REL_COLUMNS, LoadInterrupted, LoadReport, _value, _with_extra, batched,
                             group_edges, group_nodes, node_label, node_row, prefetched, rel_row, row_dict)

from .graphs import two_papers


@pytest.mark.parametrize(
    "items, size, expected",
    [
        ([], 3, []),
        ([1], 3, [[1]]),
        ([1, 2, 3], 3, [[1, 2, 3]]),
        ([1, 2, 3, 4], 3, [[1, 2, 3], [4]]),
        (range(5), 2, [[0, 1], [2, 3], [4]]),
        ((x for x in "abc"), 1, [["a"], ["b"], ["c"]]),
    ],
)
def test_batched(items, size, expected):
    assert list(batched(items, size)) == expected


def test_batched_keeps_runs_of_same_items_together():
    edges = [("a", "x", 1), ("a", "x", 2), ("a", "y", 3), ("b", "y", 4), ("b", "y", 5), ("c", "z", 6)]
    same = lambda p, q: p[:2] == q[:2]  # noqa: E731
    assert [[e[2] for e in b] for b in batched(edges, 1, same=same)] == [[1, 2], [3], [4, 5], [6]]
    assert [[e[2] for e in b] for b in batched(edges, 4, same=same)] == [[1, 2, 3, 4, 5], [6]]
    assert [[e[2] for e in b] for b in batched(edges, 2)] == [[1, 2], [3, 4], [5, 6]]


def test_batched_rejects_size_below_one():
    with pytest.raises(ValueError):
        list(batched([1], 0))


@pytest.mark.parametrize(
    "value, stored",
    [
        (None, None),
        ("text", "text"),
        (3, 3),
        (0.5, 0.5),
        (True, True),
        (["a", "b"], ["a", "b"]),
        (("a", None, "b"), ["a", "b"]),  # None items dropped
        ([], []),
        ([1, 2.5], [1.0, 2.5]),  # ints and floats: a float list
        (["a", 1], '["a", 1]'),  # mixed: JSON text, never a crash
        ({"k": "v"}, '{"k": "v"}'),
    ],
)
def test_property_values(value, stored):
    assert _value(value) == stored


@pytest.mark.parametrize("labels", [None, "", ":Person", ":Paper:Method", "Method`) DETACH DELETE n //"])
def test_node_label_must_be_one_schema_label(labels):
    with pytest.raises(GraphError):
        node_label("n1", {"labels": labels})


def test_node_label():
    assert node_label("m", {"labels": ":Method"}) == "Method"


def test_node_row_drops_none_and_derived_counts():
    row = node_row("Method", "method:x", {"labels": ":Method", "id": "method:x", "name": "X", "aliases": ["X", "x"],
                                          "paper_count": 4, "mention_count": 9, "note": None})
    # A list in the fixed column order: id, label, name, aliases.
    assert NODE_COLUMNS["Method"] == ("id", "label", "name", "aliases")
    assert row == ["method:x", None, "X", ["X", "x"]]


def test_properties_outside_the_schema_travel_as_extra():
    row = node_row("Paper", "arxiv:1", {"labels": ":Paper", "title": "T", "venue": "ICLR", "sources": ["a.txt"]})
    assert len(row) == len(NODE_COLUMNS["Paper"]) + 1
    assert row_dict(NODE_COLUMNS["Paper"], row) == {"id": "arxiv:1", "title": "T", "sources": ["a.txt"],
                                                    "extra": {"venue": "ICLR"}}
    row = rel_row("USES", "arxiv:1", "method:x", "USES", {"label": "USES", "text": "X", "score": 2})
    assert row_dict(REL_COLUMNS["USES"], row) == {"from_id": "arxiv:1", "to_id": "method:x", "text": "X",
                                                  "extra": {"score": 2}}
    # A property named like a row key is still a property, never an id.
    row = rel_row("USES", "arxiv:1", "method:x", "USES", {"label": "USES", "from_id": "evil"})
    assert row[:2] == ["arxiv:1", "method:x"] and row[-1] == {"from_id": "evil"}


def test_a_batch_with_extra_gives_every_row_the_column():
    plain = [["a", 1], ["b", 2]]
    assert _with_extra(plain, 2) is False and plain == [["a", 1], ["b", 2]]
    mixed = [["a", 1], ["b", 2, {"x": 1}]]
    assert _with_extra(mixed, 2) is True and mixed == [["a", 1, None], ["b", 2, {"x": 1}]]


def test_outperforms_row_carries_claim_from_key_when_missing():
    row = rel_row("OUTPERFORMS", "method:a", "method:b", "OUTPERFORMS:claim:p:3", {"label": "OUTPERFORMS"})
    assert row_dict(REL_COLUMNS["OUTPERFORMS"], row) == {"from_id": "method:a", "to_id": "method:b",
                                                         "claim": "claim:p:3"}


def test_groups_follow_the_schema():
    g = two_papers()
    nodes = group_nodes(g)
    assert {label for label in nodes} <= set(NODE_LABELS)
    edges = group_edges(g, {n: label for label, members in nodes.items() for n, _ in members})
    assert sum(len(v) for v in edges.values()) == g.number_of_edges()
    assert ("ABOUT", "Claim", "Dataset") in edges


@pytest.mark.parametrize(
    "u_label, rel, v_label",
    [
        ("Paper", "KNOWS", "Method"),  # not a schema type
        ("Method", "PROPOSES", "Paper"),  # wrong direction
        ("Paper", "OUTPERFORMS", "Method"),  # OUTPERFORMS joins methods
    ],
)
def test_edges_outside_the_schema_are_refused(u_label, rel, v_label):
    g = nx.MultiDiGraph()
    g.add_node("u", labels=f":{u_label}")
    g.add_node("v", labels=f":{v_label}")
    g.add_edge("u", "v", key=rel, label=rel, claim="c")
    with pytest.raises(GraphError):
        group_edges(g, {"u": u_label, "v": v_label})


def test_statements_come_from_the_schema_only():
    assert set(CREATE_NODE_STATEMENTS) == set(MERGE_NODE_STATEMENTS) == set(EXISTING_STATEMENTS) == set(NODE_LABELS)
    expected = {(rel, s, e) for rel, (starts, ends) in RELATIONSHIPS.items() for s in starts for e in ends}
    assert set(CREATE_REL_STATEMENTS) == set(MERGE_REL_STATEMENTS) == expected
    statements = [*EXISTING_STATEMENTS.values(), *COUNT_STATEMENTS.values()]
    for table in (CREATE_NODE_STATEMENTS, MERGE_NODE_STATEMENTS, CREATE_REL_STATEMENTS, MERGE_REL_STATEMENTS):
        for variants in table.values():
            assert set(variants) == {False, True}
            statements += variants.values()
    for statement in statements:
        assert "UNWIND $" in statement  # data only ever arrives as a parameter
    outperforms = ("OUTPERFORMS", "Method", "Method")
    claim = REL_COLUMNS["OUTPERFORMS"].index("claim")
    assert f"MERGE (a)-[r:OUTPERFORMS {{claim: row[{claim}]}}]->(b)" in MERGE_REL_STATEMENTS[outperforms][False]
    assert "MERGE (a)-[r:USES]->(b)" in MERGE_REL_STATEMENTS[("USES", "Paper", "Method")][False]
    assert "CREATE (a)-[r:USES {field: row[2]," in CREATE_REL_STATEMENTS[("USES", "Paper", "Method")][False]
    # Both ends are looked up by the element ids the node phase returned (a record lookup).
    assert "MATCH (a) WHERE elementId(a) = row[0]\nMATCH (b) WHERE elementId(b) = row[1]" in \
        CREATE_REL_STATEMENTS[("ABOUT", "Claim", "Dataset")][False]
    for label in NODE_LABELS:
        assert CREATE_NODE_STATEMENTS[label][False].endswith("RETURN collect([n.id, elementId(n)]) AS elements")
    assert "row[{}]".format(len(REL_COLUMNS["USES"])) in CREATE_REL_STATEMENTS[("USES", "Paper", "Method")][True]


def test_report_says_batches_and_writers():
    report = LoadReport(batch_size=5000, writers=2, batches=24, seconds=1.25)
    assert "24 batches of up to 5000 rows, 2 in flight, in 1.2s" in report.lines()[2]


def test_interrupted_message_names_the_batch():
    report = LoadReport(batch_size=10, batches=3)
    report.nodes["Paper"] = 25
    exc = LoadInterrupted("USES relationships, rows 11-20", 5, 9, report, ConnectionError("gone"))
    assert "batch 5 of 9" in str(exc) and "USES relationships, rows 11-20" in str(exc)
    assert "25 node rows" in str(exc) and "again" in str(exc)
    assert exc.exit_code == 3


def test_prefetched_keeps_order_and_raises_the_producers_error():
    assert list(prefetched(iter(range(50)))) == list(range(50))

    def failing():
        yield 1
        raise GraphError("bad row")

    with pytest.raises(GraphError, match="bad row"):
        list(prefetched(failing()))
    early = prefetched(iter(range(1000)))
    assert next(early) == 0
    early.close()  # a consumer that stops early (a failed batch) stops the producer too


def test_only_the_single_edge_of_a_type_between_two_nodes_may_be_created_directly():
    from kg.neo4j.writer import _single

    g = nx.MultiDiGraph()
    g.add_edge("p", "m", key="PROPOSES", label="PROPOSES")
    g.add_edge("p", "m", key="USES", label="USES")
    assert _single(g, "p", "m", "PROPOSES") and _single(g, "p", "m", "USES")
    g.add_edge("p", "m", key="USES:2", label="USES")  # the same relationship twice: merged
    assert not _single(g, "p", "m", "USES")
    g.add_edge("a", "b", key="OUTPERFORMS:claim:1", label="OUTPERFORMS", claim="claim:1")
    g.add_edge("a", "b", key="OUTPERFORMS:claim:2", label="OUTPERFORMS", claim="claim:2")
    assert _single(g, "a", "b", "OUTPERFORMS")  # one relationship per claim
    g.add_edge("a", "b", key="OUTPERFORMS:again", label="OUTPERFORMS", claim="claim:2")
    assert not _single(g, "a", "b", "OUTPERFORMS")
