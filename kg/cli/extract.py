"""`kg extract`: the extraction JSONL of DESIGN.md, one line per paper."""

from __future__ import annotations

import json
import sys

import click

from kg.atomic import atomic_write
from kg.cli.common import (aliases_option, cache_option, extractor_option, jobs_option, load_aliases,
                           load_named_extractor, progress_bar, quiet_option, skip_errors_option)


@click.command("extract")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Extraction JSONL to write (- for stdout).")
@extractor_option
@aliases_option
@cache_option
@jobs_option
@skip_errors_option
@quiet_option
def command(sources, output, extractor, aliases_path, cache_dir, jobs, skip_errors, quiet):
    """Extract methods, datasets, tasks, metrics and claims from SOURCES as JSONL.

    One object per paper: id, title, abstract, entities (label, text, field, start, end, key,
    role, confidence) and claims (text, field, start, end, kind, about, confidence). Keys are the
    canonical entities after resolution across all SOURCES. JSONL papers keep their own id.

    \b
    Example:
      kg extract ../shared/data/gold/scierc-dev.jsonl -o scierc-dev.pred.jsonl
    """
    from kg.run import extract_resolved

    ex = load_named_extractor(extractor, cache_dir)
    with progress_bar("extracting", quiet) as bar:
        extractions, _, summary = extract_resolved(
            sources, ex, aliases=load_aliases(aliases_path), skip_errors=skip_errors,
            jobs=jobs, progress=bar)
        if output == "-":
            _write(extractions, sys.stdout)
        else:
            with atomic_write(output) as fh:
                _write(extractions, fh)
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)


def _write(extractions, fh) -> None:
    for ex in extractions:
        fh.write(json.dumps(ex.to_json(), ensure_ascii=False) + "\n")
