"""The Spark extraction job in local mode: same output as the in-process extractor.

Runs in CI (``pip install '.[spark]'``); skipped only on a machine without PySpark and CI unset.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

try:
    import pyspark  # noqa: F401
except ImportError:
    if os.environ.get("CI"):
        raise
    pytest.skip("PySpark is not installed (pip install '.[spark]'); CI runs these tests",
                allow_module_level=True)

from click.testing import CliRunner

from kg.cache import CachedExtractor
from kg.cli import main
from kg.errors import KGError
from kg.extract import load_extractor
from kg.readers import read_papers
from kg.spark import run_extraction

PAPERS = [
    {"id": "2301.00001", "title": "FedHyper: A Learning Rate Scheduler for Federated Learning",
     "abstract": "We propose FedHyper, a hypergradient-based learning rate scheduler. Experiments "
                 "on CIFAR-10 show that FedHyper converges 3x faster than FedAvg.",
     "authors": ["A. One"]},
    {"id": "2301.00002", "title": "Robust Speaker Verification with DINO",
     "abstract": "We adopt the self-distillation with no labels (DINO) framework. On VoxCeleb our "
                 "method obtains a 22% relative EER improvement over the baseline."},
    {"id": "2301.00001", "title": "FedHyper (a later record of the same paper)",
     "abstract": "This duplicate is not extracted: the first record of an id wins."},
    {"title": "A Paper Without an Id",
     "abstract": "We evaluate BERT on the GLUE benchmark and report accuracy and F1 score."},
]

LISTING = """new

Subscribe

Mar 14

Rich Feature Construction for the Optimization-Generalization Dilemma

There often is a dilemma between ease of optimization and robust out-of-distribution (OoD) generalization. We propose the Rich Feature Construction (RFC) algorithm. Initializing the networks with RFC representations consistently helps six OoD methods achieve top performance on the ColoredMNIST benchmark.

Contrastive Self-supervised Learning with Automatic Temperature Individualization

In this paper, we aim to optimize a contrastive loss with individualized temperatures for self-supervised learning. Our method outperforms prior strong baselines (e.g., SimCLR, CLIP) on unimodal and bimodal datasets.
"""


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[1]").appName("kg-test")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def extractor():
    return load_extractor("rules")


@pytest.fixture
def sources(tmp_path) -> list[str]:
    jsonl = tmp_path / "papers.jsonl"
    jsonl.write_text("\n".join(json.dumps(p) for p in PAPERS[:2]) + "\n\n"
                     + "\n".join(json.dumps(p) for p in PAPERS[2:]) + "\n", encoding="utf-8")
    listing = tmp_path / "listing.txt"
    listing.write_text(LISTING, encoding="utf-8")
    return [str(jsonl), str(listing)]


def read_output(folder: Path) -> list[dict]:
    return [json.loads(line) for part in sorted(folder.glob("part-*"))
            for line in part.read_text(encoding="utf-8").splitlines()]


def first_records(sources: list[str]):
    """The papers `kg build` extracts: the first record of each id, in source order."""
    seen, papers = set(), []
    for paper in read_papers(sources, skipped=[]):
        if paper.id not in seen:
            seen.add(paper.id)
            papers.append(paper)
    return papers


def local_extraction(sources: list[str], extractor) -> list[dict]:
    return [ex.to_json() for ex in extractor.extract(first_records(sources))]


def test_spark_output_is_the_local_extraction(spark, sources, extractor, tmp_path):
    out = tmp_path / "out"
    counts = run_extraction(spark, sources, str(out), extractor="rules", partitions=2)
    got = read_output(out)
    expected = local_extraction(sources, extractor)
    assert len(expected) == 5 and got == expected
    assert counts["entries"] == 6 and counts["papers"] == 5
    assert any(e["entities"] for e in got)  # the extractor really ran in the workers
    assert {e["version"] for e in got} == {extractor.version}


def test_a_bad_line_names_file_and_line_or_is_skipped(spark, tmp_path, extractor):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(PAPERS[0]) + "\n{not json\n" + json.dumps(PAPERS[1]) + "\n",
                   encoding="utf-8")
    with pytest.raises(KGError, match=r"bad\.jsonl:2: malformed JSON"):
        run_extraction(spark, [str(bad)], str(tmp_path / "o1"), extractor="rules")
    counts = run_extraction(spark, [str(bad)], str(tmp_path / "o2"), extractor="rules",
                            skip_errors=True)
    assert [(s.source, s.reason.split(":")[0]) for s in counts["skipped"]] == [
        (f"{bad}:2", "malformed JSON")]
    assert [e["id"] for e in read_output(tmp_path / "o2")] == ["arxiv:2301.00001", "arxiv:2301.00002"]


def test_cli_output_seeds_the_cache_so_a_build_extracts_nothing(spark, sources, extractor, tmp_path):
    out, cache = tmp_path / "ex", tmp_path / "cache"
    result = CliRunner().invoke(main, ["spark", "extract", *sources, "-o", str(out),
                                       "--extractor", "rules", "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    assert "papers extracted: 5" in result.output and "cached extractions: 5" in result.output

    class Counting:
        # `inner`: what it wraps, so the cache fingerprints that pipeline's code and files
        name, version, inner, seen = extractor.name, extractor.version, extractor, 0

        def extract(self, papers, *, batch_size=64, n_process=1):
            for paper in papers:
                self.seen += 1
                yield from extractor.extract([paper])

    inner = Counting()
    cached = CachedExtractor(inner, cache)
    papers = first_records(sources)
    got = [ex.to_json() for ex in cached.extract(papers)]
    assert inner.seen == 0 and cached.stats.hits == len(papers)
    assert got == [ex.to_json() for ex in extractor.extract(papers)]
