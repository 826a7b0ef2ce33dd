"""Write a paperkg graph into Neo4j: schema first, then nodes, then relationships.

Every write is an `UNWIND $rows …` over one batch, run in a managed transaction
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

Speed: rows travel as lists in a fixed column order (the server decodes a list several times
faster than a map with the same values), and what is new is written with CREATE instead of
MERGE. Each node batch first asks which of its ids exist (in the same transaction): the others
are created, and the ids this load created are remembered. A relationship with an end that
this load created cannot exist yet (a new node has no relationships, and each edge of the
graph is sent once), so it is created too; every other relationship is merged. A re-run after
a cut-off finds the nodes of the first run in the database, so it merges their relationships
and doubles nothing, even for a batch whose commit the cut-off left unconfirmed. (Two loads of
overlapping graphs must not run into one database at the same time: the second could merge a
relationship the first is about to create.) Every node batch returns the element ids of its
nodes, and relationships find their ends by element id, a direct record lookup instead of a
seek in the `id` index. Each relationship statement counts the rows whose ends it found, and
a batch with fewer is rolled back with :class:`EndNodesGone` (nodes of this load were deleted
while it ran): no relationship is dropped silently. An element id names a node only while it
exists, so a deleted node whose id Neo4j gave to a node created meanwhile by someone else would
be connected instead; loads assume nobody deletes nodes while they run. Two transactions are in flight at once (`writers`), so that the
server executes one batch while it commits the other; parallel edges between the same two nodes
never straddle two batches, so no two transactions merge the same relationship.

What survives: str, int, float and bool properties and homogeneous lists of them; None
properties (and None list items) are dropped; mixed lists and dicts are stored as JSON text.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from collections import Counter, defaultdict, deque
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
# Transactions in flight at once: the server commits one while it executes the next.
DEFAULT_WRITERS = 2

# The properties of each label and relationship type (DESIGN.md), written by explicit SET
# clauses or CREATE maps. Properties outside these lists (a newer builder's) travel in an
# `extra` map in the last column and are written with `SET … += extra`, only in batches that
# have some.
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

# The columns of a parameter row, in order; a row with properties outside the schema has one
# more column, the `extra` map.
NODE_COLUMNS: dict[str, tuple[str, ...]] = {
    label: ("id", *NODE_PROPERTIES[label], *((UNION_LIST[label],) if label in UNION_LIST else ()))
    for label in NODE_LABELS
}
REL_COLUMNS: dict[str, tuple[str, ...]] = {
    rel: ("from_id", "to_id", *REL_PROPERTIES[rel], *(("claim",) if rel == "OUTPERFORMS" else ()))
    for rel in REL_TYPES
}


def _col(columns: tuple[str, ...], name: str) -> str:
    return f"row[{columns.index(name)}]"


def _extra(var: str, columns: tuple[str, ...]) -> str:
    return f"SET {var} += coalesce(row[{len(columns)}], {{}})"


# The element id of every node a batch writes, for the relationship phase's lookups.
_ELEMENTS = "RETURN collect([n.id, elementId(n)]) AS elements"


def _create_node_statement(label: str, extra: bool) -> str:
    columns = NODE_COLUMNS[label]
    # A null in a CREATE map sets nothing, as the property is left out.
    props = ", ".join(f"{name}: row[{i}]" for i, name in enumerate(columns))
    lines = ["UNWIND $rows AS row", f"CREATE (n:{label} {{{props}}})"]
    if extra:
        lines.append(_extra("n", columns))
    lines.append(_ELEMENTS)
    return "\n".join(lines)



def _merge_node_statement(label: str, extra: bool) -> str:
    columns = NODE_COLUMNS[label]
    known = NODE_PROPERTIES[label]
    on_create = [f"n.{k} = {_col(columns, k)}" for k in known]
    # A property the row does not carry keeps its stored value (as `SET += map` would).
    on_match = [f"n.{k} = coalesce({_col(columns, k)}, n.{k})" for k in known]
    if label in UNION_LIST:
        u = UNION_LIST[label]
        c = _col(columns, u)
        on_create.append(f"n.{u} = {c}")
        on_match.append(f"n.{u} = CASE WHEN {c} IS NULL THEN n.{u}\n"
                        f"    ELSE coalesce(n.{u}, []) + [x IN {c} WHERE NOT x IN coalesce(n.{u}, [])] END")
    lines = [
        "UNWIND $rows AS row",
        f"MERGE (n:{label} {{id: row[0]}})",
        "ON CREATE SET " + ",\n    ".join(on_create),
        "ON MATCH SET " + ",\n    ".join(on_match),
    ]
    if extra:
        lines.append(_extra("n", columns))
    return "\n".join(lines)


def _existing_statement(label: str) -> str:
    return f"UNWIND $ids AS id\nMATCH (n:{label} {{id: id}})\n{_ELEMENTS}"


# Rows whose two end nodes were found: a row whose end is gone would otherwise vanish silently.
_WRITTEN = "RETURN count(*) AS written"


def _rel_match() -> list[str]:
    # The ends are found by the element ids the node phase of this load returned: a direct
    # record lookup, where a seek in the `id` constraint's index cost a third of the
    # relationship phase. The labels were checked on the client (group_edges), and a node
    # keeps its element id while it exists.
    return ["UNWIND $rows AS row", "MATCH (a) WHERE elementId(a) = row[0]",
            "MATCH (b) WHERE elementId(b) = row[1]"]


def _create_rel_statement(rel: str, extra: bool) -> str:
    columns = REL_COLUMNS[rel]
    props = ", ".join(f"{name}: row[{i}]" for i, name in enumerate(columns) if i >= 2)
    lines = [*_rel_match(), f"CREATE (a)-[r:{rel} {{{props}}}]->(b)"]
    if extra:
        lines.append(_extra("r", columns))
    lines.append(_WRITTEN)
    return "\n".join(lines)


def _merge_rel_statement(rel: str, extra: bool) -> str:
    columns = REL_COLUMNS[rel]
    # One OUTPERFORMS per comparative claim: two claims can state the same pair of methods.
    identity = f" {{claim: {_col(columns, 'claim')}}}" if rel == "OUTPERFORMS" else ""
    known = REL_PROPERTIES[rel]
    lines = [
        *_rel_match(),
        f"MERGE (a)-[r:{rel}{identity}]->(b)",
        "ON CREATE SET " + ", ".join(f"r.{k} = {_col(columns, k)}" for k in known),
        "ON MATCH SET " + ",\n    ".join(f"r.{k} = coalesce({_col(columns, k)}, r.{k})" for k in known),
    ]
    if extra:
        lines.append(_extra("r", columns))
    lines.append(_WRITTEN)
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
# Statements by label or (type, start label, end label), then by "has an extra column".
EXISTING_STATEMENTS: dict[str, str] = {label: _existing_statement(label) for label in NODE_LABELS}
CREATE_NODE_STATEMENTS: dict[str, dict[bool, str]] = {
    label: {x: _create_node_statement(label, x) for x in (False, True)} for label in NODE_LABELS}
MERGE_NODE_STATEMENTS: dict[str, dict[bool, str]] = {
    label: {x: _merge_node_statement(label, x) for x in (False, True)} for label in NODE_LABELS}
CREATE_REL_STATEMENTS: dict[tuple[str, str, str], dict[bool, str]] = {
    g: {x: _create_rel_statement(g[0], x) for x in (False, True)} for g in _GROUPS}
MERGE_REL_STATEMENTS: dict[tuple[str, str, str], dict[bool, str]] = {
    g: {x: _merge_rel_statement(g[0], x) for x in (False, True)} for g in _GROUPS}
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


def batched(items: Iterable[T], size: int, same: Callable[[T, T], bool] | None = None) -> Iterator[list[T]]:
    """Yield lists of `size` items (the last one shorter); nothing for an empty input. With
    `same`, a batch grows past `size` while the next item is `same` as its last one, so a run of
    such items is never split."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    batch: list[T] = []
    for item in items:
        if len(batch) >= size and not (same is not None and same(batch[-1], item)):
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


@dataclass
class LoadReport:
    """What a load sent and what the server says it changed."""

    batch_size: int
    writers: int = 1  # transactions in flight at once
    nodes: Counter = field(default_factory=Counter)  # rows sent, by label
    relationships: Counter = field(default_factory=Counter)  # rows sent, by type
    batches: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    # Rows written with CREATE (new nodes; relationships with an end this load created); the
    # other rows were merged.
    created_directly: Counter = field(default_factory=Counter)  # "nodes", "relationships"
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
            f"{self.batches} batches of up to {self.batch_size} rows, {self.writers} in flight, "
            f"in {self.seconds:.1f}s ("
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
            f"not have been committed). Run the same load again to complete it: it merges what is "
            f"already there, so nothing is doubled."
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


def node_label(node: Any, attrs: dict[str, Any]) -> str:
    """The schema label of a node from its `labels` attribute (`":Method"`)."""
    names = [part for part in str(attrs.get("labels") or "").split(":") if part]
    known = [name for name in names if name in NODE_LABELS]
    if len(known) != 1:
        raise GraphError(
            f"node {node!r} has labels {attrs.get('labels')!r}: expected one of {', '.join(NODE_LABELS)}"
        )
    return known[0]


_NODE_INDEX = {label: {name: i for i, name in enumerate(columns)} for label, columns in NODE_COLUMNS.items()}
_REL_INDEX = {rel: {name: i for i, name in enumerate(columns)} for rel, columns in REL_COLUMNS.items()}
_NODE_SKIP = frozenset(("labels", "id", *DERIVED))


def node_row(label: str, node: Any, attrs: dict[str, Any]) -> list[Any]:
    """The parameter row of one node, in the order of `NODE_COLUMNS[label]` (None where the
    node has no value), plus an `extra` map for properties outside the schema (if any)."""
    index = _NODE_INDEX[label]
    row: list[Any] = [None] * len(index)
    row[0] = str(node)
    union = UNION_LIST.get(label)
    extra: dict[str, Any] = {}
    for key, value in attrs.items():
        if key in _NODE_SKIP:
            continue
        value = _value(value)
        if value is None:
            continue
        if key == union:
            row[index[key]] = value if isinstance(value, list) else [value]
        elif key in index:
            row[index[key]] = value
        else:
            extra[key] = value
    if extra:
        row.append(extra)
    return row


def rel_type(u: Any, v: Any, key: Any, attrs: dict[str, Any]) -> str:
    """The relationship type of an edge: its `label` attribute, else its key's prefix."""
    rel = attrs.get("label") or str(key).split(":", 1)[0]
    if rel not in REL_TYPES:
        raise GraphError(f"edge {u!r} -> {v!r} has type {rel!r}: expected one of {', '.join(REL_TYPES)}")
    return rel


def rel_row(rel: str, u: Any, v: Any, key: Any, attrs: dict[str, Any]) -> list[Any]:
    """The parameter row of one edge, in the order of `REL_COLUMNS[rel]` (`from_id`, `to_id`,
    its schema properties, `claim` for OUTPERFORMS), plus an `extra` map for properties outside
    the schema (if any)."""
    index = _REL_INDEX[rel]
    row: list[Any] = [None] * len(index)
    row[0], row[1] = str(u), str(v)
    extra: dict[str, Any] = {}
    for name, value in attrs.items():
        if name == "label" or name == "claim":
            continue
        value = _value(value)
        if value is None:
            continue
        position = index.get(name)
        if position is not None and position >= 2:
            row[position] = value
        else:
            extra[name] = value
    if rel == "OUTPERFORMS":
        claim = attrs.get("claim") or str(key).partition(":")[2]
        if not claim:
            raise GraphError(f"OUTPERFORMS edge {u!r} -> {v!r} names no claim")
        row[index["claim"]] = str(claim)
    elif attrs.get("claim") is not None:
        extra["claim"] = _value(attrs["claim"])
    if extra:
        row.append(extra)
    return row


def row_dict(columns: tuple[str, ...], row: list[Any]) -> dict[str, Any]:
    """A parameter row as a map (None left out), for reading and tests."""
    out = {name: value for name, value in zip(columns, row) if value is not None}
    if len(row) > len(columns) and row[-1]:
        out["extra"] = row[-1]
    return out


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
        if group not in CREATE_REL_STATEMENTS:
            starts, ends = RELATIONSHIPS[rel]
            raise GraphError(
                f"edge {u!r} -[{rel}]-> {v!r} joins {labels[u]} to {labels[v]}: "
                f"{rel} goes from {'|'.join(starts)} to {'|'.join(ends)}"
            )
        groups[group].append((u, v, key, attrs))
    return groups


def _single(graph: nx.MultiDiGraph, u: Any, v: Any, rel: str) -> bool:
    """Whether u -> v is the graph's only edge of type `rel` between them. Two such edges are
    one relationship (two OUTPERFORMS, one per claim, are two): they go the MERGE way."""
    parallel = graph[u][v]
    if len(parallel) == 1:
        return True
    same = [k for k, a in parallel.items() if rel_type(u, v, k, a) == rel]
    return len(same) == 1 or (rel == "OUTPERFORMS" and len(same) == len(
        {a.get("claim") or str(k).partition(":")[2] for k, a in parallel.items() if k in same}))


def _with_extra(rows: list[list[Any]], width: int) -> bool:
    """Whether a batch needs the statement with an `extra` column; if so every row gets one."""
    if all(len(row) == width for row in rows):
        return False
    for row in rows:
        if len(row) == width:
            row.append(None)
    return True


# ---------------------------------------------------------------------------------------------
# writing


# A step kind as a phase of the report, and the noun of a LoadInterrupted message.
_PHASE = {"node": "nodes", "rel": "relationships", "count": "counts"}


@dataclass
class _Written:
    """What one batch's transaction did."""

    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    direct: int = 0  # rows written with CREATE
    created_ids: list[str] = field(default_factory=list)  # nodes this batch created
    elements: dict[str, str] = field(default_factory=dict)  # id -> element id, nodes of the batch

    def add(self, counters: neo4j.SummaryCounters) -> None:
        self.nodes_created += counters.nodes_created
        self.relationships_created += counters.relationships_created
        self.properties_set += counters.properties_set


def _write_nodes(tx: neo4j.ManagedTransaction, label: str, rows: list[list[Any]], extra: bool) -> _Written:
    # The check and the writes share the transaction; a retried batch asks again.
    existing = dict(tx.run(EXISTING_STATEMENTS[label], ids=[row[0] for row in rows]).single(strict=True)[0])
    new = [row for row in rows if row[0] not in existing]
    old = [row for row in rows if row[0] in existing] if existing else []
    written = _Written(direct=len(new), created_ids=[row[0] for row in new], elements=existing)
    if new:
        result = tx.run(CREATE_NODE_STATEMENTS[label][extra], rows=new)
        written.elements.update(result.single(strict=True)[0])
        written.add(result.consume().counters)
    if old:
        written.add(tx.run(MERGE_NODE_STATEMENTS[label][extra], rows=old).consume().counters)
    return written


def _write_rels(tx: neo4j.ManagedTransaction, group: tuple[str, str, str], new: list[list[Any]],
                old: list[list[Any]], extra: bool) -> _Written:
    written = _Written(direct=len(new))
    for statements, rows in ((CREATE_REL_STATEMENTS, new), (MERGE_REL_STATEMENTS, old)):
        if rows:
            result = tx.run(statements[group][extra], rows=rows)
            found = result.single(strict=True)["written"]
            if found != len(rows):
                # Raised inside the transaction, which rolls back: the batch is written whole or not at all.
                raise EndNodesGone(group, len(rows) - found)
            written.add(result.consume().counters)
    return written


class EndNodesGone(Neo4jError):
    """Relationships of a batch could not be written: end nodes that the node phase of this load
    wrote (and returned the element ids of) are no longer in the database."""

    def __init__(self, group: tuple[str, str, str], missing: int) -> None:
        rel, start, end = group
        super().__init__(
            f"{missing} {rel} relationship(s) from {start} to {end} lost an end node: nodes written "
            f"earlier in this load were deleted while it ran. Nothing of the batch was written; "
            f"run the load again (with nothing else deleting nodes) to complete it."
        )


def _write_counts(tx: neo4j.ManagedTransaction, label: str, ids: list[str]) -> _Written:
    written = _Written()
    written.add(tx.run(COUNT_STATEMENTS[label], ids=ids).consume().counters)
    return written


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
    writers: int = DEFAULT_WRITERS,
    on_batch: Callable[[int, int], None] | None = None,
    driver: neo4j.Driver | None = None,
) -> LoadReport:
    """Load `graph` into the database of `settings`; return what was sent and created.

    Up to `writers` batches are in flight at once, each in its own session and transaction.
    `on_batch(done, total)` is called after each batch, in order (progress bars). Raises
    :class:`LoadInterrupted` naming the first failing batch when a write fails for good.
    """
    started = time.perf_counter()
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, got {batch_size}")
    if writers < 1:
        raise ValueError(f"writers must be at least 1, got {writers}")
    # Check the whole graph against the schema before the first write; keep references only,
    # and build each batch's rows just before it is sent (a 1M-edge graph is not copied).
    nodes = group_nodes(graph)
    labels = {node: label for label, members in nodes.items() for node, _ in members}
    edges = group_edges(graph, labels)
    # Batched once: their number is the progress total, and parallel edges stay in one batch.
    edge_batches = {group: list(batched(members, batch_size, same=_same_ends)) for group, members in edges.items()}
    created: set[str] = set()  # ids of the nodes this load created
    elements: dict[str, str] = {}  # id -> element id of every node of the graph, after the node phase

    def node_steps() -> Iterator[_Step]:
        for label in NODE_LABELS:
            width = len(NODE_COLUMNS[label])
            for batch in batched(nodes.get(label, []), batch_size):
                rows = [node_row(label, n, a) for n, a in batch]
                extra = _with_extra(rows, width)
                yield _Step("node", label, lambda tx, label=label, rows=rows, extra=extra: _write_nodes(
                    tx, label, rows, extra), len(rows))

    def rel_steps() -> Iterator[_Step]:
        # Runs after the node phase, when `created` and `elements` are complete.
        for group in CREATE_REL_STATEMENTS:
            rel = group[0]
            width = len(REL_COLUMNS[rel])
            for batch in edge_batches.get(group, []):
                new: list[list[Any]] = []
                old: list[list[Any]] = []
                for u, v, key, attrs in batch:
                    fresh = (str(u) in created or str(v) in created) and _single(graph, u, v, rel)
                    row = rel_row(rel, u, v, key, attrs)
                    row[0], row[1] = elements[row[0]], elements[row[1]]
                    (new if fresh else old).append(row)
                extra = _with_extra(new + old, width)
                yield _Step("rel", rel, lambda tx, group=group, new=new, old=old, extra=extra: _write_rels(
                    tx, group, new, old, extra), len(batch))

    def count_steps() -> Iterator[_Step]:
        for label in ENTITY_LABELS:
            for batch in batched(nodes.get(label, []), batch_size):
                ids = [str(n) for n, _ in batch]
                yield _Step("count", label, lambda tx, label=label, ids=ids: _write_counts(tx, label, ids), len(ids))

    total = 1 + sum(-(-len(m) // batch_size) for m in nodes.values())
    total += sum(map(len, edge_batches.values()))
    total += sum(-(-len(nodes.get(label, [])) // batch_size) for label in ENTITY_LABELS)

    report = LoadReport(batch_size=batch_size, writers=writers)
    own_driver = driver is None
    driver = driver or connect(settings)
    try:
        mark = time.perf_counter()
        try:
            create_schema(driver, settings.database)
        except _FAILURES as exc:
            raise LoadInterrupted("schema from cypher/schema.cypher", 1, total, report, exc) from exc
        report.phases["schema"] = time.perf_counter() - mark
        mark = time.perf_counter()
        number = 1
        offsets: Counter = Counter()
        with _Writers(driver, settings.database, writers) as pool:
            # Each phase is drained before the next starts: relationships need the nodes' element
            # ids, and the counts must see every relationship committed.
            for steps in (node_steps, rel_steps, count_steps):
                for step, outcome in pool.run(prefetched(steps())):
                    number += 1
                    if isinstance(outcome, BaseException):
                        first = offsets[(step.kind, step.what)] + 1
                        where = f"{step.what} {_PHASE[step.kind]}, rows {first}-{first + step.size - 1}"
                        raise LoadInterrupted(where, number, total, report, outcome) from outcome
                    offsets[(step.kind, step.what)] += step.size
                    report.nodes_created += outcome.nodes_created
                    report.relationships_created += outcome.relationships_created
                    report.properties_set += outcome.properties_set
                    created.update(outcome.created_ids)
                    elements.update(outcome.elements)
                    report.batches += 1
                    if step.kind == "node":
                        report.nodes[step.what] += step.size
                        report.created_directly["nodes"] += outcome.direct
                    elif step.kind == "rel":
                        report.relationships[step.what] += step.size
                        report.created_directly["relationships"] += outcome.direct
                    now = time.perf_counter()
                    phase = _PHASE[step.kind]
                    report.phases[phase] = report.phases.get(phase, 0.0) + now - mark
                    mark = now
                    if on_batch:
                        on_batch(number, total)
        # Queries right after a load see every node in the (eventually consistent) full-text index.
        try:
            with driver.session(database=settings.database) as session:
                session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()
        except _FAILURES as exc:
            raise LoadInterrupted("full-text index refresh", total, total, report, exc) from exc
    finally:
        if own_driver:
            driver.close()
    report.seconds = time.perf_counter() - started
    return report


_FAILURES = (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError)


@dataclass
class _Step:
    """One batch: its kind ("node", "rel", "count"), label or type, transaction function, rows."""

    kind: str
    what: str
    work: Callable[[neo4j.ManagedTransaction], _Written]
    size: int


def _same_ends(a: Edge, b: Edge) -> bool:
    # Parallel edges between the same two nodes stay in one batch: two such edges of one type
    # are one relationship, merged, and two transactions running at once must not each create it.
    return a[0] == b[0] and a[1] == b[1]


class _Writers:
    """Up to `n` managed write transactions at once, one session per thread; outcomes come back
    in submission order, so progress and failures are reported as for a sequential load."""

    def __init__(self, driver: neo4j.Driver, database: str | None, n: int) -> None:
        self.driver, self.database, self.n = driver, database, n
        self.local = threading.local()
        self.sessions: list[neo4j.Session] = []
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="kg-neo4j-writer")

    def __enter__(self) -> "_Writers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for session in self.sessions:
            session.close()

    def _execute(self, work: Callable[[neo4j.ManagedTransaction], _Written]) -> _Written:
        session = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = self.driver.session(database=self.database)
            with self.lock:
                self.sessions.append(session)
        return session.execute_write(work)

    def run(self, steps: Iterable[_Step]) -> Iterator[tuple[_Step, _Written | BaseException]]:
        """Run every step; yield (step, outcome) in order, the outcome being what the write
        returned or the exception that stopped it. After the first failure nothing new starts,
        and the writes already running finish before it is yielded."""
        pending: deque[tuple[_Step, Future]] = deque()

        def settle() -> tuple[_Step, _Written | BaseException]:
            step, future = pending.popleft()
            try:
                return step, future.result()
            except (*_FAILURES, EndNodesGone) as exc:
                for _, other in pending:
                    other.cancel()
                wait([other for _, other in pending])
                pending.clear()
                return step, exc

        for step in steps:
            pending.append((step, self.pool.submit(self._execute, step.work)))
            # one more than the writers: the next batch is queued when one commits
            while len(pending) > self.n:
                outcome = settle()
                yield outcome
                if isinstance(outcome[1], BaseException):
                    return
        while pending:
            outcome = settle()
            yield outcome
            if isinstance(outcome[1], BaseException):
                return
