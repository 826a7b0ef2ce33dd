"""Extraction past one machine, on Apache Spark (PySpark, an optional extra: ``paperkg[spark]``).

:func:`run_extraction` runs the kg readers and ``load_extractor(name).extract`` per partition and
writes the extraction JSONL; ``kg spark extract`` (or ``python -m kg.spark extract`` /
``spark-submit kg/spark/__main__.py extract``) is its command line. See ``docs/scale.md``.
"""

from kg.spark.job import expand_sources, papers_rdd, run_extraction, spark_session

__all__ = ["expand_sources", "papers_rdd", "run_extraction", "spark_session"]
