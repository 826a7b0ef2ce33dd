"""Where the components leave their findings on the Doc, and how they are read back.

Every rule component adds its findings to ``doc.user_data[CANDIDATES]`` as plain
:class:`Candidate` tuples (token span, label, source, confidence, role); they may overlap, and
plain data survives pickling between processes. (Span extensions cannot hold them: spaCy keys
a Span's extension values by character offsets, so two findings on the same words would share
one value.) The merge component (:mod:`kg.extract.merge`) picks one span per stretch of text from these and the
trained model's spans and writes the result to ``doc.spans[ENTITIES]``; the role component then
sets ``Span._.kg_role`` on those. Extensions are registered by :mod:`kg.extract.factories`.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc, Span

CANDIDATES = "kg_candidates"  # doc.user_data key: rule findings, may overlap
ENTITIES = "kg"  # the final mentions: no overlaps, each with source/confidence/role
ACRONYMS = "kg_acronyms"  # short forms, aligned with ACRONYM_LONG
ACRONYM_LONG = "kg_acronym_long"
CODE = "kg_code"  # code-repository URLs
CLAIMS = "kg_claims"  # claim sentences (label = kind)
TEXT = "kg_text"  # (token count, doc.text), see doc_text

SOURCE, CONFIDENCE, ROLE = "kg_source", "kg_confidence", "kg_role"
EXTENSIONS = {SOURCE: "", CONFIDENCE: 1.0, ROLE: "used"}


def register_extensions() -> None:
    """Register the Span extensions the components use (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins it from the tokens on every access, and
    the components read it per mention (a fifth of the pipeline's time before this cache)."""
    cached = doc.user_data.get(TEXT)
    if cached is None or cached[0] != len(doc):  # the token count guards against retokenizing
        cached = (len(doc), doc.text)
        doc.user_data[TEXT] = cached
    return cached[1]


def span_text(span: Span) -> str:
    """``span.text`` cut from :func:`doc_text` (spaCy joins it from the span's tokens each time)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


class Candidate(NamedTuple):
    start: int  # token index
    end: int
    label: str
    source: str
    confidence: float
    role: str | None = None


def add_candidate(
    doc: Doc, span: Span, label: str, source: str, confidence: float, role: str | None = None
) -> Candidate:
    """Record a finding of a rule component: `span` labelled `label`."""
    cand = Candidate(span.start, span.end, label, source, confidence, role)
    doc.user_data.setdefault(CANDIDATES, []).append(cand)
    return cand


def candidates(doc: Doc) -> list[Candidate]:
    """The rule findings recorded on `doc` so far."""
    return [Candidate(*c) for c in doc.user_data.get(CANDIDATES, [])]


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """A token-aligned span for a character range (widened to whole tokens), or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not span.text.strip():
        return None
    return span
