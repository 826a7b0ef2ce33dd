"""Claim precision, recall and F1 against CSAbstruct-style gold sentences.

Gold: papers whose ``sentences`` list (``{start, end, label}``, offsets into ``abstract``) marks
the ``result`` sentences; a claim is a result sentence. Predicted: the ``claims`` of each paper's
extraction (``field == "abstract"``). Sentence boundaries need not agree, so matching is by
character coverage:

- a gold result sentence is **found** when one predicted claim covers it
  (``pred.start <= gold.start`` and ``pred.end >= gold.end``, whitespace at the edges ignored);
- a predicted claim is **correct** when at least half of its characters lie inside gold result
  sentences (so a claim that swallows the whole abstract is not rewarded).

Recall = found / gold result sentences; precision = correct / predicted claims. Claims on the
title count as predicted and are never correct (gold claims are abstract sentences).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from kg.models import Extraction, Paper

CLAIM_ROLE = "result"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def match_claims(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """``(found, correct)`` for one text: gold sentences covered, predicted claims correct.

    Offsets are character offsets into the same text, already stripped of edge whitespace.
    """
    found = sum(1 for gs, ge in gold if any(ps <= gs and pe >= ge for ps, pe in predicted))
    correct = 0
    for ps, pe in predicted:
        inside = sum(max(0, min(pe, ge) - max(ps, gs)) for gs, ge in gold)
        if pe > ps and 2 * inside >= pe - ps:
            correct += 1
    return found, correct


def _gold_record(paper: Paper | Mapping[str, Any]) -> tuple[str, str, list[Mapping[str, Any]] | None]:
    if isinstance(paper, Paper):
        return paper.id, paper.abstract, paper.meta.get("sentences")
    return str(paper.get("id", "")), paper.get("abstract", "") or "", paper.get("sentences")


def _predicted_claims(extraction: Extraction | Mapping[str, Any]) -> tuple[str, list[tuple[str, int, int]]]:
    if isinstance(extraction, Extraction):
        return extraction.paper.id, [(c.field, c.start, c.end) for c in extraction.claims]
    claims = extraction.get("claims", [])
    return str(extraction.get("id", "")), [
        (c.get("field", "abstract"), int(c["start"]), int(c["end"])) for c in claims
    ]


def evaluate_claims(
    gold_papers: Iterable[Paper | Mapping[str, Any]],
    extractions: Iterable[Extraction | Mapping[str, Any]],
) -> dict[str, Any]:
    """Claim P/R/F1 of `extractions` against the gold papers that have labelled sentences.

    Both sides may be records (:class:`~kg.models.Paper` with ``meta["sentences"]``,
    :class:`~kg.models.Extraction`) or the JSON objects of the gold and extraction JSONL files.
    Papers are matched by id; a gold paper without an extraction counts as predicting nothing.
    Gold papers without ``sentences`` are ignored (``papers`` says how many were scored).
    """
    predicted: dict[str, list[tuple[str, int, int]]] = {}
    for ext in extractions:
        pid, claims = _predicted_claims(ext)
        predicted[pid] = claims
    n_papers = n_gold = n_found = n_pred = n_correct = 0
    for paper in gold_papers:
        pid, abstract, sentences = _gold_record(paper)
        if sentences is None:
            continue
        n_papers += 1
        gold = [
            _strip(abstract, int(s["start"]), int(s["end"]))
            for s in sentences
            if s.get("label") == CLAIM_ROLE
        ]
        claims = predicted.get(pid, [])
        in_abstract = [_strip(abstract, s, e) for field, s, e in claims if field == "abstract"]
        found, correct = match_claims(gold, in_abstract)
        n_gold += len(gold)
        n_found += found
        n_pred += len(claims)
        n_correct += correct
    p = n_correct / n_pred if n_pred else 0.0
    r = n_found / n_gold if n_gold else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "gold": n_gold,
        "predicted": n_pred,
        "found": n_found,
        "correct": n_correct,
        "papers": n_papers,
    }
