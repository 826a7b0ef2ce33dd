"""GraphML output, in the encoding DESIGN.md fixes.

Format: GraphML as networkx writes it. Node id = graph id; every node has `labels`
(``":Method"``, as APOC's ``apoc.import.graphml(…, {readLabels: true})`` reads it) and `label`
(display name, as Gephi and Cytoscape show it); every edge has `label` (the relationship type)
and its edge id is the networkx key. Types that survive: str, int, float, bool. Lists and dicts
are written as JSON text (``kg.graphio.read_graph`` decodes them again); None values are left out,
since GraphML has no null. The file is written atomically.
"""

from __future__ import annotations

import json
import os
from typing import Any, IO

import networkx as nx

from kg.atomic import atomic_write


def encode_value(value: Any) -> Any:
    """A property value as GraphML can hold it (None → dropped by the caller)."""
    if isinstance(value, (list, tuple, dict, set)):
        if isinstance(value, set):
            value = sorted(value)
        return json.dumps(value, ensure_ascii=False)
    return value


def _encoded(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: encode_value(v) for k, v in attrs.items() if v is not None}


def to_graphml_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `graph` whose attributes are all GraphML scalars."""
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, _encoded(d)) for n, d in graph.nodes(data=True))
    out.add_edges_from((u, v, k, _encoded(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return out


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike | IO[bytes]) -> None:
    """Write `graph` as GraphML to a path (atomically) or an open binary file."""
    encoded = to_graphml_graph(graph)
    if hasattr(path, "write"):
        nx.write_graphml(encoded, path)
        return
    with atomic_write(path, "wb") as fh:
        nx.write_graphml(encoded, fh)
