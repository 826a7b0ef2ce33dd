"""Training data for the claim tagger: CSAbstruct-style JSONL as spaCy Examples.

Each line is a paper with ``abstract`` and ``sentences`` (``{start, end, label}``, character
offsets into ``abstract``). The reference Doc carries the gold roles in
``doc.spans["kg_sentence_roles"]``. For training both Docs carry the gold sentence boundaries;
for evaluation (``gold_sentences = false``) the predicted Doc has none and the pipeline's own
sentencizer sets them, as it will at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from spacy.language import Language
from spacy.tokens import Span, SpanGroup
from spacy.training import Example

from kg.jsonlines import iter_objects
from kg.extract.claims_tagger import ROLES_KEY


def read_papers(path: str | Path) -> Iterator[dict]:
    """The JSON objects of a JSONL file that have an abstract and labelled sentences."""
    for _, obj in iter_objects(path):
        if obj.get("abstract") and obj.get("sentences"):
            yield obj


def paper_example(nlp: Language, paper: dict, gold_sentences: bool = True) -> Example:
    """An Example whose Docs hold the abstract and the gold roles.

    With `gold_sentences` both Docs carry the gold sentence starts (for training); without, the
    predicted Doc has none, so the pipeline's own sentencizer sets them (for evaluation).
    """
    predicted = nlp.make_doc(paper["abstract"])
    reference = nlp.make_doc(paper["abstract"])
    spans = []
    starts = set()
    for sent in paper["sentences"]:
        span = reference.char_span(sent["start"], sent["end"], alignment_mode="expand")
        if span is None or not len(span):
            continue
        spans.append(Span(reference, span.start, span.end, label=sent["label"]))
        starts.add(span.start)
    for doc in (predicted, reference) if gold_sentences else (reference,):
        for token in doc:
            token.is_sent_start = token.i in starts or token.i == 0
    reference.spans[ROLES_KEY] = SpanGroup(reference, name=ROLES_KEY, spans=spans)
    return Example(predicted, reference)


def make_csabstruct_reader(
    path: str, limit: int = 0, gold_sentences: bool = True
) -> Callable[[Language], Iterator[Example]]:
    """Reader ``kg.CSAbstructCorpus.v1``: Examples from a CSAbstruct-style JSONL file
    (``gold_sentences = false`` for a dev corpus scored with the pipeline's own sentences)."""

    def read(nlp: Language) -> Iterator[Example]:
        for i, paper in enumerate(read_papers(path)):
            if limit and i >= limit:
                break
            yield paper_example(nlp, paper, gold_sentences)

    return read
