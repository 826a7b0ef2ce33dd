"""Where the components leave their findings on the Doc, and how they are read back.

Every rule component adds labelled spans to ``doc.spans[CANDIDATES]`` and records, per span,
where it came from and how sure it is (``Span._.kg_source``, ``Span._.kg_confidence``). The
merge component (:mod:`kg.extract.merge`) picks one span per stretch of text from these and the
trained model's spans and writes the result to ``doc.spans[ENTITIES]``; the role component then
sets ``Span._.kg_role`` on those. Extensions are registered by :mod:`kg.extract.factories`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

CANDIDATES = "kg_candidates"  # rule findings, may overlap
ENTITIES = "kg"  # the final mentions: no overlaps, each with source/confidence/role
ACRONYMS = "kg_acronyms"  # short forms, aligned with ACRONYM_LONG
ACRONYM_LONG = "kg_acronym_long"
CODE = "kg_code"  # code-repository URLs
CLAIMS = "kg_claims"  # claim sentences (label = kind)

SOURCE, CONFIDENCE, ROLE = "kg_source", "kg_confidence", "kg_role"
EXTENSIONS = {SOURCE: "", CONFIDENCE: 1.0, ROLE: "used"}


def register_extensions() -> None:
    """Register the Span extensions the components use (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


def add_candidate(
    doc: Doc, span: Span, label: str, source: str, confidence: float, role: str | None = None
) -> Span:
    """Append a labelled copy of `span` to the candidates, tagged with source and confidence."""
    cand = Span(doc, span.start, span.end, label=label)
    cand._.set(SOURCE, source)
    cand._.set(CONFIDENCE, confidence)
    if role is not None:
        cand._.set(ROLE, role)
    group = doc.spans.get(CANDIDATES)
    if group is None:
        doc.spans[CANDIDATES] = [cand]
    else:
        group.append(cand)
    return cand


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """A token-aligned span for a character range (widened to whole tokens), or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not span.text.strip():
        return None
    return span
