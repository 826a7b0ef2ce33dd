"""Write a paperkg graph into Neo4j: schema first, then nodes, then relationships.

Every write is an `UNWIND $rows … MERGE` over one batch, run in a managed transaction
(`execute_write`, which the driver retries on transient errors). Labels and relationship types
in the statements come from :mod:`kg.graph.schema`, never from the data; the data only ever
travels as parameters. This module holds all the Cypher the loader sends.

Identity: a node is its `id`; a relationship is (start, type, end), except OUTPERFORMS, which
is one relationship per claim (`claim` property). So loading twice changes no count
(idempotent), loading a graph of new papers adds only what is new (incremental), and a load
cut off mid-way can simply be run again (recoverable). After the relationships, the
`paper_count` and `mention_count` of every entity the load touched are recomputed from the
database, so they count papers loaded earlier too. List properties (`aliases`, `sources`) are
merged with what the database holds; other properties take the loaded value, and a property
the loaded graph does not carry keeps its stored value.

What survives: str, int, float and bool properties and homogeneous lists of them; None
properties (and None list items) are dropped; mixed lists and dicts are stored as JSON text.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx
import neo4j

from kg.errors import GraphError, Neo4jError
from kg.graph.schema import (AUTHOR, CLAIM, ENTITY_LABELS, NODE_LABELS, PAPER, RELATIONSHIPS,
                             REL_TYPES, REPOSITORY)
from kg.neo4j.library import schema_statements
from kg.neo4j.settings import Settings, connect

T = TypeVar("T")

DEFAULT_BATCH_SIZE = 5000

# The properties of each label and relationship type (DESIGN.md). They travel as flat keys of
# a row and are written by explicit SET clauses: the server handles that several times faster
# than a nested property map per row. Properties outside these lists (a newer builder's) travel
# in `row.extra` and are written with `SET … += row.extra`, only in batches that have some.
_ENTITY_PROPERTIES = ("label", "name")
NODE_PROPERTIES: dict[str, tuple[str, ...]] = {
    PAPER: ("label", "title", "abstract", "published", "url", "source", "authors", "categories"),
    **{label: _ENTITY_PROPERTIES for label in ENTITY_LABELS},
    CLAIM: ("label", "text", "kind", "confidence", "paper"),
    REPOSITORY: ("label", "url"),
    AUTHOR: ("label", "name"),
}
PROVENANCE = ("field", "sentence", "start", "end", "text", "mentions", "confidence", "version")
REL_PROPERTIES: dict[str, tuple[str, ...]] = {
    rel: PROVENANCE + (("paper", "dataset", "metric") if rel == "OUTPERFORMS" else ()) for rel in REL_TYPES
}
# List properties merged with the stored list instead of replaced (an incremental load of new
# papers sees only part of an entity's aliases, a paper read again only its new source).
UNION_LIST: dict[str, str] = {PAPER: "sources", **{label: "aliases" for label in ENTITY_LABELS}}
UNION_LISTS = ("aliases", "sources")
# Recomputed from the database after every load (they count papers loaded earlier too).
DERIVED = ("paper_count", "mention_count")
# Row keys that are not properties.
_NODE_KEYS = ("id", "extra")
_REL_KEYS = ("from_id", "to_id", "claim", "extra")


def _set(var: str, keys: tuple[str, ...]) -> str:
    # A property the row does not carry keeps its stored value (as `SET += map` would).
    return "SET " + ",\n    ".join(f"{var}.{k} = coalesce(row.{k}, {var}.{k})" for k in keys)


def _node_statement(label: str, extra: bool) -> str:
    lines = ["UNWIND $rows AS row", f"MERGE (n:{label} {{id: row.id}})"]
    if label in UNION_LIST:
        u = UNION_LIST[label]
        lines += [
            f"ON CREATE SET n.{u} = row.{u}",
            f"ON MATCH SET n.{u} = CASE WHEN row.{u} IS NULL THEN n.{u}",
            f"    ELSE coalesce(n.{u}, []) + [x IN row.{u} WHERE NOT x IN coalesce(n.{u}, [])] END",
        ]
    lines.append(_set("n", NODE_PROPERTIES[label]))
    if extra:
        lines.append("SET n += coalesce(row.extra, {})")
    return "\n".join(lines)


def _rel_statement(rel: str, start: str, end: str, extra: bool) -> str:
    # One OUTPERFORMS per comparative claim: two claims can state the same pair of methods.
    identity = " {claim: row.claim}" if rel == "OUTPERFORMS" else ""
    lines = [
        "UNWIND $rows AS row",
        f"MATCH (a:{start} {{id: row.from_id}})",
        f"MATCH (b:{end} {{id: row.to_id}})",
        f"MERGE (a)-[r:{rel}{identity}]->(b)",
        _set("r", REL_PROPERTIES[rel]),
    ]
    if extra:
        lines.append("SET r += coalesce(row.extra, {})")
    return "\n".join(lines)


_ENTITY_COUNTS = """
UNWIND $ids AS id
MATCH (e:{label} {{id: id}})
OPTIONAL MATCH (p:Paper)-[r]->(e)
WITH e, count(DISTINCT p) AS papers,
     sum(CASE WHEN r IS NULL THEN 0 ELSE coalesce(r.mentions, 1) END) AS mentions
SET e.paper_count = papers, e.mention_count = mentions
"""

_GROUPS = [(rel, start, end) for rel, (starts, ends) in RELATIONSHIPS.items() for start in starts for end in ends]
NODE_STATEMENTS: dict[str, str] = {label: _node_statement(label, False) for label in NODE_LABELS}
NODE_STATEMENTS_EXTRA: dict[str, str] = {label: _node_statement(label, True) for label in NODE_LABELS}
REL_STATEMENTS: dict[tuple[str, str, str], str] = {g: _rel_statement(*g, False) for g in _GROUPS}
REL_STATEMENTS_EXTRA: dict[tuple[str, str, str], str] = {g: _rel_statement(*g, True) for g in _GROUPS}
COUNT_STATEMENTS: dict[str, str] = {label: _ENTITY_COUNTS.format(label=label) for label in ENTITY_LABELS}


def prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Iterate `items` in a background thread, `depth` ahead: the next batch's rows are built
    while the server works on the current one (the driver releases the GIL while it waits)."""
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        buffer.put((None, item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put((None, done))
        except BaseException as exc:  # handed to the consumer, raised there
            buffer.put((exc, None))

    thread = threading.Thread(target=produce, name="kg-neo4j-rows", daemon=True)
    thread.start()
    try:
        while True:
            error, item = buffer.get()
            if error is not None:
                raise error
            if item is done:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield lists of `size` items (the last one shorter); nothing for an empty input."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class LoadReport:
    """What a load sent and what the server says it changed."""

    batch_size: int
    nodes: Counter = field(default_factory=Counter)  # rows sent, by label
    relationships: Counter = field(default_factory=Counter)  # rows sent, by type
    batches: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: schema, nodes, relationships, counts

    def add(self, counters: neo4j.SummaryCounters) -> None:
        self.nodes_created += counters.nodes_created
        self.relationships_created += counters.relationships_created
        self.properties_set += counters.properties_set

    def lines(self) -> list[str]:
        """A human summary, one line per fact."""
        return [
            f"nodes: {sum(self.nodes.values())} ({self.nodes_created} new)  "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.nodes.items())),
            f"relationships: {sum(self.relationships.values())} ({self.relationships_created} new)  "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.relationships.items())),
            f"{self.batches} batches of up to {self.batch_size} rows in {self.seconds:.1f}s ("
            + ", ".join(f"{k} {v:.1f}s" for k, v in self.phases.items())
            + ")",
        ]


class LoadInterrupted(Neo4jError):
    """A load stopped part-way; `report` says what was written before the failing batch."""

    def __init__(self, step: str, batch: int, total: int, report: LoadReport, cause: Exception) -> None:
        self.step, self.batch, self.total, self.report = step, batch, total, report
        reason = getattr(cause, "message", None) or str(cause) or type(cause).__name__
        super().__init__(
            f"load stopped at batch {batch} of {total} ({step}): {type(cause).__name__}: {reason}. "
            f"Written before it: {report.batches} batches, {sum(report.nodes.values())} node rows, "
            f"{sum(report.relationships.values())} relationship rows (batch {batch} itself may or may "
            f"not have been committed). Run the same load again to complete it: every write is a "
            f"MERGE, so nothing is doubled."
        )


# ---------------------------------------------------------------------------------------------
# graph -> rows


def _value(value: Any) -> Any:
    """A property value Neo4j can store, or None to drop it."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [v for v in value if v is not None]
        kinds = {type(v) for v in items}
        if kinds <= {str} or kinds <= {bool} or kinds <= {int} or kinds <= {int, float}:
            return [float(v) for v in items] if kinds == {int, float} else list(items)
        return json.dumps(items, ensure_ascii=False, default=str)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _props(attrs: dict[str, Any], skip: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for key, value in attrs.items():
        if key in skip:
            continue
        value = _value(value)
        if value is not None:
            out[key] = value
    return out


def node_label(node: Any, attrs: dict[str, Any]) -> str:
    """The schema label of a node from its `labels` attribute (`":Method"`)."""
    names = [part for part in str(attrs.get("labels") or "").split(":") if part]
    known = [name for name in names if name in NODE_LABELS]
    if len(known) != 1:
        raise GraphError(
            f"node {node!r} has labels {attrs.get('labels')!r}: expected one of {', '.join(NODE_LABELS)}"
        )
    return known[0]


def node_row(label: str, node: Any, attrs: dict[str, Any]) -> dict[str, Any]:
    """The parameter row of one node: `id`, its schema properties as flat keys (None left
    out), the union list, and `extra` for properties outside the schema (if any)."""
    row: dict[str, Any] = {"id": str(node)}
    known = NODE_PROPERTIES[label]
    union = UNION_LIST.get(label)
    extra: dict[str, Any] = {}
    for key, value in attrs.items():
        if key in ("labels", "id", *DERIVED):
            continue
        value = _value(value)
        if value is None:
            continue
        if key in known:
            row[key] = value
        elif key == union:
            row[key] = value if isinstance(value, list) else [value]
        else:
            extra[key] = value
    if extra:
        row["extra"] = extra
    return row


def rel_type(u: Any, v: Any, key: Any, attrs: dict[str, Any]) -> str:
    """The relationship type of an edge: its `label` attribute, else its key's prefix."""
    rel = attrs.get("label") or str(key).split(":", 1)[0]
    if rel not in REL_TYPES:
        raise GraphError(f"edge {u!r} -> {v!r} has type {rel!r}: expected one of {', '.join(REL_TYPES)}")
    return rel


def rel_row(rel: str, u: Any, v: Any, key: Any, attrs: dict[str, Any]) -> dict[str, Any]:
    """The parameter row of one edge: `from_id`, `to_id`, its schema properties as flat keys,
    `claim` (OUTPERFORMS identity) and `extra` for properties outside the schema (if any)."""
    row: dict[str, Any] = {"from_id": str(u), "to_id": str(v)}
    known = REL_PROPERTIES[rel]
    extra: dict[str, Any] = {}
    for name, value in attrs.items():
        if name == "label":
            continue
        value = _value(value)
        if value is None:
            continue
        if name in known:
            row[name] = value
        elif name != "claim":
            extra[name] = value
    if rel == "OUTPERFORMS":
        claim = attrs.get("claim") or str(key).partition(":")[2]
        if not claim:
            raise GraphError(f"OUTPERFORMS edge {u!r} -> {v!r} names no claim")
        row["claim"] = str(claim)
    elif attrs.get("claim") is not None:
        extra["claim"] = _value(attrs["claim"])
    if extra:
        row["extra"] = extra
    return row


Edge = tuple[Any, Any, Any, dict[str, Any]]


def group_nodes(graph: nx.MultiDiGraph) -> dict[str, list[tuple[Any, dict[str, Any]]]]:
    """The graph's nodes by schema label (references, not copies)."""
    groups: dict[str, list[tuple[Any, dict[str, Any]]]] = defaultdict(list)
    for node, attrs in graph.nodes(data=True):
        groups[node_label(node, attrs)].append((node, attrs))
    return groups


def group_edges(graph: nx.MultiDiGraph, labels: dict[Any, str]) -> dict[tuple[str, str, str], list[Edge]]:
    """The graph's edges by (type, start label, end label), each checked against the schema."""
    groups: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        rel = rel_type(u, v, key, attrs)
        group = (rel, labels[u], labels[v])
        if group not in REL_STATEMENTS:
            starts, ends = RELATIONSHIPS[rel]
            raise GraphError(
                f"edge {u!r} -[{rel}]-> {v!r} joins {labels[u]} to {labels[v]}: "
                f"{rel} goes from {'|'.join(starts)} to {'|'.join(ends)}"
            )
        groups[group].append((u, v, key, attrs))
    return groups


# ---------------------------------------------------------------------------------------------
# writing


_PHASE = {"node": "nodes", "rel": "relationships", "count": "counts"}


def _write(tx: neo4j.ManagedTransaction, statement: str, params: dict[str, Any]) -> neo4j.SummaryCounters:
    return tx.run(statement, params).consume().counters


def create_schema(driver: neo4j.Driver, database: str | None = None) -> None:
    """Run `cypher/schema.cypher` (constraints and indexes, all `IF NOT EXISTS`) and wait for it."""
    with driver.session(database=database) as session:
        for statement in schema_statements():
            session.run(statement).consume()
        # A full-text index is built in the background; queries right after a load need it.
        session.run("CALL db.awaitIndexes(300)").consume()


def write_graph(
    graph: nx.MultiDiGraph,
    settings: Settings,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[int, int], None] | None = None,
    driver: neo4j.Driver | None = None,
) -> LoadReport:
    """Load `graph` into the database of `settings`; return what was sent and created.

    `on_batch(done, total)` is called after each batch (progress bars). Raises
    :class:`LoadInterrupted` naming the failing batch when a write fails for good.
    """
    started = time.perf_counter()
    # Check the whole graph against the schema before the first write; keep references only,
    # and build each batch's rows just before it is sent (a 1M-edge graph is not copied).
    nodes = group_nodes(graph)
    labels = {node: label for label, members in nodes.items() for node, _ in members}
    edges = group_edges(graph, labels)

    def steps() -> Iterator[tuple[str, str, str, list[Any]]]:  # (kind, what, statement, params rows)
        for label in NODE_LABELS:
            for batch in batched(nodes.get(label, []), batch_size):
                rows = [node_row(label, n, a) for n, a in batch]
                extra = any("extra" in row for row in rows)
                yield "node", label, (NODE_STATEMENTS_EXTRA if extra else NODE_STATEMENTS)[label], rows
        for group in REL_STATEMENTS:
            for batch in batched(edges.get(group, []), batch_size):
                rows = [rel_row(group[0], *edge) for edge in batch]
                extra = any("extra" in row for row in rows)
                yield "rel", group[0], (REL_STATEMENTS_EXTRA if extra else REL_STATEMENTS)[group], rows
        for label in ENTITY_LABELS:
            for batch in batched(nodes.get(label, []), batch_size):
                yield "count", label, COUNT_STATEMENTS[label], [str(n) for n, _ in batch]

    def n_batches(size: int) -> int:
        return -(-size // batch_size)

    total = 1 + sum(n_batches(len(m)) for m in nodes.values()) + sum(n_batches(len(m)) for m in edges.values())
    total += sum(n_batches(len(nodes.get(label, []))) for label in ENTITY_LABELS)

    report = LoadReport(batch_size=batch_size)
    own_driver = driver is None
    driver = driver or connect(settings)
    try:
        mark = time.perf_counter()
        try:
            create_schema(driver, settings.database)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            raise LoadInterrupted("schema from cypher/schema.cypher", 1, total, report, exc) from exc
        report.phases["schema"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with driver.session(database=settings.database) as session:
            offsets: Counter = Counter()
            for number, (kind, what, statement, rows) in enumerate(prefetched(steps()), start=2):
                params = {"ids": rows} if kind == "count" else {"rows": rows}
                try:
                    counters = session.execute_write(_write, statement, params)
                except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
                    first = offsets[(kind, what)] + 1
                    noun = {"node": f"{what} nodes", "rel": f"{what} relationships", "count": f"{what} counts"}[kind]
                    step = f"{noun}, rows {first}-{first + len(rows) - 1}"
                    raise LoadInterrupted(step, number, total, report, exc) from exc
                offsets[(kind, what)] += len(rows)
                report.add(counters)
                report.batches += 1
                if kind == "node":
                    report.nodes[what] += len(rows)
                elif kind == "rel":
                    report.relationships[what] += len(rows)
                now = time.perf_counter()
                phase = _PHASE[kind]
                report.phases[phase] = report.phases.get(phase, 0.0) + now - mark
                mark = now
                if on_batch:
                    on_batch(number, total)
            # Queries right after a load see every node in the (eventually consistent) full-text index.
            try:
                session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
                raise LoadInterrupted("full-text index refresh", total, total, report, exc) from exc
    finally:
        if own_driver:
            driver.close()
    report.seconds = time.perf_counter() - started
    return report
