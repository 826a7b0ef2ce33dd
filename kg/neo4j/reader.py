"""Read a paperkg graph back out of Neo4j into the in-memory format the writers consume.

Nodes with a schema label become nodes keyed by their `id` (kept as a property too, as the
builder does), with `labels` (`":Method"`),
`label` (the stored display name, else title/name/text/url) and their properties; lists come
back as Python lists. Relationships of the schema's types become edges keyed by type
(`OUTPERFORMS:<claim id>` for OUTPERFORMS) with `label` = the type and their properties.
Anything else in the database (other labels, other types) is left out.
"""

from __future__ import annotations

import networkx as nx
import neo4j

from kg.errors import Neo4jError
from kg.graph.schema import NODE_LABELS, REL_TYPES
from kg.neo4j.settings import Settings, connect

_NODES = """
MATCH (n) WHERE n.id IS NOT NULL AND any(l IN labels(n) WHERE l IN $labels)
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels] AS labels, properties(n) AS props
"""

_RELS = """
MATCH (a)-[r]->(b)
WHERE type(r) IN $types AND a.id IS NOT NULL AND b.id IS NOT NULL
  AND any(l IN labels(a) WHERE l IN $labels) AND any(l IN labels(b) WHERE l IN $labels)
RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
"""

_CAPTION_KEYS = ("label", "title", "name", "text", "url")


def read_graph(settings: Settings, *, driver: neo4j.Driver | None = None) -> nx.MultiDiGraph:
    """The graph stored in the database of `settings`, as a `networkx.MultiDiGraph`."""
    graph = nx.MultiDiGraph()
    own_driver = driver is None
    driver = driver or connect(settings)
    try:
        with driver.session(database=settings.database, default_access_mode=neo4j.READ_ACCESS) as session:
            for record in session.run(_NODES, labels=list(NODE_LABELS)):
                props = dict(record["props"])
                caption = next((props[k] for k in _CAPTION_KEYS if props.get(k) is not None), record["id"])
                props["label"] = caption
                graph.add_node(record["id"], labels=":" + ":".join(sorted(record["labels"])), **props)
            for record in session.run(_RELS, types=list(REL_TYPES), labels=list(NODE_LABELS)):
                props = dict(record["props"])
                rel = record["type"]
                key = f"OUTPERFORMS:{props.get('claim')}" if rel == "OUTPERFORMS" else rel
                graph.add_edge(record["start"], record["end"], key=key, **{**props, "label": rel})
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
        raise Neo4jError(f"reading the graph from {settings.uri} failed: {exc}") from exc
    finally:
        if own_driver:
            driver.close()
    return graph
