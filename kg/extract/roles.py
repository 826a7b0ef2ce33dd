"""Whether the paper proposes a mention or only uses it.

A Method or Dataset mention is ``proposed`` when it comes from the title's coined name, follows
"our"/"the proposed", is introduced by name ("called X", "dubbed X"), or sits in the object of a
proposal cue ("we propose/introduce/present … X") before the clause turns to what the new thing
uses ("based on", "using", "than" …). Every other mention with the same surface form then gets
the same role. Tasks and metrics are always ``used``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.extract.candidates import ENTITIES, ROLE, SOURCE, doc_text, span_text

PROPOSABLE = frozenset({"Method", "Dataset"})
_CUE = re.compile(
    r"\b(?:we|this (?:paper|work|article|study|letter)|our (?:paper|work)|here)"
    r"(?:,? (?:also|first|further|then|therefore|thus|hence|instead|additionally))?"
    r" (?:propose|introduce|present|develop|design|devise|contribute|release|construct|build"
    r"|create|curate|collect|formulate|offer|describe|call|name|term|dub)(?:s|d|ed)?\b",
    re.I,
)
#: Words after which the sentence talks about what the new thing builds on or beats.
_STOP = re.compile(
    r"\b(?:based on|built on|builds on|using|uses|use|with|via|from|than|over|against|compared"
    r"|such as|including|like|e\.g\.|i\.e\.|inspired by|on top of|extends?|outperform\w*"
    r"|which|that|where|while|whereas|on|by|for|to|of|in)\b|;",
    re.I,
)
_NAMING = re.compile(r"\b(?:called|named|dubbed|termed|coined)\s*$", re.I)
_OWN = re.compile(r"\b(?:our|the proposed|our proposed|the new|a new|a novel|our novel)\s*$", re.I)


def proposal_regions(sentence: str) -> list[tuple[int, int]]:
    """Character ranges of `sentence` that name what a proposal cue proposes."""
    regions = []
    for cue in _CUE.finditer(sentence):
        stop = _STOP.search(sentence, cue.end())
        regions.append((cue.end(), stop.start() if stop else len(sentence)))
    return regions


def is_proposed(span: Span, sentence: Span, regions: list[tuple[int, int]]) -> bool:
    """Whether a mention is proposed by the cues of its sentence or the words right before it."""
    if span._.get(SOURCE) == "title":
        return True
    before = doc_text(span.doc)[max(sentence.start_char, span.start_char - 24) : span.start_char]
    if _NAMING.search(before) or _OWN.search(before):
        return True
    rel = span.start_char - sentence.start_char
    return any(start <= rel < end for start, end in regions)


class RoleTagger:
    """Sets ``Span._.kg_role`` on the final mentions in ``doc.spans["kg"]``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.spans.get(ENTITIES)
        if not spans:
            return doc
        has_sents = doc.has_annotation("SENT_START")
        proposed_texts = set()
        regions: dict[int, list[tuple[int, int]]] = {}
        for span in spans:
            span._.set(ROLE, "used")
            if span.label_ not in PROPOSABLE:
                continue
            sent = span.sent if has_sents else doc[:]
            if sent.start not in regions:
                regions[sent.start] = proposal_regions(span_text(sent))
            if is_proposed(span, sent, regions[sent.start]):
                proposed_texts.add((span.label_, span_text(span).lower()))
        for span in spans:
            if (span.label_, span_text(span).lower()) in proposed_texts:
                span._.set(ROLE, "proposed")
        return doc
