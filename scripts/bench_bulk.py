#!/usr/bin/env python3
"""Benchmark the bulk path for a first load: CSV export + `neo4j-admin database import full`.

    NEO4J_DATA_DIR=/tmp/bulk-neo4j NEO4J_BOLT_PORT=7690 scripts/neo4j start
    NEO4J_DATA_DIR=/tmp/bulk-neo4j NEO4J_BOLT_PORT=7690 \\
        nice -n 10 python3 scripts/bench_bulk.py --yes            # 1M relationships

The same synthetic graph as scripts/bench_neo4j.py (the Bolt writer's benchmark) is written
from memory as the neo4j-admin CSV folder (`kg.writers.csv.write_csv`, what `kg build -f csv`
does) and imported with `scripts/bulk_import.sh --yes`, which stops the server of NEO4J_DATA_DIR / NEO4J_BOLT_PORT,
REPLACES its `neo4j` database, starts it again and creates the schema. The counts are then read
back through Bolt. Use a server of its own: the database is replaced.

Prints: seconds and relationships/second for the CSV writing, for `neo4j-admin database import`
alone, for the import script as a whole (server stop, import, start, schema: about 40 s of
server restarts whatever the size) and for export + import, and the counts read back.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_neo4j import synthetic_graph  # noqa: E402
from kg.neo4j import Settings, connect  # noqa: E402
from kg.writers.csv import write_csv  # noqa: E402


def run(cmd: list[str]) -> tuple[float, str]:
    """Run `cmd`, echo its stderr; the wall seconds and the stderr text."""
    t = time.perf_counter()
    done = subprocess.run(cmd, check=True, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(done.stderr)
    return time.perf_counter() - t, done.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rels", type=int, default=1_000_000, help="relationships in the synthetic graph")
    ap.add_argument("--yes", action="store_true", help="replace the database (required)")
    args = ap.parse_args()
    if not args.yes:
        sys.exit("bench_bulk: the import REPLACES the database of NEO4J_DATA_DIR; pass --yes")
    port = os.environ.get("NEO4J_BOLT_PORT", "7687")
    settings = Settings.from_env(uri=f"bolt://127.0.0.1:{port}")

    graph = synthetic_graph(args.rels)
    n_nodes, n_rels = graph.number_of_nodes(), graph.number_of_edges()
    print(f"synthetic graph: {n_nodes} nodes, {n_rels} relationships", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "csv"
        t = time.perf_counter()
        write_csv(graph, csv)
        t_export = time.perf_counter() - t
        del graph
        t_import, log = run(["bash", "scripts/bulk_import.sh", "--yes", str(csv)])
    tool = re.search(r"import took (\d+) s", log)
    with connect(settings) as driver:
        nodes = driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
        rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c").records[0]["c"]
    print(f"CSV folder written from memory (as kg build -f csv): {t_export:.1f}s, {n_rels / t_export:,.0f} relationships/s")
    print(f"import script (stop, neo4j-admin import, start, schema): {t_import:.1f}s, "
          f"{n_rels / t_import:,.0f} relationships/s")
    if tool:
        print(f"neo4j-admin import alone: {tool.group(1)}s, "
              f"{n_rels / max(int(tool.group(1)), 1):,.0f} relationships/s")
    print(f"CSV + import: {t_export + t_import:.1f}s, "
          f"{n_rels / (t_export + t_import):,.0f} relationships/s")
    print(f"read back through Bolt: {nodes} nodes, {rels} relationships "
          f"({'equal to' if (nodes, rels) == (n_nodes, n_rels) else 'DIFFERENT FROM'} the graph)")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
