"""GEXF output for Gephi, written by ``networkx.write_gexf`` (GEXF 1.3, which Gephi 0.9+ reads).

GEXF declares one type per attribute, and networkx gives some attribute names a meaning of
their own, so the graph is encoded before it is written:

- Lists, tuples, sets and dicts become JSON text (``["FedHyper", "Fed-Hyper"]``); GEXF has list
  types but networkx reads a Python list as a dynamic (time-sliced) value.
- None values are left out (GEXF has no null).
- An attribute whose values mix types is written as text for every element that has it
  (ints mixed with floats become floats), so the declared type fits every value.
- The node `id` is the GEXF node id and the node `label` the GEXF label (Gephi's caption); the
  edge `label` (the relationship type) is the GEXF edge label and the networkx edge key is kept
  as the ``networkx_key`` attribute, so ``networkx.read_gexf`` restores keys and labels.
- Edge `start` and `end` (character offsets) would make networkx and Gephi read the graph as
  dynamic, with offsets as times: they are written as ``start_offset`` and ``end_offset``.
- Nodes carry a ``viz`` colour per label (the same palette as the HTML view) and a size that
  grows with degree, so the graph opens in Gephi already coloured.

Read it back with ``networkx.read_gexf(path)`` (node ids are strings, edge keys come back).
The file is written atomically.
"""

from __future__ import annotations

import json
import os
from typing import Any

import networkx as nx

from kg.atomic import atomic_write

#: Node colour per label (RGB), shared with the HTML view.
PALETTE: dict[str, str] = {
    "Paper": "#4e79a7",
    "Method": "#e15759",
    "Dataset": "#59a14f",
    "Task": "#b07aa1",
    "Metric": "#edc948",
    "Claim": "#bab0ac",
    "Repository": "#9c755f",
    "Author": "#76b7b2",
}
DEFAULT_COLOUR = "#888888"
GEXF_VERSION = "1.3"
RENAMED_EDGE_KEYS = {"start": "start_offset", "end": "end_offset"}
# Keys networkx takes out of a node's data for the GEXF element itself.
_RESERVED_NODE_KEYS = {"pid", "start", "end", "viz", "parents", "slices", "spells"}
_RESERVED_EDGE_KEYS = {"id", "weight", "type", "viz", "slices", "spells", "networkx_key"}


def _json(value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=repr)
    return json.dumps(value, ensure_ascii=False, default=str)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def _plain(value: Any) -> Any:
    """A value GEXF can hold as it is: bool, int, float, str; anything else as JSON text."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return _json(value)
    return str(value)


def _unified(records: list[dict[str, Any]]) -> None:
    """Make every attribute have one type across `records` (in place)."""
    kinds: dict[str, set[str]] = {}
    for record in records:
        for key, value in record.items():
            kinds.setdefault(key, set()).add(_kind(value))
    for key, seen in kinds.items():
        if len(seen) == 1:
            continue
        to_float = seen == {"int", "float"}
        for record in records:
            if key in record:
                value = record[key]
                if to_float:
                    record[key] = float(value)
                elif isinstance(value, bool):
                    record[key] = "true" if value else "false"
                else:
                    record[key] = str(value)


def _rgb(colour: str) -> dict[str, int]:
    colour = colour.lstrip("#")
    return {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0}


def _first_label(attrs: dict) -> str:
    labels = [p for p in str(attrs.get("labels") or "").split(":") if p]
    return labels[0] if labels else ""


def to_gexf_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `graph` whose attributes networkx writes to GEXF without loss or surprise."""
    node_records = []
    for node, attrs in graph.nodes(data=True):
        record = {k: _plain(v) for k, v in attrs.items()
                  if v is not None and k not in _RESERVED_NODE_KEYS and k != "id"}
        record["label"] = str(attrs.get("label") if attrs.get("label") is not None else node)
        node_records.append(record)
    edge_records = []
    for _, _, key, attrs in graph.edges(keys=True, data=True):
        record = {}
        for k, v in attrs.items():
            if v is None:
                continue
            k = RENAMED_EDGE_KEYS.get(k, k)
            if k in _RESERVED_EDGE_KEYS:
                k = f"{k}_"
            record[k] = _plain(v)
        record.setdefault("label", str(key).split(":", 1)[0])
        record["label"] = str(record["label"])
        edge_records.append(record)
    _unified(node_records)
    _unified(edge_records)

    out = nx.MultiDiGraph()
    degrees = dict(graph.degree())
    for (node, attrs), record in zip(graph.nodes(data=True), node_records):
        colour = PALETTE.get(_first_label(attrs), DEFAULT_COLOUR)
        size = 4.0 + 2.0 * (degrees.get(node, 0) ** 0.5)
        out.add_node(str(node), **record, viz={"color": _rgb(colour), "size": size})
    for (u, v, key, _), record in zip(graph.edges(keys=True, data=True), edge_records):
        out.add_edge(str(u), str(v), key=str(key), **record)
    return out


def write_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write `graph` as GEXF to `path` (atomically)."""
    encoded = to_gexf_graph(graph)
    with atomic_write(path, "wb") as fh:
        nx.write_gexf(encoded, fh, version=GEXF_VERSION)


def read_gexf(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GEXF file written by :func:`write_gexf` back into the in-memory graph form.

    Undoes the encoding: edge keys (networkx drops them when no two edges are parallel; they
    are the relationship type, or ``OUTPERFORMS:<claim>``), the renamed offsets, list
    properties from JSON text, the node `id`; the ``viz`` colours are dropped.
    """
    from kg.graphio import LIST_PROPERTIES

    raw = nx.read_gexf(path)
    graph = nx.MultiDiGraph()
    for node, attrs in raw.nodes(data=True):
        attrs = dict(attrs)
        attrs.pop("viz", None)
        for key in LIST_PROPERTIES & attrs.keys():
            if isinstance(attrs[key], str) and attrs[key].startswith("["):
                attrs[key] = json.loads(attrs[key])
        graph.add_node(node, id=node, **attrs)
    edges = raw.edges(keys=True, data=True) if raw.is_multigraph() else (
        (u, v, None, d) for u, v, d in raw.edges(data=True))
    for u, v, key, attrs in edges:
        attrs = {k: v_ for k, v_ in attrs.items() if k != "id"}
        for old, new in [*RENAMED_EDGE_KEYS.items(), *((k, f"{k}_") for k in _RESERVED_EDGE_KEYS)]:
            if new in attrs:
                attrs[old] = attrs.pop(new)
        if key is None:
            label = attrs.get("label", "")
            key = f"{label}:{attrs['claim']}" if label == "OUTPERFORMS" and "claim" in attrs else label
        graph.add_edge(u, v, key=key, **attrs)
    return graph
