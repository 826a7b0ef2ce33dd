"""Filters that cut the in-memory graph down before any writer sees it.

Three filters, applied in this order so that each reads the way it is said on the command line:

1. ``around`` / ``depth``: the neighbourhood of one node, walking relationships in either
   direction up to `depth` hops (``networkx.ego_graph`` on the undirected view);
2. ``labels``: keep only nodes with one of these labels (``Method`` or ``:Method``);
3. ``min_papers``: drop Method, Dataset, Task and Metric nodes found in fewer than N papers
   (their `paper_count`, or the number of Paper nodes linked to them when it is missing).
   Other nodes have no paper count and are kept.

The node `around` names is always kept, whatever the other two filters say: a neighbourhood
view without its centre is never what anyone wants. Every filter returns a new graph (a copy
with all attributes, edge keys and graph attributes); the input is never changed.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kg.errors import InputError
from kg.graph import schema


def node_labels(attrs: dict) -> list[str]:
    """The labels of a node from its `labels` attribute (``":Method"`` → ``["Method"]``)."""
    raw = attrs.get("labels") or ""
    if isinstance(raw, (list, tuple)):
        return [str(x).lstrip(":") for x in raw if x]
    return [part for part in str(raw).split(":") if part]


def primary_label(attrs: dict) -> str:
    """The first label of a node, or ``"Node"`` when it has none."""
    labels = node_labels(attrs)
    return labels[0] if labels else "Node"


def normalise_labels(labels: Iterable[str]) -> set[str]:
    """Map user spellings (``method``, ``:Method``, ``Method,Dataset``) to schema labels."""
    known = {label.lower(): label for label in schema.NODE_LABELS}
    out: set[str] = set()
    for raw in labels:
        for part in str(raw).replace(",", " ").split():
            name = part.strip().lstrip(":")
            if not name:
                continue
            if name.lower() not in known:
                raise InputError(
                    "--label", f"unknown label {name!r}; choose from {', '.join(schema.NODE_LABELS)}"
                )
            out.add(known[name.lower()])
    return out


def find_node(graph: nx.MultiDiGraph, entity: str) -> str:
    """The node `entity` names: a node id, else a unique display name, name or alias.

    Names match case-insensitively. When several nodes share the name, the error lists their
    ids so that the caller can pass one of them instead.
    """
    if entity in graph:
        return entity
    wanted = entity.strip().casefold()
    matches: list[str] = []
    for node, attrs in graph.nodes(data=True):
        if str(node).casefold() == wanted:
            return node
        names = [attrs.get("name"), attrs.get("label"), attrs.get("title")]
        aliases = attrs.get("aliases")
        if isinstance(aliases, (list, tuple)):
            names.extend(aliases)
        if any(isinstance(n, str) and n.casefold() == wanted for n in names):
            matches.append(node)
    if not matches:
        raise InputError("--around", f"no node has the id or name {entity!r}")
    if len(matches) > 1:
        # An entity beats a paper of the same title; two entities are a real ambiguity.
        entities = [m for m in matches if primary_label(graph.nodes[m]) in schema.ENTITY_LABELS]
        if len(entities) == 1:
            return entities[0]
        shown = ", ".join(sorted(map(str, matches))[:10])
        raise InputError("--around", f"{entity!r} names {len(matches)} nodes ({shown}); pass an id")
    return matches[0]


def paper_count(graph: nx.MultiDiGraph, node: str) -> int | None:
    """Papers an entity is found in: its `paper_count`, else its linked Paper nodes."""
    attrs = graph.nodes[node]
    if primary_label(attrs) not in schema.ENTITY_LABELS:
        return None
    value = attrs.get("paper_count")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return sum(1 for p in graph.predecessors(node) if primary_label(graph.nodes[p]) == schema.PAPER)


def neighbourhood(graph: nx.MultiDiGraph, centre: str, depth: int) -> set[str]:
    """Nodes within `depth` hops of `centre`, following relationships either way."""
    return set(nx.ego_graph(graph, centre, radius=depth, undirected=True))


def filter_graph(
    graph: nx.MultiDiGraph,
    *,
    labels: Iterable[str] | None = None,
    min_papers: int | None = None,
    around: str | None = None,
    depth: int = 1,
) -> nx.MultiDiGraph:
    """A copy of `graph` restricted by the filters (see the module docstring for the order)."""
    if depth < 0:
        raise InputError("--depth", f"must be 0 or more, not {depth}")
    keep = set(graph.nodes)
    centre = None
    if around:
        centre = find_node(graph, around)
        keep = neighbourhood(graph, centre, depth)
    wanted = normalise_labels(labels) if labels else None
    if wanted:
        keep = {n for n in keep if set(node_labels(graph.nodes[n])) & wanted}
    if min_papers:
        counts = {n: paper_count(graph, n) for n in keep}
        keep = {n for n, count in counts.items() if count is None or count >= min_papers}
    if centre is not None:
        keep.add(centre)
    if keep == set(graph.nodes):
        return graph.copy()
    # Keep the input's node order so that outputs are stable from run to run.
    return graph.subgraph([n for n in graph.nodes if n in keep]).copy()
