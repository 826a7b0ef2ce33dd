"""FALLBACK claim finder: cue words only, until the trained claim component replaces it.

A sentence of the abstract is a claim when it carries a result cue ("outperforms", "results
show", "achieves", a percentage …). Its kind is comparative (a comparison cue), quantitative (a
number) or qualitative. This is deliberately small; the real component lives in
``kg/extract/claims*.py``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.extract.candidates import CLAIMS, CONFIDENCE, register_extensions
from kg.extract.layout import ABSTRACT_START

_COMPARATIVE = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat|beats|better than|superior to|improves? (?:up)?on|"
    r"exceed\w*|compared (?:to|with)|over (?:the )?(?:state|baseline|previous|prior))",
    re.I,
)
_RESULT = re.compile(
    r"\b(?:results? (?:show|demonstrate|indicate|suggest)|experiments? (?:show|demonstrate)|"
    r"we (?:show|find|found|observe|demonstrate)|achiev\w*|state[- ]of[- ]the[- ]art|"
    r"significantly|improv\w*|reduc\w*|consistently|effective\w*)",
    re.I,
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|x\b|×|times\b|points?\b|BLEU\b|F1\b)|\b\d+\.\d+\b")


def claim_kind(sentence: str) -> str | None:
    """comparative / quantitative / qualitative for a result sentence, None for other sentences."""
    comparative = bool(_COMPARATIVE.search(sentence))
    result = comparative or bool(_RESULT.search(sentence))
    if not result:
        return None
    if comparative:
        return "comparative"
    if _NUMBER.search(sentence):
        return "quantitative"
    return "qualitative"


class CueClaims:
    """Marks the abstract's result sentences in ``doc.spans["kg_claims"]`` (label = kind)."""

    def __init__(self, name: str, *, confidence: float) -> None:
        self.name = name
        self.confidence = confidence
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        start = doc.user_data.get(ABSTRACT_START, 0)
        claims = []
        if start >= 0 and doc.has_annotation("SENT_START"):
            for i, sent in enumerate(s for s in doc.sents if s.start_char >= start):
                kind = claim_kind(sent.text)
                if kind is not None and i > 0:
                    span = Span(doc, sent.start, sent.end, label=kind)
                    span._.set(CONFIDENCE, self.confidence)
                    claims.append(span)
        doc.spans[CLAIMS] = claims
        return doc
