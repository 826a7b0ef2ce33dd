"""`kg build`: sources in, knowledge graph out (GraphML by default, Neo4j with --neo4j)."""

from __future__ import annotations

import click

from kg.cli.common import (aliases_option, cache_option, extractor_option, jobs_option, load_aliases,
                           load_named_extractor, neo4j_login_options, neo4j_settings, progress_bar,
                           quiet_option, skip_errors_option)
from kg.export.formats import FORMATS


@click.command("build")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(), default=None,
              help="File to write (a folder for csv) [default: papers.graphml, unless --neo4j is given].")
@click.option("-f", "--format", "format_name", type=click.Choice(list(FORMATS), case_sensitive=False),
              default=None,
              help="Output format, as in `kg export` [default: from the -o suffix, else graphml]. "
                   "csv writes the neo4j-admin import folder straight from memory.")
@click.option("--neo4j", "neo4j_uri", is_flag=False, flag_value="env", default=None,
              help="Also load the graph into Neo4j at this URI (or KG_NEO4J_URI).")
@neo4j_login_options
@extractor_option
@aliases_option
@cache_option
@click.option("--incremental/--no-incremental", default=True, show_default=True,
              help="With --cache: when the sources are the last build's papers plus new ones, start "
                   "from the build state the last build left and extract only the new papers. "
                   "--no-incremental rebuilds from the cache and stores a fresh state.")
@jobs_option
@skip_errors_option
@quiet_option
def command(sources, output, format_name, neo4j_uri, neo4j_user, neo4j_database, ask_password, extractor,
            aliases_path, cache_dir, incremental, jobs, skip_errors, quiet):
    """Build the knowledge graph of the papers in SOURCES.

    SOURCES are files, folders, globs or - for stdin: paper listings (*.txt) and papers JSONL
    (*.jsonl). Prints a summary: files, paper entries, distinct papers, nodes and relationships
    by type, and every record skipped.

    \b
    Example:
      kg build data/seeds -o papers.graphml
      kg build papers.jsonl more/ --neo4j bolt://127.0.0.1:7687
      kg build arxiv/ -f csv -o import/ && bash import/import.sh   # first load of a big graph
      kg build arxiv/ --cache .kg-cache -o arxiv.graphml   # again next week: only new papers
    """
    from kg.export import export_graph, guess_format
    from kg.run import build

    if output is None and neo4j_uri is None:
        output = "papers.graphml"
    if output and format_name is None:
        guessed = guess_format(output)
        # a name without a known suffix stays GraphML here (kg export reads it as a csv folder)
        format_name = guessed if guessed not in (None, "csv") else "graphml"
    # Asked before the build, not after it: a prompt must not wait for the extraction.
    settings = neo4j_settings(neo4j_uri, neo4j_user, neo4j_database, ask_password) if neo4j_uri else None
    ex = load_named_extractor(extractor, cache_dir)
    options = dict(aliases=load_aliases(aliases_path), skip_errors=skip_errors, jobs=jobs,
                   incremental=incremental)
    if format_name == "graphml" and settings is None:
        # written paper by paper, without the graph in memory; patched in a rebuild
        from kg.graphml_build import build_graphml

        with progress_bar("extracting", quiet) as bar:
            summary = build_graphml(sources, ex, output, progress=bar, **options)
    else:
        with progress_bar("extracting", quiet) as bar:
            graph, summary = build(sources, ex, progress=bar, **options)
        if output:
            export_graph(graph, format_name, output)
    if settings is not None:
        from kg.neo4j import write_graph

        report = write_graph(graph, settings)
        if not quiet:
            for line in report.lines():
                click.echo(line, err=True)
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)
        if output:
            click.echo(f"wrote {output}" if format_name == "graphml" else f"wrote {format_name} {output}",
                       err=True)
