"""The claims section of ``kg eval``: delegates to :func:`kg.evaluate.claims.evaluate_claims`."""

from __future__ import annotations

from typing import Any

from kg.evaluate.claims import evaluate_claims
from kg.models import Extraction, Paper


def evaluate(papers: list[Paper], extractions: list[Extraction]) -> dict[str, Any] | None:
    """Claim P/R/F1, or None when no gold paper has labelled sentences."""
    if not any(p.meta.get("sentences") for p in papers):
        return None
    return evaluate_claims(papers, extractions)
