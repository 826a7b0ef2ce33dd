"""GraphML output, in the encoding DESIGN.md fixes.

Format: GraphML as networkx writes it. Node id = graph id; every node has `labels`
(``":Method"``, as APOC's ``apoc.import.graphml(…, {readLabels: true})`` reads it) and `label`
(display name, as Gephi and Cytoscape show it); every edge has `label` (the relationship type)
and its edge id is the networkx key. Types that survive: str, int, float, bool. Lists and dicts
are written as JSON text (``kg.graphio.read_graph`` decodes them again); None values are left out,
since GraphML has no null. The file is written atomically.

The writer streams: it writes the bytes ``networkx.write_graphml`` writes for the encoded graph
(same ``<key>`` ids and order, same indentation and escaping; ``tests/writers`` compares them)
without building networkx's copy of the graph and its tree of XML elements, which took most of
the time and the memory of writing a large graph.
"""

from __future__ import annotations

import json
import os
import re
from typing import IO, Any, Iterator

import networkx as nx

from kg import collector
from kg.atomic import atomic_write

#: GraphML's ``attr.type`` of each Python type, as networkx names them.
_XML_TYPE = {str: "string", int: "long", float: "double", bool: "boolean"}
_ENCODED = (list, tuple, dict, set)
_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


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


def _escape_text(text: str) -> str:
    # as xml.etree.ElementTree escapes character data
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_ATTR_SPECIAL = re.compile(r'[&<>"\r\n\t]').search


def _attr(text: str) -> str:
    """_escape_attr, with one scan for the usual case of nothing to escape."""
    return _escape_attr(text) if _ATTR_SPECIAL(text) else text


def _escape_attr(text: str) -> str:
    # as xml.etree.ElementTree escapes attribute values
    text = _escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _xml_type(t: type) -> str:
    try:
        return _XML_TYPE[t]
    except KeyError:
        raise nx.NetworkXError(f"GraphML writer does not support {t} as data values.") from None


class _Keys:
    """The ``<key>`` declarations: one id per (name, GraphML type, node|edge), numbered in
    order of first use, as networkx numbers them."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, type, str], str] = {}
        self.decl: list[str] = []
        # (name, Python type, scope) already looked at: the outcome depends on nothing else
        self._seen: set[tuple[str, type, str]] = set()
        # layouts (names and value types, in order) already looked at: most elements repeat
        # one, and a layout seen before declares nothing new
        self._layouts: set[tuple] = set()

    def scan(self, attrs: dict[str, Any], scope: str) -> None:
        layout = (scope, tuple(attrs), tuple(map(type, attrs.values())))
        if layout in self._layouts:
            return
        self._layouts.add(layout)
        ids, seen = self.ids, self._seen
        for k, v in attrs.items():
            raw = (k, type(v), scope)
            if raw in seen:
                continue
            seen.add(raw)
            if v is None:
                continue
            t = str if isinstance(v, _ENCODED) else type(v)
            if (k, t, scope) not in ids:
                xml_type = _xml_type(t)
                ids[(k, t, scope)] = kid = f"d{len(ids)}"
                self.decl.append(f'  <key id="{kid}" for="{scope}" attr.name="{_escape_attr(str(k))}"'
                                 f' attr.type="{xml_type}" />\n')


def _tags(ids: dict, indent: str) -> dict:
    """(name, type) → (opening tag, empty element) of the ``<data>`` lines of one scope, made
    once per key rather than formatted for every value."""
    return {kt: (f'{indent}<data key="{kid}">', f'{indent}<data key="{kid}" />\n')
            for kt, kid in ids.items()}


def _rows(attrs: dict[str, Any], tags: dict) -> str:
    """The ``<data>`` lines of one element (`tags`: see :func:`_tags`, for its scope), value by
    value: the general case, for what :class:`_Rows` leaves to it."""
    rows = []
    for k, v in attrs.items():
        t = type(v)
        if t is int or t is float:  # never empty, nothing to escape
            rows.append(tags[(k, t)][0] + str(v) + "</data>\n")
            continue
        if v is None:
            continue
        if t is str:
            text = v
        elif isinstance(v, _ENCODED):
            text, t = encode_value(v), str
        else:
            text = str(v)
        opening, empty = tags[(k, t)]
        if text:
            if "&" in text or "<" in text or ">" in text:
                text = _escape_text(text)
            rows.append(opening + text + "</data>\n")
        else:
            rows.append(empty)
    return "".join(rows)


class _Template:
    """The ``<data>`` lines of every element whose attributes have one layout (names and value
    types, in order) as one format string: a large graph has a few dozen layouts and ~10
    values per element, and one ``str.format`` call replaces a Python loop over the values."""

    __slots__ = ("fmt", "plain", "encoded", "texts")

    def __init__(self, names: tuple, types: tuple, tags: dict) -> None:
        fmt, kept, self.encoded, self.texts = [], [], [], []
        for name, t in zip(names, types):
            if t is type(None):
                continue  # no <data> line; the value is left out of the arguments
            if issubclass(t, _ENCODED):  # as _Keys and _rows decide, by isinstance
                self.encoded.append(len(kept))
                t = str
            if t is str:
                self.texts.append(len(kept))
            kept.append(name)
            fmt.append(tags[(name, t)][0].replace("{", "{{").replace("}", "}}") + "{}</data>\n")
        self.fmt = "".join(fmt)
        self.plain = len(kept) == len(names) and not self.encoded  # values usable as they are


class _Rows:
    """:func:`_rows` for one scope, through a :class:`_Template` per layout; values that need
    escaping or an empty element (rare) take the general path."""

    def __init__(self, tags: dict) -> None:
        self.tags = tags
        self.templates: dict[tuple, _Template] = {}

    def __call__(self, attrs: dict[str, Any]) -> str:
        values = attrs.values()
        layout = (tuple(attrs), tuple(map(type, values)))
        template = self.templates.get(layout)
        if template is None:
            template = self.templates[layout] = _Template(*layout, self.tags)
        if template.plain:
            args = tuple(values)
        else:
            args = [v for v in values if v is not None]
            for i in template.encoded:
                args[i] = encode_value(args[i])
        texts = [args[i] for i in template.texts]
        joined = "".join(texts)
        if "&" in joined or "<" in joined or ">" in joined or "" in texts:
            return _rows(attrs, self.tags)
        return template.fmt.format(*args)


def _write_stream(graph: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write `graph` as GraphML to the binary file `fh`, element by element."""
    # networkx's own dicts, in the order of graph.nodes(data=True) and graph.edges(keys=True,
    # data=True): the views' generators cost a tenth of the writing
    nodes, adjacency = graph._node, graph._adj
    keys = _Keys()
    for d in nodes.values():
        keys.scan(d, "node")
    for nbrs in adjacency.values():
        for keyed in nbrs.values():
            for d in keyed.values():
                keys.scan(d, "edge")
    node_rows = _Rows(_tags({(k, t): kid for (k, t, scope), kid in keys.ids.items()
                             if scope == "node"}, "      "))
    edge_rows = _Rows(_tags({(k, t): kid for (k, t, scope), kid in keys.ids.items()
                             if scope == "edge"}, "      "))

    def elements() -> Iterator[str]:
        for n, d in nodes.items():
            yield _element(f'    <node id="{_attr(str(n))}"', "node", node_rows(d))
        for u, nbrs in adjacency.items():
            source = f'    <edge source="{_attr(str(u))}"'
            for v, keyed in nbrs.items():
                pair = f'{source} target="{_attr(str(v))}"'
                for key, d in keyed.items():
                    yield _element(f'{pair} id="{_attr(str(key))}"', "edge", edge_rows(d))

    buf: list[str] = [_HEADER, *reversed(keys.decl)]
    buf.append('  <graph edgedefault="directed">\n')  # always: the graph is a MultiDiGraph
    for count, element in enumerate(elements(), 1):
        buf.append(element)
        if count % 4096 == 0:
            fh.write("".join(buf).encode("utf-8", "xmlcharrefreplace"))
            buf = []
    buf.append("  </graph>\n</graphml>\n")
    fh.write("".join(buf).encode("utf-8", "xmlcharrefreplace"))


def _element(head: str, tag: str, rows: str) -> str:
    """One node or edge: `head` opens it; empty elements close themselves."""
    if rows:
        return f"{head}>\n{rows}    </{tag}>\n"
    return head + " />\n"


class ElementRenderer:
    """Renders node and edge elements one at a time, in the bytes :func:`write_graphml` writes
    for them, declaring each ``<key>`` when it is first used (numbered in that order). For files
    written element by element (:mod:`kg.graphml_build`), whose ``<key>`` lines are
    only known at the end: :meth:`header` then gives the file's opening.

    `declared`: the key table of an earlier renderer (:attr:`declared`), to render elements
    that fit beside the ones it rendered."""

    def __init__(self, declared: tuple[dict, list[str]] | None = None) -> None:
        self._keys = _Keys()
        if declared is not None:
            ids, decl = declared
            self._keys.ids.update(ids)
            self._keys.decl.extend(decl)
        self._tags: dict[str, dict] = {"node": {}, "edge": {}}
        self._rows = {scope: _Rows(tags) for scope, tags in self._tags.items()}
        self._refresh()

    def declare(self, name: str, python_type: type, scope: str) -> None:
        """Declare a key before its first use (a no-op for one declared already)."""
        if (name, python_type, scope) not in self._keys.ids:
            self._keys.scan({name: python_type()}, scope)
            self._refresh()

    @property
    def declared(self) -> tuple[dict, list[str]]:
        """The key table so far: ids by (name, type, scope), and the declaration lines."""
        return dict(self._keys.ids), list(self._keys.decl)

    def _refresh(self) -> None:
        for (k, t, scope), kid in self._keys.ids.items():
            tags = self._tags[scope]
            if (k, t) not in tags:
                tags.update(_tags({(k, t): kid}, "      "))

    def _rows_of(self, attrs: dict[str, Any], scope: str) -> str:
        count = len(self._keys.ids)
        self._keys.scan(attrs, scope)
        if len(self._keys.ids) != count:
            self._refresh()
        return self._rows[scope](attrs)

    def node(self, node_id: Any, attrs: dict[str, Any]) -> str:
        """One ``<node>`` element."""
        return _element(f'    <node id="{_attr(str(node_id))}"', "node", self._rows_of(attrs, "node"))

    def edge(self, u: Any, v: Any, key: Any, attrs: dict[str, Any]) -> str:
        """One ``<edge>`` element."""
        head = f'    <edge source="{_attr(str(u))}" target="{_attr(str(v))}" id="{_attr(str(key))}"'
        return _element(head, "edge", self._rows_of(attrs, "edge"))

    def header(self) -> str:
        """The file up to the first element: the XML declaration, every key, ``<graph>``."""
        return "".join([_HEADER, *reversed(self._keys.decl),
                        '  <graph edgedefault="directed">\n'])

    #: What follows the last element.
    FOOTER = "  </graph>\n</graphml>\n"


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike | IO[bytes]) -> None:
    """Write `graph` as GraphML to a path (atomically) or an open binary file."""
    if not (graph.is_multigraph() and graph.is_directed()):
        graph = nx.MultiDiGraph(graph)
    # The collector off meanwhile: writing makes only acyclic garbage (lists of lines, freed
    # by reference counting), and each collection would walk the whole graph again.
    with collector.paused():
        if hasattr(path, "write"):
            _write_stream(graph, path)
            return
        with atomic_write(path, "wb") as fh:
            _write_stream(graph, fh)
