"""The export formats: one writer module each under :mod:`kg.writers`, named here.

A writer is a function ``write(graph, path) -> None`` taking the in-memory graph (DESIGN.md)
and a file path, or a folder path for ``csv``. Modules are imported only when their format is
used, so a format with an optional dependency costs nothing to the others. Adding a format
means adding one writer module and one :class:`Format` line below.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.errors import InputError

Writer = Callable[[nx.MultiDiGraph, Path], object]


@dataclass(frozen=True)
class Format:
    """One output format: its name, writer and what it writes (a file or a folder)."""

    name: str
    module: str
    function: str
    suffixes: tuple[str, ...]
    folder: bool
    description: str

    def writer(self) -> Writer:
        """The writer function (imports its module on first use)."""
        return getattr(importlib.import_module(self.module), self.function)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("graphml", "kg.writers.graphml", "write_graphml", (".graphml", ".xml"), False,
               "GraphML as `kg build` writes it (networkx, Gephi, Cytoscape, APOC)"),
        Format("gexf", "kg.writers.gexf", "write_gexf", (".gexf",), False,
               "GEXF 1.3 for Gephi, coloured by label"),
        Format("json", "kg.writers.json", "write_json", (".json",), False,
               "networkx node-link JSON (d3 and other JavaScript tools)"),
        Format("csv", "kg.writers.csv", "write_csv", (), True,
               "a folder of CSV files for `neo4j-admin database import full`"),
        Format("html", "kg.writers.html", "write_html", (".html", ".htm"), False,
               "one self-contained interactive HTML page"),
    )
}


def guess_format(path: str | os.PathLike) -> str | None:
    """The format a file name implies (``.gexf`` → ``gexf``; no suffix → ``csv``), or None."""
    suffix = Path(path).suffix.lower()
    if not suffix:
        return "csv"
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt.name
    return None


def get_format(name: str) -> Format:
    """The :class:`Format` called `name`; :class:`InputError` for an unknown one."""
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise InputError("--format", f"unknown format {name!r}; choose from {', '.join(FORMATS)}") from None


def export_graph(graph: nx.MultiDiGraph, format_name: str, out: str | os.PathLike) -> Format:
    """Write `graph` to `out` in the named format; returns the format used."""
    fmt = get_format(format_name)
    fmt.writer()(graph, Path(out))
    return fmt
