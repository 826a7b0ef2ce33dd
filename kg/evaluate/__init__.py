"""``kg eval``: score extractions against a gold file, one section per kind of annotation.

Each section is a function ``(gold papers, extractions) -> dict | None`` in its own module
(None: the gold file has nothing for it). :data:`SECTIONS` lists them in report order; adding
an evaluation means adding a module and one line here. :mod:`kg.evaluate.report` prints any
section result as a table.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from kg.models import Extraction, Paper

Section = Callable[[list[Paper], list[Extraction]], "dict[str, Any] | None"]

#: (section name, "module:function"), in report order.
SECTIONS: list[tuple[str, str]] = [
    ("entities", "kg.evaluate.spans:evaluate_spans"),
    ("claims", "kg.evaluate.claims_section:evaluate"),
    ("resolution", "kg.evaluate.resolution:evaluate_section"),
]


def section(spec: str) -> Section:
    """The section function named by ``module:function``."""
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)


def evaluate(papers: list[Paper], extractions: list[Extraction]) -> dict[str, Any]:
    """Every section that applies to the gold `papers`, by name."""
    results: dict[str, Any] = {"papers": len(papers)}
    for name, spec in SECTIONS:
        result = section(spec)(papers, extractions)
        if result is not None:
            results[name] = result
    return results
