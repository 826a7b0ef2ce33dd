"""JSON output: networkx node-link data, as d3 and most JavaScript graph tools take it.

The document is ``networkx.node_link_data(graph, edges="links")``::

    {"directed": true, "multigraph": true, "graph": {},
     "nodes": [{"id": "method:fedhyper", "labels": ":Method", "label": "FedHyper", ...}],
     "links": [{"source": "arxiv:…", "target": "method:fedhyper", "key": "PROPOSES",
                "label": "PROPOSES", "mentions": 3, ...}]}

Edges are under ``"links"`` (d3's name, and what networkx wrote before 3.4), so read it back
with ``networkx.node_link_graph(data, edges="links")``. Every node has its graph id as ``"id"``
and every link its networkx key as ``"key"`` (the relationship type, or ``OUTPERFORMS:<claim>``).

Types: lists stay JSON arrays, None stays null, ints, floats, bools and strings stay what they
are. Tuples and sets become arrays (sets sorted), NaN and infinities become null (JSON has
neither), anything else becomes its string form. The file is UTF-8, written atomically.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import networkx as nx

from kg.atomic import atomic_write

EDGES_KEY = "links"


def json_value(value: Any, max_string: int | None = None) -> Any:
    """`value` as JSON can hold it: non-finite floats become null, sets sorted lists, anything
    else unknown its `str`; strings longer than `max_string` are cut with an ellipsis."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        if max_string is None or len(value) <= max_string:
            return value
        return value[: max_string - 1] + "…"
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_value(v, max_string) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return [json_value(v, max_string) for v in sorted(value, key=repr)]
    if isinstance(value, (list, tuple)):
        return [json_value(v, max_string) for v in value]
    return str(value)


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link document of `graph`, with every value JSON can hold."""
    try:
        data = nx.node_link_data(graph, edges=EDGES_KEY)
    except TypeError:  # networkx < 3.4 calls the option `link`
        data = nx.node_link_data(graph, link=EDGES_KEY)
    return json_value(data)


def write_json(graph: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write `graph` as node-link JSON to `path` (atomically)."""
    data = to_node_link(graph)
    with atomic_write(path, "w") as fh:
        json.dump(data, fh, ensure_ascii=False, allow_nan=False)
        fh.write("\n")


def read_json(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a file written by :func:`write_json` back into a MultiDiGraph (node `id` restored)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    try:
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges=EDGES_KEY)
    except TypeError:  # networkx < 3.4
        graph = nx.node_link_graph(data, directed=True, multigraph=True, link=EDGES_KEY)
    for node, attrs in graph.nodes(data=True):
        attrs.setdefault("id", node)
    return graph
