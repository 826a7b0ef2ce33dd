"""From a processed Doc to the typed records of :mod:`kg.models`.

The Doc holds title and abstract together (see :mod:`kg.extract.layout`); this module maps
every span back to its field and sentence, and builds the Mentions and CodeLinks of one
:class:`~kg.models.Extraction`; claims and OUTPERFORMS facts come from
:func:`kg.extract.claims.build_claims` (the claim component's or the fallback's sentences).
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.candidates import CONFIDENCE, ENTITIES, ROLE, span_text
from kg.extract.claims import build_claims
from kg.extract.code_links import CODE_LINKS
from kg.extract.keys import entity_key
from kg.extract.layout import Layout
from kg.models import CodeLink, Extraction, Mention, Paper


def mentions(doc: Doc, layout: Layout) -> list[Mention]:
    """The Doc's final mentions with field offsets, first key, role and confidence."""
    out = []
    for span in doc.spans.get(ENTITIES, []):
        place = layout.place(span.start_char, span.end_char)
        if place is None:
            continue
        text = span_text(span)
        out.append(
            Mention(
                label=span.label_,
                text=text,
                field=place.field,
                start=place.start,
                end=place.end,
                key=entity_key(span.label_, text),
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


def to_extraction(doc: Doc, paper: Paper, version: str) -> Extraction:
    """Everything found in one paper's Doc, as an Extraction."""
    layout = Layout(doc)
    found = mentions(doc, layout)
    claim_list, comparisons = build_claims(doc, found)
    return Extraction(paper=paper, entities=found, claims=claim_list, comparisons=comparisons,
                      code=code_links(doc, layout), version=version)
