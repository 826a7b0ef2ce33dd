"""`kg spark`: the extraction on Apache Spark, and seeding the extraction cache with its output."""

from __future__ import annotations

import glob
import os
import sys
from pathlib import Path

import click

from kg.cli.common import extractor_option, quiet_option, skip_errors_option
from kg.errors import KGError

cache_option = click.option(
    "--cache", "cache_dir", type=click.Path(file_okay=False), envvar="KG_CACHE", default=None,
    help="Extraction cache folder to load the output into [KG_CACHE].")


@click.group("spark")
def command() -> None:
    """Run the extraction on Spark (needs: pip install 'paperkg[spark]').

    \b
    Example:
      kg spark extract papers/ -o extractions/ --master 'local[4]' --cache .kg-cache
      kg build papers/ --cache .kg-cache -o papers.graphml
    """


@command.command("extract")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", required=True,
              help="Output folder (local path or any URI Spark writes, e.g. hdfs://…); must not exist.")
@click.option("--master", envvar="KG_SPARK_MASTER", default=None,
              help="Spark master, e.g. local[4], spark://host:7077, yarn [default: local[*], or the "
                   "one spark-submit was given] [KG_SPARK_MASTER].")
@click.option("--partitions", type=click.IntRange(1), default=None,
              help="Partitions to extract in [default: Spark's default parallelism].")
@click.option("--batch-size", type=click.IntRange(1), default=64, show_default=True,
              help="Papers per spaCy batch inside a partition.")
@click.option("--compression", type=click.Choice(["gzip", "bzip2"]), default=None,
              help="Compress the part files.")
@extractor_option
@cache_option
@skip_errors_option
@quiet_option
def extract_command(sources, output, master, partitions, batch_size, compression, extractor,
                    cache_dir, skip_errors, quiet):
    """Extract SOURCES on Spark into the folder OUTPUT as extraction JSONL part files.

    SOURCES are papers JSONL files (split across the cluster), *.txt listings, local folders or
    globs, or URIs Spark reads. The output holds one record per distinct paper, keys not yet
    resolved across papers; with --cache (local output only) it is then loaded into the
    extraction cache, so `kg build SOURCES --cache DIR` extracts nothing again.

    \b
    Example:
      kg spark extract data/seeds papers.jsonl -o out/extractions --master 'local[2]'
      spark-submit --master yarn kg/spark/__main__.py extract 'hdfs:///arxiv/*.jsonl' -o hdfs:///kg/ex
    """
    from kg.spark.job import run_extraction, spark_session

    spark = spark_session(master)
    if not quiet:
        spark.sparkContext.setLogLevel("WARN")
    counts = run_extraction(spark, sources, output, extractor=extractor, partitions=partitions,
                            batch_size=batch_size, skip_errors=skip_errors,
                            compression=compression)
    if not quiet:
        click.echo(f"paper entries: {counts['entries']}", err=True)
        click.echo(f"papers extracted: {counts['papers']}", err=True)
        click.echo(f"records skipped: {len(counts['skipped'])}", err=True)
        for s in counts["skipped"][:20]:
            click.echo(f"    {s.source}: {s.reason}", err=True)
        click.echo(f"wrote {output}", err=True)
    if cache_dir:
        if "://" in output and not output.startswith("file://"):
            raise KGError("--cache needs a local output folder; copy the part files down and "
                          "run `kg spark seed-cache` on them")
        _seed(cache_dir, [output.removeprefix("file://")], quiet)


@command.command("seed-cache")
@click.argument("paths", nargs=-1, required=True)
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), envvar="KG_CACHE",
              required=True, help="Extraction cache folder [KG_CACHE].")
@click.option("--version", "version", default=None,
              help="Pipeline version to file the records under [default: each record's own].")
@quiet_option
def seed_cache_command(paths, cache_dir, version, quiet):
    """Load extraction JSONL (files, folders of part-* files, or - for stdin) into the cache.

    \b
    Example:
      hdfs dfs -cat /kg/ex/part-* | kg spark seed-cache - --cache .kg-cache
    """
    _seed(cache_dir, list(paths), quiet, version=version)


def _seed(cache_dir: str, paths: list[str], quiet: bool, *, version: str | None = None) -> None:
    from kg.cache import ExtractionCache

    cache = ExtractionCache(cache_dir)
    total = 0
    for path in paths:
        for name, lines in _jsonl_inputs(path):
            try:
                total += cache.import_jsonl(lines, version=version)
            except KGError as exc:
                raise KGError(f"{name}: {exc}") from exc
    cache.close()
    if not quiet:
        click.echo(f"cached extractions: {total} into {cache_dir}", err=True)


def _jsonl_inputs(path: str):
    """(name, lines) for stdin, a file (gzip by suffix), or a folder's part-* files."""
    import gzip

    if path == "-":
        yield "<stdin>", sys.stdin
        return
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in glob.glob(os.path.join(path, "part-*")) if not f.endswith(".crc"))
    elif p.exists():
        files = [path]
    else:
        raise KGError(f"{path}: no such file or folder")
    for f in files:
        opener = gzip.open if f.endswith(".gz") else open
        with opener(f, "rt", encoding="utf-8") as fh:
            yield f, fh
