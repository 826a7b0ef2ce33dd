#!/usr/bin/env python3
"""Benchmark the Neo4j loader: relationships per second on a synthetic graph, and the sample graph.

    scripts/neo4j start
    nice -n 10 python3 scripts/bench_neo4j.py --wipe                 # 1M relationships
    nice -n 10 python3 scripts/bench_neo4j.py --wipe --rels 200000 --batch-size 10000
    nice -n 10 python3 scripts/bench_neo4j.py --wipe --warm-up 300000 --writers 1

The synthetic graph follows the schema: per paper 1 PROPOSES, 2 USES, 1 EVALUATES_ON,
1 ADDRESSES, 1 MEASURES, 2 MAKES (claims) and 2 ABOUT, with entities drawn from a skewed
(Zipf-like) distribution so that a few methods and datasets are hubs, as in real corpora; every
relationship carries the provenance properties of a real build. It is loaded with
`kg.neo4j.write_graph`, the same code as `kg load`, into an emptied database (hence --wipe).
Then the sample graph (`kg build data/seeds`, or --sample FILE) is loaded the same way.

A server's first load after it starts runs while the JVM compiles Neo4j's code: on a 2-core
machine the JIT compiler takes about a core for the first minutes, and that load is up to twice
as slow as the next. `--warm-up RELS` loads and wipes a smaller synthetic graph first, so that
the figures are the steady state; without it they are a just-started server's.

Prints: relationships, batch size, relationships/second over the relationship phase and over
the whole load (schema, nodes, relationships, entity counts), the CPU seconds this process and
the server spent in each phase (where the time goes), peak memory of this process and of the
server, the machine's load average, and the sample graph's load time.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.neo4j import Settings, connect, write_graph  # noqa: E402
from kg.neo4j.writer import DEFAULT_BATCH_SIZE, DEFAULT_WRITERS  # noqa: E402

# The pid file of a scripts/neo4j server, for its CPU and memory (same default as the script).
PID_FILE = Path(os.environ.get("NEO4J_DATA_DIR") or ROOT / ".neo4j") / "neo4j.pid"

PER_PAPER = 10  # relationships per synthetic paper (see the module docstring)


def synthetic_graph(n_rels: int, seed: int = 7) -> nx.MultiDiGraph:
    """A schema-shaped graph with at least `n_rels` relationships."""
    rng = random.Random(seed)
    papers = -(-n_rels // PER_PAPER)
    sizes = {"Method": max(50, papers // 5), "Dataset": max(20, papers // 20),
             "Task": max(10, papers // 50), "Metric": max(5, papers // 200)}
    g = nx.MultiDiGraph()
    entities: dict[str, list[str]] = {}
    for label, size in sizes.items():
        ids = [f"{label.lower()}:synthetic-{label.lower()}-{i}" for i in range(size)]
        entities[label] = ids
        for i, node in enumerate(ids):
            name = f"Synthetic{label}{i}"
            g.add_node(node, labels=f":{label}", label=name, id=node, name=name,
                       aliases=[name, name.lower()], paper_count=0, mention_count=0)

    def pick(label: str) -> str:
        ids = entities[label]
        return ids[min(len(ids) - 1, int(rng.paretovariate(1.2)) - 1)] if rng.random() < 0.5 \
            else ids[rng.randrange(len(ids))]

    def prov(text: str, sentence: int) -> dict:
        return {"field": "abstract", "sentence": sentence, "start": 10 * sentence,
                "end": 10 * sentence + len(text), "text": text, "mentions": 1,
                "confidence": 0.9, "version": "bench"}

    for p in range(papers):
        pid = f"paper:synthetic{p:08d}"
        title = f"Synthetic paper {p} on learning"
        g.add_node(pid, labels=":Paper", label=title, id=pid, title=title,
                   abstract="An abstract. " * 20, source="synthetic.txt", sources=["synthetic.txt"])
        method = entities["Method"][p % len(entities["Method"])]
        g.add_edge(pid, method, key="PROPOSES", label="PROPOSES", **prov("M", 0))
        used = set()
        while len(used) < 2:
            m = pick("Method")
            if m != method:
                used.add(m)
        for m in sorted(used):
            g.add_edge(pid, m, key="USES", label="USES", **prov("U", 1))
        for rel, label in (("EVALUATES_ON", "Dataset"), ("ADDRESSES", "Task"), ("MEASURES", "Metric")):
            g.add_edge(pid, pick(label), key=rel, label=rel, **prov(rel[0], 2))
        for s in (3, 4):
            cid = f"claim:{pid}:{s}"
            text = f"Synthetic claim {s} of paper {p}."
            g.add_node(cid, labels=":Claim", label=text, id=cid, text=text, kind="qualitative",
                       confidence=0.8, paper=pid)
            g.add_edge(pid, cid, key="MAKES", label="MAKES", **prov(text, s))
            g.add_edge(cid, method, key="ABOUT", label="ABOUT", **prov(text, s))
    return g


def server_peak_kib(settings: Settings) -> int | None:
    """The server JVM's peak resident memory (VmHWM), when it runs here from scripts/neo4j."""
    pid_file = PID_FILE
    try:
        pid = pid_file.read_text().strip()
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def server_cpu_seconds() -> float | None:
    """CPU seconds (user + system) the local scripts/neo4j server has used so far."""
    try:
        pid = PID_FILE.read_text().strip()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class PhaseCPU:
    """CPU seconds of this process and of the server per load phase, sampled at the batch
    boundaries where one phase ends and the next begins (the `on_batch` callback)."""

    def __init__(self, graph: nx.MultiDiGraph, batch_size: int) -> None:
        from kg.neo4j.writer import group_edges, group_nodes

        nodes = group_nodes(graph)
        edges = group_edges(graph, {n: label for label, members in nodes.items() for n, _ in members})
        batches = lambda groups: sum(-(-len(m) // batch_size) for m in groups)  # noqa: E731
        node_end = 1 + batches(nodes.values())
        self.ends = {node_end: "nodes", node_end + batches(edges.values()): "relationships"}
        self.marks: list[tuple[str, float, float | None]] = []

    def start(self) -> None:
        self.marks = [("start", client_cpu_seconds(), server_cpu_seconds())]

    def __call__(self, done: int, total: int) -> None:
        if done in self.ends:
            self.marks.append((self.ends[done], client_cpu_seconds(), server_cpu_seconds()))

    def finish(self) -> str:
        self.marks.append(("counts and index refresh", client_cpu_seconds(), server_cpu_seconds()))
        parts = []
        for (_, c0, s0), (name, c1, s1) in zip(self.marks, self.marks[1:]):
            server = f"{s1 - s0:.1f}s" if s0 is not None and s1 is not None else "?"
            parts.append(f"{name}: client {c1 - c0:.1f}s, server {server}")
        return "; ".join(parts)


def wipe(settings: Settings, force: bool) -> None:
    driver = connect(settings)
    with driver.session(database=settings.database) as s:
        count = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        if count and not force:
            sys.exit(f"the database at {settings.uri} holds {count} nodes; --wipe empties it first")
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        # The full-text index removes the deleted nodes in the background: let it finish, so
        # that the load measured next does not pay for the wipe.
        if count:
            s.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()
    driver.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rels", type=int, default=1_000_000, help="relationships in the synthetic graph")
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    ap.add_argument("--writers", type=int, default=DEFAULT_WRITERS, help="transactions in flight at once")
    ap.add_argument("--uri", default=None, help="Neo4j URI [KG_NEO4J_URI]")
    ap.add_argument("--sample", default=None, help="sample GraphML [built from data/seeds]")
    ap.add_argument("--wipe", action="store_true", help="empty the database first (required if not empty)")
    ap.add_argument("--no-sample", action="store_true", help="skip the sample graph (quicker iterations)")
    ap.add_argument("--warm-up", type=int, default=0, metavar="RELS",
                    help="first load and wipe a synthetic graph of RELS relationships (a JIT-compiled server)")
    args = ap.parse_args()
    settings = Settings.from_env(uri=args.uri)

    wipe(settings, args.wipe)
    if args.warm_up:
        t = time.perf_counter()
        write_graph(synthetic_graph(args.warm_up, seed=8), settings, batch_size=args.batch_size,
                    writers=args.writers)
        wipe(settings, True)
        print(f"warm-up: loaded and wiped {args.warm_up} relationships in {time.perf_counter() - t:.1f}s", flush=True)
    t = time.perf_counter()
    graph = synthetic_graph(args.rels)
    built = time.perf_counter() - t
    n_rels, n_nodes = graph.number_of_edges(), graph.number_of_nodes()
    print(f"synthetic graph: {n_nodes} nodes, {n_rels} relationships (built in {built:.1f}s)", flush=True)

    cpu = PhaseCPU(graph, args.batch_size)
    cpu.start()
    report = write_graph(graph, settings, batch_size=args.batch_size, writers=args.writers, on_batch=cpu)
    rel_s = report.phases.get("relationships", 0.0)
    print(f"batch size: {args.batch_size} rows per transaction, {args.writers} transaction(s) in flight")
    print(f"load: {report.seconds:.1f}s (" + ", ".join(f"{k} {v:.1f}s" for k, v in report.phases.items()) + ")")
    print(f"created: {report.nodes_created} nodes, {report.relationships_created} relationships "
          f"(written with CREATE: {report.created_directly['nodes']} node rows, "
          f"{report.created_directly['relationships']} relationship rows)")
    print(f"relationships/second, relationship phase: {n_rels / rel_s:,.0f}")
    print(f"relationships/second, whole load: {n_rels / report.seconds:,.0f}")
    print(f"CPU seconds by phase: {cpu.finish()}")
    print("load average (1, 5, 15 min) after the load: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    del graph
    if args.no_sample:
        print(f"peak memory: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB", end="")
        server = server_peak_kib(settings)
        print(f", server {server / 1024:.0f} MiB" if server else ", server: not a local scripts/neo4j server")
        return

    sample = args.sample
    tmp = None
    if sample is None:
        tmp = tempfile.TemporaryDirectory()
        sample = str(Path(tmp.name) / "sample.graphml")
        subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "build",
                        str(ROOT / "data" / "seeds"), "-o", sample, "-q"], check=True, cwd=ROOT)
    from kg.graphio import read_graph

    sample_graph = read_graph(sample)
    wipe(settings, True)
    first = write_graph(sample_graph, settings, batch_size=args.batch_size, writers=args.writers)
    again = write_graph(sample_graph, settings, batch_size=args.batch_size, writers=args.writers)
    print(f"sample graph: {sample_graph.number_of_nodes()} nodes, {sample_graph.number_of_edges()} "
          f"relationships: first load {first.seconds:.1f}s, second load {again.seconds:.1f}s "
          f"({again.nodes_created} nodes and {again.relationships_created} relationships created)")
    print(f"peak memory: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB", end="")
    server = server_peak_kib(settings)
    print(f", server {server / 1024:.0f} MiB" if server else ", server: not a local scripts/neo4j server")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
