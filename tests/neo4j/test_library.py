"""cypher/: the schema script and the query files read as Neo4j Browser reads them."""

from __future__ import annotations

import re

import pytest

from kg.graph.schema import NODE_LABELS
from kg.neo4j.library import cypher_dir, query_files, read_query, schema_statements, split_statements

QUERIES = query_files()


def test_there_are_at_least_twelve_queries():
    assert len(QUERIES) >= 12


@pytest.mark.parametrize(
    "script, statements",
    [
        ("RETURN 1;", ["RETURN 1"]),
        ("RETURN 1; RETURN 2", ["RETURN 1", "RETURN 2"]),
        ("// a comment; with a semicolon\nRETURN 1;", ["RETURN 1"]),
        ("RETURN 'a;b' AS x;", ["RETURN 'a;b' AS x"]),
        ('RETURN "it\'s; // here" AS x;', ['RETURN "it\'s; // here" AS x']),
        ("RETURN 'http://x' AS url;", ["RETURN 'http://x' AS url"]),
        ("\n;\n", []),
    ],
)
def test_split_statements(script, statements):
    assert split_statements(script) == statements


def test_schema_has_a_constraint_per_label_and_the_fulltext_index():
    statements = schema_statements()
    for label in NODE_LABELS:
        assert any(f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in s for s in statements), label
    fulltext = [s for s in statements if s.startswith("CREATE FULLTEXT INDEX kg_text")]
    assert len(fulltext) == 1
    for part in ("Method|Dataset|Task|Metric|Paper|Claim", "n.name", "n.aliases", "n.title", "n.text"):
        assert part in fulltext[0]
    assert all("IF NOT EXISTS" in s for s in statements)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_query_file_is_documented_and_parameterised(query):
    assert len(query.header.splitlines()) >= 3, "a header that says what it answers"
    assert "Parameters:" in query.header and "Returns" in query.header
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query.statement))
    assert used, "a parameterised query"
    assert used == set(query.params), "every parameter has a :param example, and no other"
    for name in used:
        assert f"${name}" in query.header, f"${name} is described in the header"


def test_read_query_rejects_two_statements(tmp_path):
    path = tmp_path / "two.cypher"
    path.write_text("// two\n:param x => 1;\nRETURN $x; RETURN 2;\n")
    with pytest.raises(Exception, match="one statement"):
        read_query(path)


def test_style_grass_styles_every_label():
    grass = (cypher_dir() / "style.grass").read_text()
    for label in NODE_LABELS:
        block = re.search(r"node\." + label + r" \{(.*?)\}", grass, re.S)
        assert block, label
        assert "color:" in block.group(1) and "caption:" in block.group(1) and "diameter:" in block.group(1)
