"""Mention precision, recall and F1 per label: exact span (field, start, end) and label.

Gold labels are mapped onto ours first (:data:`GOLD_LABELS`): SciERC's ``Material`` (datasets,
corpora, languages, images …) is compared with our ``Dataset``; SciREX's ``Dataset`` is
``Dataset``; SciERC's ``OtherScientificTerm`` and ``Generic`` have no counterpart and are left
out on both sides. A prediction counts as correct only when a gold mention has the same field,
offsets and label. Duplicates count once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from kg.models import ENTITY_LABELS, Extraction, Paper

#: Gold label → our label. Labels not listed (and not ours) are ignored.
GOLD_LABELS = {"Method": "Method", "Task": "Task", "Metric": "Metric", "Dataset": "Dataset",
               "Material": "Dataset"}

Key = tuple[str, str, int, int, str]  # paper id, field, start, end, label


def prf(correct: int, predicted: int, gold: int) -> dict[str, float | int]:
    """Precision, recall, F1 and the counts behind them."""
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "gold": gold, "predicted": predicted,
            "correct": correct}


def gold_mentions(papers: Iterable[Paper]) -> set[Key]:
    """The gold mentions of papers read with :func:`kg.evaluate.gold.read_gold`, mapped."""
    out = set()
    for paper in papers:
        for e in paper.meta.get("entities") or []:
            label = GOLD_LABELS.get(e["label"])
            if label is not None:
                out.add((paper.id, e["field"], int(e["start"]), int(e["end"]), label))
    return out


def predicted_mentions(extractions: Iterable[Extraction], ids: set[str]) -> set[Key]:
    """Predicted mentions of the papers in `ids` (others are not scored)."""
    return {
        (ex.paper.id, m.field, m.start, m.end, m.label)
        for ex in extractions
        if ex.paper.id in ids
        for m in ex.entities
        if m.label in ENTITY_LABELS
    }


def score(gold: set[Key], predicted: set[Key]) -> dict[str, Any]:
    """Per-label and micro P/R/F1 of two mention sets."""
    correct = gold & predicted
    count = lambda keys: Counter(k[4] for k in keys)  # noqa: E731
    g, p, c = count(gold), count(predicted), count(correct)
    labels = {lab: prf(c[lab], p[lab], g[lab]) for lab in ENTITY_LABELS if g[lab] or p[lab]}
    return {"labels": labels, "micro": prf(len(correct), len(predicted), len(gold))}


def evaluate_spans(papers: list[Paper], extractions: list[Extraction]) -> dict[str, Any] | None:
    """The entity section of ``kg eval``; None when the gold file has no entity annotations."""
    annotated = [p for p in papers if p.meta.get("entities")]
    if not annotated:
        return None
    gold = gold_mentions(annotated)
    result = score(gold, predicted_mentions(extractions, {p.id for p in annotated}))
    gold_labels = sorted({(GOLD_LABELS[e["label"]], e["label"]) for p in annotated
                          for e in p.meta["entities"] if e["label"] in GOLD_LABELS})
    result["mapping"] = {g: ours for ours, g in gold_labels if g != ours}
    result["papers"] = len(annotated)
    return result
