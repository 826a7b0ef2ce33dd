"""What a graph holds: counts by label and relationship type, and the top entities."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from kg.graph import schema


def graph_stats(graph: nx.MultiDiGraph, *, top: int = 10) -> dict[str, Any]:
    """Node counts by label, relationship counts by type, and the `top` entities of each
    entity label by paper count (ties by name)."""
    nodes = Counter(d.get("labels", "").lstrip(":") for _, d in graph.nodes(data=True))
    rels = Counter(d.get("label", "") for _, _, d in graph.edges(data=True))
    top_entities: dict[str, list[dict[str, Any]]] = {}
    for label in schema.ENTITY_LABELS:
        rows = [
            {"id": n, "name": d.get("name", n), "paper_count": int(d.get("paper_count", 0)),
             "mention_count": int(d.get("mention_count", 0))}
            for n, d in graph.nodes(data=True) if d.get("labels") == f":{label}"
        ]
        rows.sort(key=lambda r: (-r["paper_count"], -r["mention_count"], r["name"]))
        top_entities[label] = rows[:top]
    return {
        "nodes": dict(sorted(nodes.items())),
        "relationships": dict(sorted(rels.items())),
        "node_total": graph.number_of_nodes(),
        "relationship_total": graph.number_of_edges(),
        "top_entities": top_entities,
    }
