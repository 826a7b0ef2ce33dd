"""Reading gold files (papers JSONL with ``entities``/``sentences``/``salient``) and predictions.

Gold papers become :class:`~kg.models.Paper` records whose ``meta`` keeps the gold keys, so
the extractor runs on exactly what a user's papers look like. Prediction files are extraction
JSONL (DESIGN.md), read back with :meth:`~kg.models.Extraction.from_json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.models import Extraction, Paper

GOLD_KEYS = ("entities", "sentences", "salient", "source")


def _objects(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"not JSON: {exc.msg}", n) from exc
        if not isinstance(obj, dict):
            raise InputError(str(path), "expected a JSON object per line", n)
        out.append((n, obj))
    return out


def read_gold(path: str | Path) -> list[Paper]:
    """The gold papers of a JSONL file; gold annotations are kept in ``Paper.meta``."""
    papers = []
    for n, obj in _objects(path):
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
    for n, obj in _objects(path):
        try:
            out.append(Extraction.from_json(obj))
        except (KeyError, TypeError) as exc:
            raise InputError(str(path), f"not an extraction record: {exc}", n) from exc
    return out
