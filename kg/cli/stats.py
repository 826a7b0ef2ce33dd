"""`kg stats`: what a graph file holds."""

from __future__ import annotations

import json

import click


@click.command("stats")
@click.argument("graph_file", type=click.Path(dir_okay=False), default="papers.graphml")
@click.option("--top", type=click.IntRange(0), default=10, show_default=True,
              help="How many top entities to list per label.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def command(graph_file, top, as_json):
    """Counts by label and relationship type, and the top entities, of GRAPH_FILE.

    \b
    Example:
      kg stats papers.graphml --top 5
    """
    from kg.graph.stats import graph_stats
    from kg.graphio import read_graph

    stats = graph_stats(read_graph(graph_file), top=top)
    if as_json:
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    click.echo(f"nodes: {stats['node_total']}")
    for label, n in stats["nodes"].items():
        click.echo(f"  {label:<12} {n:>7}")
    click.echo(f"relationships: {stats['relationship_total']}")
    for rel, n in stats["relationships"].items():
        click.echo(f"  {rel:<12} {n:>7}")
    for label, rows in stats["top_entities"].items():
        if not rows:
            continue
        click.echo(f"top {label} (papers, mentions):")
        for r in rows:
            click.echo(f"  {r['paper_count']:>4} {r['mention_count']:>5}  {r['name']}")
