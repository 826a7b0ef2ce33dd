"""From a processed Doc to the typed records of :mod:`kg.models`.

The Doc holds title and abstract together (see :mod:`kg.extract.layout`); this module maps
every span back to its field and sentence, and builds the Mentions, Claims, Comparisons and
CodeLinks of one :class:`~kg.models.Extraction`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.candidates import CLAIMS, CONFIDENCE, ENTITIES, ROLE
from kg.extract.code_links import CODE_LINKS
from kg.extract.keys import entity_key
from kg.extract.layout import Layout
from kg.models import Claim, CodeLink, Comparison, Extraction, Mention, Paper

_COMPARE_CUE = ("outperform", "surpass", "better than", "superior to", "beat", "exceed")


def mentions(doc: Doc, layout: Layout) -> list[Mention]:
    """The Doc's final mentions with field offsets, first key, role and confidence."""
    out = []
    for span in doc.spans.get(ENTITIES, []):
        place = layout.place(span.start_char, span.end_char)
        if place is None:
            continue
        out.append(
            Mention(
                label=span.label_,
                text=span.text,
                field=place.field,
                start=place.start,
                end=place.end,
                key=entity_key(span.label_, span.text),
                role=span._.get(ROLE) or "used",
                confidence=float(span._.get(CONFIDENCE)),
                sentence=place.sentence,
            )
        )
    return out


def code_links(doc: Doc, layout: Layout) -> list[CodeLink]:
    out = []
    for start, end, url, host, owner, name in doc.user_data.get(CODE_LINKS, []):
        place = layout.place(start, end)
        if place is not None:
            out.append(CodeLink(url=url, host=host, owner=owner, name=name, field=place.field,
                                start=place.start, end=place.end, sentence=place.sentence))
    return out


def claims(doc: Doc, layout: Layout, found: list[Mention]) -> list[Claim]:
    """Claim sentences from ``doc.spans["kg_claims"]``, with the keys of the mentions inside."""
    out = []
    for span in doc.spans.get(CLAIMS, []):
        place = layout.place(span.start_char, span.end_char)
        if place is None:
            continue
        about = []
        for m in found:
            if m.field == place.field and place.start <= m.start and m.end <= place.end:
                if m.key not in about:
                    about.append(m.key)
        out.append(Claim(text=span.text, field=place.field, start=place.start, end=place.end,
                         kind=span.label_, about=about, confidence=float(span._.get(CONFIDENCE)),
                         sentence=place.sentence))
    return out


def comparisons(found: list[Mention], claim_list: list[Claim]) -> list[Comparison]:
    """OUTPERFORMS facts from comparative claims: the proposed (or first) method beats the
    methods named after the comparison cue; the claim's first dataset and metric go with it."""
    out = []
    proposed = [m.key for m in found if m.label == "Method" and m.role == "proposed"]
    for i, claim in enumerate(claim_list):
        if claim.kind != "comparative":
            continue
        inside = [m for m in found if m.field == claim.field
                  and claim.start <= m.start and m.end <= claim.end]
        lowered = claim.text.lower()
        cue = min((lowered.find(c) for c in _COMPARE_CUE if c in lowered), default=-1)
        if cue < 0:
            continue
        cue += claim.start
        winners = [m.key for m in inside if m.label == "Method" and m.start < cue]
        method = next((k for k in winners if k in proposed), winners[0] if winners else None)
        if method is None and proposed:
            method = proposed[0]
        if method is None:
            continue
        dataset = next((m.key for m in inside if m.label == "Dataset"), None)
        metric = next((m.key for m in inside if m.label == "Metric"), None)
        seen = set()
        for m in inside:
            if m.label == "Method" and m.start > cue and m.key != method and m.key not in seen:
                seen.add(m.key)
                out.append(Comparison(method=method, baseline=m.key, claim=i, dataset=dataset,
                                      metric=metric, confidence=claim.confidence))
    return out


def to_extraction(doc: Doc, paper: Paper, version: str) -> Extraction:
    """Everything found in one paper's Doc, as an Extraction."""
    layout = Layout(doc)
    found = mentions(doc, layout)
    claim_list = claims(doc, layout, found)
    return Extraction(paper=paper, entities=found, claims=claim_list,
                      comparisons=comparisons(found, claim_list), code=code_links(doc, layout),
                      version=version)
