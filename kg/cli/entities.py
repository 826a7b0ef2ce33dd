"""`kg entities`: the canonical entities of a graph, with their aliases and counts."""

from __future__ import annotations

import json

import click

from kg.graph.schema import ENTITY_LABELS


@click.command("entities")
@click.argument("graph_file", type=click.Path(dir_okay=False), default="papers.graphml",
                envvar="KG_GRAPH")
@click.option("--label", "labels", multiple=True,
              type=click.Choice(ENTITY_LABELS, case_sensitive=False),
              help="Only entities with this label (repeatable).")
@click.option("--min-papers", type=click.IntRange(0), default=0, show_default=True,
              help="Only entities mentioned in at least this many papers.")
@click.option("--limit", type=click.IntRange(0), default=None,
              help="Print at most this many entities.")
@click.option("--aliases", "aliases_path", type=click.Path(dir_okay=False), default=None,
              help="Also check this alias file against the graph: what each line would merge or split.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def command(graph_file, labels, min_papers, limit, aliases_path, as_json):
    """List the canonical entities of GRAPH_FILE (default papers.graphml, or KG_GRAPH).

    One row per Method, Dataset, Task and Metric node, most papers first: paper and mention
    counts, label, id, name, and every surface form merged into it, so every merge can be
    seen and questioned. Wrong merges and missed ones are corrected with an alias file
    (`dataset: ImageNet-1k = ImageNet`, `method: DINO != DINOv2`) given to
    `kg build --aliases`; `--aliases` here shows what such a file would change.

    \b
    Example:
      kg entities papers.graphml --label Dataset --min-papers 2
      kg entities --aliases aliases.txt --json
    """
    from kg.graphio import read_graph
    from kg.resolve.inspect import check_aliases, graph_entities

    graph = read_graph(graph_file)
    rows = graph_entities(graph, labels=labels, min_papers=min_papers)
    if limit is not None:
        rows = rows[:limit]
    findings = None
    if aliases_path:
        from kg.resolve import AliasTable

        findings = check_aliases(graph, AliasTable.from_file(aliases_path))
    if as_json:
        out = {"entities": rows} if findings is None else {"entities": rows, "aliases": findings}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    _print_table(rows)
    if findings is not None:
        _print_findings(findings)


def _print_table(rows) -> None:
    id_width = min(40, max([len(r["id"]) for r in rows] + [2]))
    click.echo(f"{'papers':>6} {'mentions':>8}  {'label':<8} {'id':<{id_width}}  name  [aliases]")
    for r in rows:
        others = [a for a in r["aliases"] if a != r["name"]]
        tail = f"  [{' | '.join(others)}]" if others else ""
        click.echo(f"{r['paper_count']:>6} {r['mention_count']:>8}  {r['label']:<8} "
                   f"{r['id']:<{id_width}}  {r['name']}{tail}")


def _print_findings(findings) -> None:
    click.echo("")
    click.echo("alias file:")
    for f in findings:
        op = "=" if f["same"] else "!="
        nodes = sorted(set(f["nodes_a"]) | set(f["nodes_b"]))
        click.echo(f"  {f['source']}:{f['line']}: {f['a']} {op} {f['b']}: {f['effect']}"
                   + (f" ({', '.join(nodes)})" if nodes else ""))
