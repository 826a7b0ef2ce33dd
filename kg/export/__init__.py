"""Export: filter the in-memory graph, then hand it to one writer per format.

``kg export`` reads a graph (a GraphML file from ``kg build``, or Neo4j), narrows it with
:func:`filter_graph` and writes it with the writer that :data:`FORMATS` names.
"""

from kg.export.filters import filter_graph, find_node, node_labels, primary_label
from kg.export.formats import FORMATS, Format, export_graph, get_format, guess_format

__all__ = [
    "FORMATS",
    "Format",
    "export_graph",
    "filter_graph",
    "find_node",
    "get_format",
    "guess_format",
    "node_labels",
    "primary_label",
]
