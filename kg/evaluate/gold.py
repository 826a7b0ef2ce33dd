"""Reading gold files (papers JSONL with ``entities``/``sentences``/``salient``) and predictions.

Gold papers become :class:`~kg.models.Paper` records whose ``meta`` keeps the gold keys, so
the extractor runs on exactly what a user's papers look like. Prediction files are extraction
JSONL (DESIGN.md), read back with :meth:`~kg.models.Extraction.from_json`.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.jsonlines import iter_objects
from kg.models import Extraction, Paper

GOLD_KEYS = ("entities", "sentences", "salient", "source")


def read_gold(path: str | Path) -> list[Paper]:
    """The gold papers of a JSONL file; gold annotations are kept in ``Paper.meta``."""
    papers = []
    for n, obj in iter_objects(path):
        title, abstract = obj.get("title") or "", obj.get("abstract") or ""
        if not title and not abstract:
            raise InputError(str(path), "a paper needs a title or an abstract", n)
        pid = str(obj.get("id") or f"{Path(path).stem}:{n}")
        meta = {k: obj[k] for k in GOLD_KEYS if k in obj}
        papers.append(Paper(id=pid, title=title, abstract=abstract, meta=meta))
    return papers


def read_predictions(path: str | Path) -> list[Extraction]:
    """Extractions from an extraction JSONL file (the output of ``kg extract``)."""
    out = []
    for n, obj in iter_objects(path):
        try:
            out.append(Extraction.from_json(obj))
        except (KeyError, TypeError) as exc:
            raise InputError(str(path), f"not an extraction record: {exc}", n) from exc
    return out
