"""`kg export`: a graph (GraphML from `kg build`, or Neo4j) out to GraphML, GEXF, JSON, CSV or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import neo4j_login_options, neo4j_settings
from kg.export.formats import FORMATS


@click.command("export")
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "format_name", type=click.Choice(list(FORMATS), case_sensitive=False),
              default=None, help="Output format [default: from the -o suffix; a name without one is a csv folder].")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write (a folder for csv).")
@click.option("--from-neo4j", "neo4j_uri", is_flag=False, flag_value="env", default=None, metavar="[URI]",
              help="Read the graph from Neo4j at URI (or KG_NEO4J_URI) instead of SOURCE.")
@neo4j_login_options
@click.option("--label", "labels", multiple=True, metavar="LABEL",
              help="Keep only nodes with this label (repeat, or comma-separate: Method,Dataset).")
@click.option("--min-papers", type=click.IntRange(0), default=None, metavar="N",
              help="Drop methods, datasets, tasks and metrics found in fewer than N papers.")
@click.option("--around", metavar="ENTITY", default=None,
              help="Keep only the neighbourhood of ENTITY (a node id such as method:bert, or a name).")
@click.option("--depth", type=click.IntRange(0), default=1, show_default=True,
              help="How many relationships away from --around to go.")
@click.option("--title", default=None, help="Page title (html).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def command(source, format_name, output, neo4j_uri, neo4j_user, neo4j_database, ask_password, labels,
            min_papers, around, depth, title, quiet):
    """Write the graph in SOURCE (a GraphML file from `kg build`) in another format.

    \b
    Formats:
      graphml  GraphML as `kg build` writes it (networkx, Gephi, Cytoscape, APOC)
      gexf     Gephi, coloured by label
      json     networkx node-link JSON (d3); edges under "links"
      csv      a folder for `neo4j-admin database import full` (run its import.sh)
      html     one self-contained interactive page (no server, no network)

    Filters apply to every format, in this order: --around/--depth, then --label, then
    --min-papers (the --around node itself is always kept).

    \b
    Example:
      kg export papers.graphml -o papers.html --min-papers 2
      kg export papers.graphml -f csv -o import/ && NEO4J_HOME=~/neo4j bash import/import.sh
      kg export --from-neo4j bolt://127.0.0.1:7687 -o bert.gexf --around BERT --depth 2
    """
    from kg.errors import InputError
    from kg.export import export_graph, filter_graph, guess_format

    if neo4j_uri is not None and source is not None:
        raise click.UsageError("give SOURCE or --from-neo4j, not both")
    if neo4j_uri is None and source is None:
        raise click.UsageError("give SOURCE (a GraphML file from `kg build`) or --from-neo4j [URI]")
    if format_name is None:
        format_name = guess_format(output)
        if format_name is None:
            raise InputError(str(output), f"cannot tell the format from the name; pass --format "
                                          f"({', '.join(FORMATS)})")

    if neo4j_uri is not None:
        from kg.neo4j import read_graph as read_neo4j

        settings = neo4j_settings(neo4j_uri, neo4j_user, neo4j_database, ask_password)
        graph = read_neo4j(settings)
        origin = settings.uri
    else:
        from kg.graphio import read_graph

        graph = read_graph(source)
        origin = str(source)

    graph = filter_graph(graph, labels=labels or None, min_papers=min_papers, around=around, depth=depth)
    if format_name == "html" and title:
        from kg.writers.html import write_html

        write_html(graph, output, title=title)
    else:
        export_graph(graph, format_name, output)
    if not quiet:
        click.echo(f"read {origin}; wrote {format_name} {output} "
                   f"({graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships)", err=True)
