"""paperkg: read paper listings, extract methods/datasets/tasks/metrics/claims with spaCy,
resolve them into canonical entities and write one knowledge graph."""

__version__ = "0.1.0"
