"""Neo4j: connection settings, the idempotent batched writer, and the reader.

    from kg.neo4j import Settings, write_graph, read_graph
    report = write_graph(graph, Settings.from_env())   # KG_NEO4J_URI, _USER, _PASSWORD, _DATABASE
    graph = read_graph(Settings.from_env())
"""

from kg.neo4j.reader import read_graph
from kg.neo4j.settings import Settings, connect
from kg.neo4j.writer import LoadInterrupted, LoadReport, batched, create_schema, write_graph

__all__ = [
    "LoadInterrupted",
    "LoadReport",
    "Settings",
    "batched",
    "connect",
    "create_schema",
    "read_graph",
    "write_graph",
]
