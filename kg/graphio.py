"""Read a graph written by ``kg build`` back into the in-memory form the writers take.

GraphML keeps lists as JSON text (see :mod:`kg.writers.graphml`); this decodes the list
properties of the schema again, so ``read_graph(write_graphml(g))`` has every property of `g`.
"""

from __future__ import annotations

import json
import os
from xml.etree.ElementTree import ParseError

import networkx as nx

from kg.errors import GraphError

#: Properties that the schema defines as lists (written as JSON text in GraphML).
LIST_PROPERTIES = frozenset({"aliases", "authors", "sources", "categories"})


def _decode(attrs: dict) -> None:
    for key in LIST_PROPERTIES & attrs.keys():
        value = attrs[key]
        if isinstance(value, str):
            try:
                attrs[key] = json.loads(value)
            except json.JSONDecodeError:
                attrs[key] = [value]


def read_graph(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GraphML file written by kg into a MultiDiGraph with list properties decoded."""
    try:
        graph = nx.read_graphml(path, edge_key_type=str, force_multigraph=True)
    except FileNotFoundError:
        raise GraphError(f"{path}: no such file") from None
    except (ParseError, nx.NetworkXError, ValueError, KeyError) as exc:
        raise GraphError(f"{path}: not a GraphML file written by kg ({exc})") from None
    if not graph.is_directed():
        graph = nx.MultiDiGraph(graph)
    for _, attrs in graph.nodes(data=True):
        _decode(attrs)
    return graph
