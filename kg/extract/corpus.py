"""Gold files as spaCy training data: one Doc per paper, laid out as the extractor sees it.

Docs are made with :func:`kg.extract.layout.make_doc` (title + separator + abstract), so the
model trains on the same text it later reads. Gold labels are mapped onto the model's labels
(``Material`` → ``Dataset`` by default, see :data:`LABEL_MAP`); mentions of other labels are
dropped, and where mentions overlap (SciERC nests a few) the longer one is kept, because the
entity recogniser predicts flat spans.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.layout import ABSTRACT_START, make_doc
from kg.models import Paper

#: Gold label → model label (SciERC ``Material`` is the nearest thing to our Dataset).
LABEL_MAP = {"Method": "Method", "Task": "Task", "Metric": "Metric", "Dataset": "Dataset",
             "Material": "Dataset"}


def read_jsonl(path: str | Path) -> list[dict]:
    """The JSON objects of a JSONL file."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_doc(nlp: Language, record: dict, label_map: dict[str, str] = LABEL_MAP) -> tuple[Doc, int]:
    """The Doc of one gold paper with its mapped mentions as entities; also the number of
    mentions that could not be aligned to tokens (and were dropped)."""
    paper = Paper(id=str(record.get("id", "")), title=record.get("title") or "",
                  abstract=record.get("abstract") or "")
    doc = make_doc(nlp, paper)
    offsets = {"title": 0, "abstract": doc.user_data[ABSTRACT_START]}
    spans, dropped = [], 0
    for e in record.get("entities", []):
        label = label_map.get(e["label"])
        if label is None:
            continue
        off = offsets[e["field"]]
        span = doc.char_span(off + e["start"], off + e["end"], label=label)
        if span is None:
            dropped += 1
            continue
        spans.append(span)
    doc.ents = filter_spans(spans)
    # the user_data of make_doc is not needed for training and would bloat the DocBin
    doc.user_data.clear()
    return doc, dropped


def gold_docs(nlp: Language, records: Iterable[dict],
              label_map: dict[str, str] = LABEL_MAP) -> Iterator[Doc]:
    """Training Docs for gold records (see :func:`gold_doc`)."""
    for record in records:
        yield gold_doc(nlp, record, label_map)[0]


def folds(records: list[dict], k: int) -> list[tuple[list[dict], list[dict]]]:
    """`k` (train, held-out) splits: record i is held out in fold i % k."""
    return [
        ([r for i, r in enumerate(records) if i % k != f], [r for i, r in enumerate(records) if i % k == f])
        for f in range(k)
    ]
