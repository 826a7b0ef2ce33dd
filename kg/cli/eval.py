"""`kg eval`: precision, recall and F1 of the extraction against a gold file."""

from __future__ import annotations

import json

import click

from kg.cli.common import extractor_option, jobs_option


@click.command("eval")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option("--pred", "pred_path", type=click.Path(dir_okay=False), default=None,
              help="Score this extraction JSONL (from `kg extract`) instead of running the extractor.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@extractor_option
@jobs_option
def command(gold, pred_path, as_json, extractor, jobs):
    """Score Method/Dataset/Task/Metric mentions and claims against GOLD.

    GOLD is a papers JSONL with gold `entities` (exact span + label: SciERC's Material is
    scored as our Dataset) and/or `sentences` (a gold `result` sentence is found when a
    predicted claim covers it). Prints P/R/F1 per label and micro-averaged, and for claims.

    \b
    Example:
      kg eval ../shared/data/gold/scierc-dev.jsonl
      kg eval ../shared/data/gold/scirex-dev.jsonl --pred scirex.pred.jsonl --json
    """
    from kg.cli.common import load_named_extractor
    from kg.evaluate import evaluate
    from kg.evaluate.gold import read_gold, read_predictions
    from kg.evaluate.report import format_report

    papers = read_gold(gold)
    if pred_path:
        extractions = read_predictions(pred_path)
    else:
        ex = load_named_extractor(extractor)
        extractions = list(ex.extract(papers, n_process=jobs))
    results = evaluate(papers, extractions)
    if not pred_path:
        results["extractor"] = extractions[0].version if extractions else extractor
    click.echo(json.dumps(results, indent=2) if as_json else format_report(results))
