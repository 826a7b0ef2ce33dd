"""Build the knowledge graph (a :class:`networkx.MultiDiGraph`) from resolved extractions.

The graph follows DESIGN.md exactly: node id = graph id, node attributes `labels` (``":Method"``)
and `label` (display name) beside the schema properties; edge key = relationship type (one edge
per paper, entity and type), except OUTPERFORMS whose key is ``OUTPERFORMS:<claim id>`` so that
every comparative claim keeps its own fact. Every relationship carries the provenance of its
first mention (`field`, `sentence`, `start`, `end`, `text`), a `mentions` count, a `confidence`
and the extractor `version`.

:class:`GraphBuilder` is incremental: ``add`` one extraction at a time, then ``finish`` sets the
entity aggregates (`name`, `aliases`, `paper_count`, `mention_count`). It holds the graph, not
the documents' spaCy objects.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Callable, Iterable, Mapping

import networkx as nx

from kg.graph import schema
from kg.models import Extraction, Mention, Paper

Canonical = Callable[[str], str]


def _identity(key: str) -> str:
    return key


def author_id(name: str) -> str:
    """`author:<normalised name>`: NFKC, lower case, single spaces, no dots."""
    norm = unicodedata.normalize("NFKC", name).lower().replace(".", " ")
    return "author:" + " ".join(norm.split())


def repo_id(host: str, owner: str, name: str) -> str:
    """`repo:<host/owner/name>`, lower case (hosts and GitHub names are case-insensitive)."""
    return f"repo:{host}/{owner}/{name}".lower()


def claim_id(paper_id: str, sentence: int) -> str:
    """`claim:<paper id>:<sentence index>` (DESIGN.md)."""
    return f"claim:{paper_id}:{sentence}"


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _well_formed(surface: str) -> bool:
    """A surface form fit to be a node's display name: no stray brackets or edge punctuation."""
    return bool(surface) and surface.count("(") == surface.count(")") and not re.match(
        r"^\W|\W$", surface.replace(")", "a").replace("]", "a")
    )


class GraphBuilder:
    """Accumulates extractions into one graph. Deterministic for a given set of papers:
    node and edge attributes do not depend on the order papers are added in (ties in the
    choice of display names and first mentions are broken by content, not arrival)."""

    def __init__(self, canonical: Canonical | None = None, names: Mapping[str, str] | None = None):
        self.graph = nx.MultiDiGraph()
        # node id -> attribute dict: networkx's own dict behind graph.nodes (NodeView.get goes
        # through Mapping.get and __getitem__ on every call, a tenth of graph.add)
        self._nodes = self.graph._node
        # and its adjacency dicts: an edge is looked up and added without get_edge_data's and
        # add_edge's checks (both ends always exist by then), a fifth of graph.add
        self._succ, self._pred = self.graph._succ, self.graph._pred
        self._canonical = canonical or _identity
        self._names = names or {}
        self._surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        self._papers_of: dict[str, set[str]] = defaultdict(set)
        self._mentions: Counter[str] = Counter()

    # -- nodes -----------------------------------------------------------------------------
    def _add_node(self, node_id: str, label: str, display: str, **props) -> None:
        props = {k: v for k, v in props.items() if v is not None}
        node = self._nodes.get(node_id)
        if node is not None:
            node.update(props)
        else:
            self.graph.add_node(node_id, labels=f":{label}", label=display, id=node_id, **props)

    def _add_paper(self, paper: Paper) -> None:
        self._add_node(
            paper.id,
            schema.PAPER,
            _short(paper.title or paper.abstract),
            title=paper.title,
            abstract=paper.abstract,
            published=paper.published,
            url=paper.url,
            source=paper.sources[0].rsplit(":", 1)[0] if paper.sources else None,
            sources=list(paper.sources),
            authors=list(paper.authors),
            categories=list(paper.categories),
        )
        for i, name in enumerate(paper.authors):
            aid = author_id(name)
            self._add_node(aid, schema.AUTHOR, name, name=name)
            # Provenance of authorship: position in the author list, the name as written.
            self._add_edge(aid, paper.id, "WROTE", field="authors", sentence=i, start=0,
                           end=len(name), text=name, confidence=1.0, version="")

    # -- edges -----------------------------------------------------------------------------
    def _add_edge(self, u: str, v: str, rel: str, key: str | None = None, **props) -> None:
        key = key or rel
        nbrs = self._succ.get(u)
        keyed = nbrs.get(v) if nbrs is not None else None
        data = keyed.get(key) if keyed is not None else None  # the attribute dict itself
        if data is not None:
            # A None property counts as absent (as it is left out of a new edge's attributes).
            data["mentions"] += 1
            confidence = props.get("confidence")
            data["confidence"] = max(data["confidence"],
                                     float(confidence if confidence is not None else 0.0))
            # Keep the provenance of the first mention in reading order (field, then offset).
            if _position(props) < _position(data):
                props = {k: v for k, v in props.items() if v is not None}
                data.update({k: props[k] for k in ("field", "sentence", "start", "end", "text")})
            return
        props = {k: v for k, v in props.items() if v is not None}
        props["confidence"] = float(props.get("confidence", 1.0))
        if nbrs is None or v not in self._succ:
            self.graph.add_edge(u, v, key=key, label=rel, mentions=1, **props)
            return
        # what MultiDiGraph.add_edge stores, attributes in its order
        self._link(u, v, key, {"label": rel, "mentions": 1, **props}, nbrs, keyed)

    def _link(self, u: str, v: str, key: str, data: dict, nbrs: dict, keyed: dict | None) -> None:
        """Store a new edge's attribute dict in the adjacency dicts of two existing nodes
        (`nbrs`: u's successors, `keyed`: the u -> v edges by key, None when there are none)."""
        if keyed is not None:
            keyed[key] = data
        else:
            nbrs[v] = self._pred[v][u] = {key: data}

    # -- public ----------------------------------------------------------------------------
    def add(self, extraction: Extraction) -> None:
        """Add one paper with its mentions, claims, comparisons and code links."""
        paper, version = extraction.paper, extraction.version
        self._add_paper(paper)

        # One relationship per paper and entity: "proposed" anywhere in the paper wins.
        canonical = self._canonical
        keyed = [(canonical(m.key), m) for m in extraction.entities]  # once per mention
        role_of: dict[str, str] = {}
        for key, m in keyed:
            if key and m.role == "proposed":
                role_of[key] = "proposed"
            elif key:
                role_of.setdefault(key, "used")
        for key, m in sorted(keyed, key=_keyed_mention_order):
            if not key:
                continue
            self._add_entity_mention(paper.id, key, m, role_of[key], version)

        entity_nodes = {key for key, _ in keyed} - {""}
        claim_ids: list[str] = []
        for c in extraction.claims:
            cid = claim_id(paper.id, c.sentence)
            claim_ids.append(cid)
            self._add_node(cid, schema.CLAIM, _short(c.text), text=c.text, kind=c.kind,
                           confidence=float(c.confidence), paper=paper.id)
            prov = dict(field=c.field, sentence=c.sentence, start=c.start, end=c.end,
                        text=c.text, confidence=c.confidence, version=version)
            self._add_edge(paper.id, cid, "MAKES", **prov)
            for about in sorted({self._canonical(k) for k in c.about} & entity_nodes):
                self._add_edge(cid, about, "ABOUT", **prov)

        for comp in extraction.comparisons:
            method, baseline = self._canonical(comp.method), self._canonical(comp.baseline)
            if method == baseline or not (0 <= comp.claim < len(extraction.claims)):
                continue
            # both ends among this paper's own entities: whether the edge exists depends on
            # the paper alone, not on which papers came before it (see kg.graph.parts)
            if not (method in entity_nodes and baseline in entity_nodes
                    and _is_method(self.graph, method) and _is_method(self.graph, baseline)):
                continue
            c = extraction.claims[comp.claim]
            cid = claim_ids[comp.claim]
            self._add_edge(
                method, baseline, "OUTPERFORMS", key=f"OUTPERFORMS:{cid}", paper=paper.id,
                claim=cid,
                dataset=self._canonical(comp.dataset) if comp.dataset else None,
                metric=self._canonical(comp.metric) if comp.metric else None,
                field=c.field, sentence=c.sentence, start=c.start, end=c.end, text=c.text,
                confidence=comp.confidence, version=version,
            )

        for link in extraction.code:
            rid = repo_id(link.host, link.owner, link.name)
            self._add_node(rid, schema.REPOSITORY, f"{link.owner}/{link.name}", url=link.url)
            self._add_edge(paper.id, rid, "HAS_CODE", field=link.field, sentence=link.sentence,
                           start=link.start, end=link.end, text=link.url, confidence=1.0,
                           version=version)

    def _add_entity_mention(self, paper_id: str, key: str, m: Mention, role: str,
                            version: str) -> None:
        label = m.label
        rel = schema.MENTION_REL[(label, role)]
        if key not in self._nodes:  # _add_node without properties: only a new node changes
            self.graph.add_node(key, labels=f":{label}", label=m.text, id=key)
        self._surfaces[key][m.text] += 1
        self._papers_of[key].add(paper_id)
        self._mentions[key] += 1
        f, sentence, start, end, text, confidence = (m.field, m.sentence, m.start, m.end, m.text,
                                                     m.confidence)
        if None in (f, sentence, start, end, text, confidence, version):
            self._add_edge(paper_id, key, rel, field=f, sentence=sentence, start=start, end=end,
                           text=text, confidence=confidence, version=version)
            return
        # _add_edge for the commonest edge, without its keyword dicts (a mention's properties
        # are never None here, and both ends exist): a tenth of graph.add
        nbrs = self._succ[paper_id]
        keyed = nbrs.get(key)
        data = keyed.get(rel) if keyed is not None else None
        if data is not None:
            data["mentions"] += 1
            data["confidence"] = max(data["confidence"], float(confidence))
            if (f != "title", start, text) < _position(data):
                data.update(field=f, sentence=sentence, start=start, end=end, text=text)
            return
        data = {"label": rel, "mentions": 1, "field": f, "sentence": sentence, "start": start,
                "end": end, "text": text, "confidence": float(confidence), "version": version}
        self._link(paper_id, key, rel, data, nbrs, keyed)

    def finish(self) -> nx.MultiDiGraph:
        """Set entity aggregates and return the graph."""
        clear = getattr(nx, "_clear_cache", None)  # networkx >= 3.3 caches per graph
        if clear is not None:
            clear(self.graph)  # as add_edge would have (edges were added past it)
        for key, surfaces in self._surfaces.items():
            node = self.graph.nodes[key]
            node["name"] = self._names.get(key) or best_name(surfaces)
            node["label"] = node["name"]
            node["aliases"] = sorted(surfaces)
            node["paper_count"] = len(self._papers_of[key])
            node["mention_count"] = self._mentions[key]
        return self.graph


def best_name(surfaces: Counter[str]) -> str:
    """The most frequent well-formed surface form; ties go to the longer, then the smaller."""
    ranked = sorted(surfaces.items(), key=lambda kv: (not _well_formed(kv[0]), -kv[1], -len(kv[0]), kv[0]))
    return ranked[0][0]


def _position(props: Mapping) -> tuple:
    """Where a mention is in reading order; a missing or None property reads as its default."""
    start, text = props.get("start"), props.get("text")
    return (props.get("field") != "title", 0 if start is None else start,
            "" if text is None else text)


def _mention_order(m: Mention) -> tuple:
    return (m.field != "title", m.start, m.end, m.label, m.text)


def _keyed_mention_order(item: tuple[str, Mention]) -> tuple:
    return _mention_order(item[1])


def _is_method(graph: nx.MultiDiGraph, key: str) -> bool:
    return key in graph and graph.nodes[key].get("labels") == f":{schema.METHOD}"


def build_graph(extractions: Iterable[Extraction], canonical: Canonical | None = None,
                names: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """Build the graph from (already resolved) extractions in one call."""
    builder = GraphBuilder(canonical, names)
    for ex in extractions:
        builder.add(ex)
    return builder.finish()

