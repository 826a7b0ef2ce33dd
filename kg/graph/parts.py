"""The graph one paper at a time: what each paper adds, and the nodes papers share.

Every relationship of the graph belongs to exactly one paper (its mentions, MAKES, HAS_CODE
and WROTE edges end or start at the paper; ABOUT and OUTPERFORMS edges hang off its claims),
and so do the paper node and its claim nodes. The other nodes (entities, authors,
repositories) are shared, and their properties are sums over papers (an entity's surface
forms, paper and mention counts) or the first and last paper's values (an author's display
label and name, a repository's label and url). So the graph is the papers' parts plus the
shared nodes, and a rebuild can redo the parts of the papers that changed and adjust the sums
instead of rebuilding the whole graph (:mod:`kg.graphml_build`).

:func:`paper_part` runs :class:`~kg.graph.builder.GraphBuilder` on one paper, so a part holds
exactly what the builder adds for it; :class:`SharedNodes` keeps the sums. The union of the
parts and the shared nodes is the graph :func:`~kg.graph.builder.build_graph` builds from the
same extractions (tests/graph/test_parts.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Mapping

from kg.graph import schema
from kg.graph.builder import GraphBuilder, best_name
from kg.models import Extraction

_LOCAL = {f":{schema.PAPER}", f":{schema.CLAIM}"}
_AUTHOR, _REPOSITORY = f":{schema.AUTHOR}", f":{schema.REPOSITORY}"

Node = tuple[str, dict]
Edge = tuple[str, str, str, dict]


@dataclass
class EntityShare:
    """One paper's share of an entity node: its surface forms and mentions there."""

    labels: str
    surfaces: Counter[str]
    mentions: int


@dataclass
class PaperPart:
    """What one (resolved) paper adds to the graph: its own nodes (the paper, its claims) and
    every relationship, in the order the builder adds them, and its shares of shared nodes."""

    paper_id: str
    nodes: list[Node]
    edges: list[Edge]
    entities: dict[str, EntityShare]
    #: (author id, display label, name) in the paper's order: label and name as the paper's
    #: first and last spelling of that id give them
    authors: list[tuple[str, str, str]]
    #: (repository id, display label, url or None)
    repositories: list[tuple[str, str, str | None]]

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """Own nodes by label and relationships by type."""
        nodes = Counter(d["labels"].lstrip(":") for _, d in self.nodes)
        return nodes, Counter(d["label"] for _, _, _, d in self.edges)


def paper_part(extraction: Extraction) -> PaperPart:
    """The part of one paper, whose keys are already canonical (:meth:`Resolution.apply`)."""
    builder = GraphBuilder()
    builder.add(extraction)
    graph = builder.graph
    nodes: list[Node] = []
    entities: dict[str, EntityShare] = {}
    authors: list[tuple[str, str, str]] = []
    repositories: list[tuple[str, str, str | None]] = []
    for n, d in graph._node.items():
        labels = d["labels"]
        if labels in _LOCAL:
            nodes.append((n, d))
        elif labels == _AUTHOR:
            authors.append((n, d["label"], d["name"]))
        elif labels == _REPOSITORY:
            repositories.append((n, d["label"], d.get("url")))
        else:
            entities[n] = EntityShare(labels, builder._surfaces[n], builder._mentions[n])
    edges = [(u, v, k, d) for u, nbrs in graph._adj.items() for v, keyed in nbrs.items()
             for k, d in keyed.items()]
    return PaperPart(extraction.paper.id, nodes, edges, entities, authors, repositories)


@dataclass
class _Entity:
    labels: str
    surfaces: Counter[str]
    papers: int = 0
    mentions: int = 0

    def pack(self) -> tuple:
        """(labels, papers, mentions, text, count, text, count, …): a tuple of scalars, which
        pickles several times faster than the dataclass and its Counter."""
        out: list = [self.labels, self.papers, self.mentions]
        for text, n in self.surfaces.items():
            out += (text, n)
        return tuple(out)

    @classmethod
    def unpack(cls, packed: tuple) -> "_Entity":
        texts, counts = packed[3::2], packed[4::2]
        return cls(packed[0], Counter(dict(zip(texts, counts))), packed[1], packed[2])


class SharedNodes:
    """The shared nodes of a graph, as sums over its papers' parts.

    Add parts in paper order (authors and repositories keep the first paper's label and the
    last one's name or url, as the builder does); an entity share can also be taken away again
    (:meth:`remove_entities`), for a paper whose entities a rebuild resolved differently.
    :attr:`touched` collects the ids of the nodes that adding or removing changed.

    Pickles compactly (entities as :meth:`_Entity.pack` tuples) and unpacks an entity only when
    a part touches it, since a rebuild touches few of them."""

    def __init__(self) -> None:
        self._entities: dict[str, _Entity | tuple] = {}
        self.authors: dict[str, list[str]] = {}
        self.repositories: dict[str, list] = {}
        self.touched: set[str] = set()

    def __getstate__(self) -> dict:
        entities = {k: e.pack() if isinstance(e, _Entity) else e for k, e in self._entities.items()}
        return {"entities": entities, "authors": self.authors, "repositories": self.repositories}

    def __setstate__(self, state: dict) -> None:
        self._entities = state["entities"]
        self.authors, self.repositories = state["authors"], state["repositories"]
        self.touched = set()

    def _entity(self, key: str) -> _Entity | None:
        entity = self._entities.get(key)
        if entity is not None and not isinstance(entity, _Entity):
            entity = self._entities[key] = _Entity.unpack(entity)
        return entity

    def __contains__(self, node_id: str) -> bool:
        return node_id in self._entities or node_id in self.authors or node_id in self.repositories

    def add(self, part: PaperPart) -> None:
        """Add a part's shares (the next paper in order)."""
        self.add_entities(part)
        for aid, label, name in part.authors:
            self.touched.add(aid)
            author = self.authors.get(aid)
            if author is None:
                self.authors[aid] = [label, name]
            else:
                author[1] = name
        for rid, label, url in part.repositories:
            self.touched.add(rid)
            repo = self.repositories.get(rid)
            if repo is None:
                self.repositories[rid] = [label, url]
            elif url is not None:
                repo[1] = url

    def add_entities(self, part: PaperPart) -> None:
        """Add only a part's entity shares (its authors and repositories are counted already)."""
        for key, share in part.entities.items():
            self.touched.add(key)
            entity = self._entity(key)
            if entity is None:
                entity = self._entities[key] = _Entity(share.labels, Counter())
            entity.surfaces.update(share.surfaces)
            entity.papers += 1
            entity.mentions += share.mentions

    def remove_entities(self, part: PaperPart) -> None:
        """Take a part's entity shares away again (an entity no paper mentions any more goes)."""
        for key, share in part.entities.items():
            self.touched.add(key)
            entity = self._entity(key)
            entity.papers -= 1
            entity.mentions -= share.mentions
            if entity.papers <= 0:
                del self._entities[key]
                continue
            surfaces = entity.surfaces
            for text, n in share.surfaces.items():
                left = surfaces[text] - n
                if left > 0:
                    surfaces[text] = left
                else:
                    del surfaces[text]

    def ids(self) -> list[str]:
        """Every shared node's id, sorted (an order that does not depend on which paper came
        first)."""
        return sorted([*self._entities, *self.authors, *self.repositories])

    def node(self, node_id: str, names: Mapping[str, str]) -> dict:
        """The properties of one shared node (`names`: the resolution's display names)."""
        entity = self._entity(node_id)
        if entity is not None:
            name = names.get(node_id) or best_name(entity.surfaces)
            # the builder's attribute order: labels, label, id, then finish()'s aggregates
            return {"labels": entity.labels, "label": name, "id": node_id, "name": name,
                    "aliases": sorted(entity.surfaces), "paper_count": entity.papers,
                    "mention_count": entity.mentions}
        author = self.authors.get(node_id)
        if author is not None:
            return {"labels": _AUTHOR, "label": author[0], "id": node_id, "name": author[1]}
        label, url = self.repositories[node_id]
        node = {"labels": _REPOSITORY, "label": label, "id": node_id}
        if url is not None:
            node["url"] = url
        return node

    def nodes(self, names: Mapping[str, str]) -> Iterator[Node]:
        """Every shared node with its properties, in :meth:`ids` order."""
        for node_id in self.ids():
            yield node_id, self.node(node_id, names)

    def counts(self) -> Counter[str]:
        """Shared nodes by label."""
        out: Counter[str] = Counter(
            (e.labels if isinstance(e, _Entity) else e[0]).lstrip(":")
            for e in self._entities.values())
        out[schema.AUTHOR] += len(self.authors)
        out[schema.REPOSITORY] += len(self.repositories)
        return +out
