"""The extraction as a Spark job: papers in, extraction JSONL out, one partition at a time.

The job runs the *same* code as ``kg extract``: the kg readers turn each record into a
:class:`~kg.models.Paper`, and each partition is fed to ``load_extractor(name).extract`` (the
extractor is loaded once per Python worker, not per record). The output is the extraction JSONL
of DESIGN.md, written as ``part-*`` files in a folder, *before* resolution: the keys are the
extractor's own; the resolve and build stages run afterwards on one machine (see
``docs/scale.md``: seed the extraction cache with this output, then ``kg build``).

Inputs:

- papers JSONL (``*.jsonl``, ``*.ndjson``, the arXiv snapshot): read line by line with
  ``textFile``, so a large file is split across the cluster; bad lines name file and line.
- listings (``*.txt``): read whole (``binaryFiles``; a listing cannot be split) and parsed by the
  listing reader on the executor.

Paper ids are deduplicated as ``kg build`` does it: the first record of an id, in the order of
the sources (file order, then line order), is the one extracted. Output order is the same order.

Paths may be local (folders and globs are expanded on the driver with the kg rules) or any URI
Spark reads (``hdfs://``, ``s3a://``; files or Spark globs, not folders).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from kg.errors import InputError, KGError
from kg.models import Paper, Skipped

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
LISTING_SUFFIXES = (".txt",)

# One extractor per Python worker process and extractor name: Spark reuses its Python workers
# across tasks (spark.python.worker.reuse, on by default), so a pipeline is loaded once per worker.
_LOADED: dict[str, Any] = {}
# Default extraction task size: small enough that a lost task is cheap to redo, large enough
# that the per-task overhead (and the pipeline load of a new worker) does not count.
PAPERS_PER_TASK = 5000


def expand_sources(sources: Iterable[str]) -> list[str]:
    """Local folders and globs expanded (sorted) with the readers' rules; URIs kept as given."""
    from kg.readers import READERS
    from kg.readers.sources import expand

    out: list[str] = []
    for spec in sources:
        if "://" in spec and not spec.startswith("file://"):
            out.append(spec)
            continue
        local = spec.removeprefix("file://")
        out += [os.path.abspath(o.path) for o in expand([local], READERS) if o.path is not None]
    return out


def _suffix(path: str) -> str:
    return Path(path.split("?", 1)[0]).suffix.lower()


def _jsonl_papers(source: str, rows: Iterator[tuple[str, int]], skip_errors: bool,
                  order: int) -> Iterator[tuple[str, tuple[tuple[int, int], Any]]]:
    """(paper id, ((file order, line), Paper or Skipped)) for the lines of one JSONL file."""
    from kg.readers.jsonl import paper_from_record

    for text, index in rows:
        line = index + 1
        if not text.strip():
            continue
        try:
            try:
                record = json.loads(text.lstrip("\ufeff") if index == 0 else text)
            except json.JSONDecodeError as exc:
                raise InputError(source, f"malformed JSON: {exc.msg} (column {exc.colno})", line) from exc
            paper = paper_from_record(record, source, line)
        except InputError as exc:
            if not skip_errors:
                raise
            yield "", ((order, line), Skipped(exc.location, exc.reason))
            continue
        yield paper.id, ((order, line), paper)


def _listing_papers(source: str, data: bytes, skip_errors: bool,
                    order: int) -> Iterator[tuple[str, tuple[tuple[int, int], Any]]]:
    """The papers of one whole listing file, parsed with the kg reader from a local copy."""
    from kg.readers import read_papers

    skipped: list[Skipped] = []
    with tempfile.TemporaryDirectory(prefix="kg-spark-") as tmp:
        local = Path(tmp) / Path(source).name
        local.write_bytes(data)
        papers = list(read_papers([str(local)], skip_errors=skip_errors, skipped=skipped))
    rename = {str(local): source}
    for number, paper in enumerate(papers):
        paper.sources = [_renamed(s, rename) for s in paper.sources]
        yield paper.id, ((order, number), paper)
    for s in skipped:  # bad records (with skip_errors) and stray lines, as `kg build` lists them
        yield "", ((order, -1), Skipped(_renamed(s.source, rename), s.reason))


def _renamed(where: str, rename: dict[str, str]) -> str:
    for old, new in rename.items():
        if where.startswith(old):
            return new + where[len(old):]
    return where


def _tally(rows: Iterator[tuple[str, tuple]]) -> Iterator[tuple[int, list[Skipped]]]:
    entries, skipped = 0, []
    for key, (_, value) in rows:
        if key:
            entries += 1
        else:
            skipped.append(value)
    yield entries, skipped


def _add_tallies(a: tuple[int, list], b: tuple[int, list]) -> tuple[int, list]:
    return a[0] + b[0], a[1] + b[1]


def _first(a: tuple, b: tuple) -> tuple:
    return a if a[0] <= b[0] else b


def _extract_partition(rows: Iterator[tuple[tuple[int, int], Paper]], extractor: str,
                       batch_size: int) -> Iterator[str]:
    if extractor not in _LOADED:
        from kg.extract import load_extractor

        _LOADED[extractor] = load_extractor(extractor)
    papers = (paper for _, paper in rows)
    for ex in _LOADED[extractor].extract(papers, batch_size=batch_size, n_process=1):
        yield json.dumps(ex.to_json(), ensure_ascii=False)


def papers_rdd(spark, sources: list[str], *, skip_errors: bool = False,
               min_partitions: int | None = None):
    """An RDD of ``(paper id, ((file order, line), Paper | Skipped))`` over every source record."""
    sc = spark.sparkContext
    parts = []
    for order, source in enumerate(sources):
        suffix = _suffix(source)
        if suffix in LISTING_SUFFIXES:
            rdd = sc.binaryFiles(source).flatMap(
                lambda kv, s=source, o=order: _listing_papers(s, kv[1], skip_errors, o))
        elif suffix in JSONL_SUFFIXES:
            lines = sc.textFile(source, minPartitions=min_partitions).zipWithIndex()
            rdd = lines.mapPartitions(
                lambda rows, s=source, o=order: _jsonl_papers(s, rows, skip_errors, o))
        else:
            raise InputError(source, "unknown input format: use *.jsonl papers or *.txt listings")
        parts.append(rdd)
    if not parts:
        raise InputError("(none)", "no input files")
    return sc.union(parts)


def run_extraction(spark, sources: Iterable[str], output: str, *, extractor: str = "default",
                   partitions: int | None = None, batch_size: int = 64,
                   skip_errors: bool = False, compression: str | None = None) -> dict[str, Any]:
    """Extract every distinct paper of `sources` into the folder `output` (extraction JSONL
    ``part-*`` files). Returns counts: entries, papers, and skipped (a list of Skipped)."""
    files = expand_sources(sources)
    sc = spark.sparkContext
    records = papers_rdd(spark, files, skip_errors=skip_errors, min_partitions=partitions)
    extracted = sc.accumulator(0)

    def extract(rows):
        for line in _extract_partition(rows, extractor, batch_size):
            extracted.add(1)
            yield line

    try:
        # One cheap pass over the input for the counts and the records skipped; the input is read
        # again for the extraction rather than cached (reading is cheap next to extracting).
        entries, skipped = records.mapPartitions(_tally).reduce(_add_tallies)
        n = partitions or max(sc.defaultParallelism, -(-entries // PAPERS_PER_TASK))
        found = records.filter(lambda kv: kv[0] != "")
        # The first record of each id wins, as in `kg build`; then back into source order.
        distinct = (found.reduceByKey(_first, numPartitions=n)
                    .map(lambda kv: kv[1])
                    .sortBy(lambda pair: pair[0], numPartitions=n))
        lines = distinct.mapPartitions(extract)
        codec = _CODECS[compression] if compression else None
        lines.saveAsTextFile(output, compressionCodecClass=codec)
    except Exception as exc:  # a task failure arrives as a Py4J/Python exception
        raise KGError(f"the Spark extraction failed: {_task_error(exc)}") from exc
    return {"entries": entries, "papers": extracted.value, "skipped": skipped}


def _task_error(exc: Exception) -> str:
    """The kg error line of a failed task's Python traceback, else the exception's first line."""
    text = str(exc)
    for line in reversed(text.splitlines()):
        if line.startswith("kg.errors.") or "InputError:" in line or "ExtractionError:" in line:
            return line.split(": ", 1)[-1].strip()
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


_CODECS = {"gzip": "org.apache.hadoop.io.compress.GzipCodec",
           "bzip2": "org.apache.hadoop.io.compress.BZip2Codec"}


def spark_session(master: str | None = None, app_name: str = "paperkg-extract"):
    """The active Spark session, or a new one (`master` e.g. ``local[4]``; under spark-submit
    leave it None and the submit's ``--master`` applies)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise KGError("PySpark is not installed: pip install 'paperkg[spark]'") from exc
    builder = SparkSession.builder.appName(app_name)
    # spark-submit starts the driver with a gateway (PYSPARK_GATEWAY_PORT) and its own --master;
    # run directly (python -m kg.spark) without --master, the job runs in local mode.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if master or not submitted:
        master = master or "local[*]"
        builder = builder.master(master)
    if master and master.startswith("local") and not submitted:
        # Local workers run this interpreter (with kg and spaCy), not whatever `python3` is first.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return builder.getOrCreate()
