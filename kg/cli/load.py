"""`kg load`: put a graph file into Neo4j (idempotent, incremental, safe to re-run)."""

from __future__ import annotations

from pathlib import Path

import click
import networkx as nx

from kg.cli.common import neo4j_login_options, neo4j_settings, progress_bar, quiet_option
from kg.errors import InputError


@click.command("load")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--neo4j", "neo4j_uri", is_flag=False, flag_value="env", default=None, metavar="[URI]",
              help="Neo4j to load into [KG_NEO4J_URI, else bolt://127.0.0.1:7687].")
@neo4j_login_options
@click.option("--batch-size", type=click.IntRange(1), default=None, envvar="KG_NEO4J_BATCH_SIZE",
              help="Rows per transaction [5000].")
@click.option("--writers", type=click.IntRange(1), default=None, envvar="KG_NEO4J_WRITERS",
              help="Transactions in flight at once [2].")
@quiet_option
def command(file, neo4j_uri, neo4j_user, neo4j_database, ask_password, batch_size, writers, quiet):
    """Load FILE into Neo4j: a GraphML graph from `kg build`, or extraction JSONL from `kg extract`.

    Creates the schema of cypher/schema.cypher, then merges nodes and relationships in batches.
    Loading the same file twice changes nothing; loading a graph of new papers adds them and
    updates entity counts. A load that is cut off says which batch it reached: run it again to
    complete it. The password comes from KG_NEO4J_PASSWORD or, with --ask-password, a prompt
    (none: connect without auth).

    \b
    Example:
      scripts/neo4j start
      kg build data/seeds -o papers.graphml
      kg load papers.graphml --neo4j bolt://127.0.0.1:7687
    """
    from kg.neo4j import write_graph
    from kg.neo4j.writer import DEFAULT_BATCH_SIZE, DEFAULT_WRITERS

    graph = read_input(Path(file))
    settings = neo4j_settings(neo4j_uri, neo4j_user, neo4j_database, ask_password)
    with progress_bar("loading batches", quiet) as bar:
        report = write_graph(graph, settings, batch_size=batch_size or DEFAULT_BATCH_SIZE,
                             writers=writers or DEFAULT_WRITERS, on_batch=lambda done, total: bar(1))
    if not quiet:
        for line in report.lines():
            click.echo(line, err=True)
        click.echo(f"loaded {file} into {settings.uri}", err=True)


def read_input(path: Path) -> nx.MultiDiGraph:
    """The graph in `path`: GraphML as `kg build` writes it, or extraction JSONL (built here)."""
    suffix = path.suffix.lower()
    if suffix in (".graphml", ".xml"):
        from kg.graphio import read_graph

        return read_graph(path)
    if suffix in (".jsonl", ".ndjson"):
        return _graph_from_extractions(path)
    raise InputError(str(path), "expected a .graphml graph or a .jsonl extraction file")


def _graph_from_extractions(path: Path) -> nx.MultiDiGraph:
    from kg.graph.builder import GraphBuilder
    from kg.jsonlines import iter_objects
    from kg.models import Extraction

    builder = GraphBuilder()
    for lineno, record in iter_objects(path):
        if "id" not in record or "entities" not in record:
            raise InputError(
                str(path),
                "not an extraction record (no id/entities); papers are loaded with "
                "`kg build FILE --neo4j`",
                lineno,
            )
        try:
            builder.add(Extraction.from_json(record))
        except (TypeError, KeyError, ValueError) as exc:
            raise InputError(str(path), f"bad extraction record: {exc}", lineno) from None
    return builder.finish()
