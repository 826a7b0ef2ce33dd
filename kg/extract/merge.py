"""One mention per stretch of text: the rule candidates and the model's spans, reconciled.

Every source proposes labelled spans with a confidence. The merge keeps the most trusted span
wherever spans overlap: higher weighted confidence first, then the longer span. A source's
weight (config ``weights``) scales its confidences, so a config can say "trust the dataset
gazetteer over the model, the model over coined-name guesses" without code changes.

With ``named_datasets``, a Dataset must be a name (a capital or a digit somewhere): the model
learnt SciERC's ``Material``, which also covers "images" or "parallel corpora", and such
mentions would make useless Dataset nodes in the graph.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from spacy.tokens import Doc, Span

from kg.extract.candidates import CONFIDENCE, ENTITIES, ROLE, SOURCE, candidates, doc_text

LABELS = ("Method", "Dataset", "Task", "Metric")


class Scored(NamedTuple):
    span: Span
    label: str
    source: str
    confidence: float
    role: str


def model_spans(doc: Doc, spans_key: str | None, confidence: dict[str, float]) -> Iterable[Scored]:
    """The trained component's spans: `doc.ents` (confidence per label, e.g. its dev
    precision), or a spancat group with its scores."""
    if spans_key and spans_key in doc.spans:
        group = doc.spans[spans_key]
        scores = group.attrs.get("scores")
        for i, span in enumerate(group):
            score = float(scores[i]) if scores is not None else confidence.get(span.label_, 0.8)
            yield Scored(span, span.label_, "model", score, "used")
    else:
        for span in doc.ents:
            yield Scored(span, span.label_, "model", confidence.get(span.label_, 0.8), "used")


def rule_spans(doc: Doc) -> Iterable[Scored]:
    """The rule components' findings."""
    for c in candidates(doc):
        yield Scored(doc[c.start : c.end], c.label, c.source, c.confidence, c.role or "used")


def select(candidates: Iterable[Scored], weights: dict[str, float]) -> list[Scored]:
    """Greedy choice of non-overlapping spans by weighted confidence, then length."""
    ranked = sorted(
        (c for c in candidates if c.label in LABELS),
        key=lambda c: (weights.get(c.source, 1.0) * c.confidence, len(c.span), -c.span.start),
        reverse=True,
    )
    taken: list[Scored] = []
    used = set()
    for cand in ranked:
        tokens = range(cand.span.start, cand.span.end)
        if any(i in used for i in tokens):
            continue
        used.update(tokens)
        taken.append(cand)
    return sorted(taken, key=lambda c: c.span.start)


DETERMINERS = frozenset({"the", "a", "an", "our", "its", "their", "this", "these", "those"})
TRAILING = frozenset({",", ".", ";", ":", "(", "-"})


def is_named(span: Span) -> bool:
    """A name rather than a description: some capital letter or digit ("CIFAR-10", "Penn
    Treebank", not "images" or "parallel corpora")."""
    return any(c.isupper() or c.isdigit() for c in span.text)


def is_noise(span: Span) -> bool:
    """E-mail addresses and URLs are never mentions."""
    return any(t.like_email or t.like_url for t in span)


DATASET_HEADS = frozenset({"dataset", "datasets", "corpus", "corpora", "benchmark", "benchmarks",
                           "database", "treebank"})
_LIST_GAP = re.compile(r"^\s*(?:,|and|or|, and|, or|/|&)\s*$")


def relabel_datasets(spans: list[Span]) -> list[str]:
    """Labels after two dataset clues the model misses: a name whose head is a dataset noun
    ("English MS-MARCO dataset") is a Dataset, and so is a name listed with a Dataset
    ("Cityscapes, CamVid and COCO-Stuff"). `spans` are sorted and do not overlap."""
    labels = [s.label_ for s in spans]
    for i, span in enumerate(spans):
        if labels[i] != "Dataset" and span[-1].lower_ in DATASET_HEADS and is_named(span):
            labels[i] = "Dataset"
    changed = True
    while changed:
        changed = False
        for i in range(len(spans) - 1):
            a, b = spans[i], spans[i + 1]
            if {labels[i], labels[i + 1]} != {"Dataset", "Method"} or a.sent.start != b.sent.start:
                continue
            if not _LIST_GAP.match(doc_text(a.doc)[a.end_char : b.start_char]):
                continue
            j = i if labels[i] == "Method" else i + 1
            if is_named(spans[j]):
                labels[j] = "Dataset"
                changed = True
    return labels


def strip_span(span: Span) -> Span | None:
    """Drop leading determiners and dangling punctuation ("the CIFAR-10," → "CIFAR-10")."""
    doc, start, end = span.doc, span.start, span.end
    while start < end and (
        doc[start].is_space
        or doc[start].lower_ in DETERMINERS
        or (doc[start].is_punct and not (doc[start].text == "(" and ")" in doc[start:end].text))
    ):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in TRAILING):
        end -= 1
    return doc[start:end] if start < end else None


class Merger:
    """Writes the chosen mentions to ``doc.spans["kg"]`` with source, confidence and role."""

    def __init__(self, name: str, *, weights: dict[str, float], spans_key: str | None,
                 model_confidence: dict[str, float], strip: bool, named_datasets: bool,
                 relabel_datasets: bool) -> None:
        self.name = name
        self.relabel_datasets = relabel_datasets
        self.named_datasets = named_datasets
        self.weights = dict(weights)
        self.spans_key = spans_key
        self.model_confidence = dict(model_confidence)
        self.strip = strip

    def __call__(self, doc: Doc) -> Doc:
        cands = list(rule_spans(doc)) + list(model_spans(doc, self.spans_key, self.model_confidence))
        chosen = []
        for c in select(cands, self.weights):
            span = strip_span(c.span) if self.strip else c.span
            if span is not None and not is_noise(span):
                chosen.append((Span(doc, span.start, span.end, label=c.label), c))
        if self.relabel_datasets and doc.has_annotation("SENT_START"):
            labels = relabel_datasets([s for s, _ in chosen])
            chosen = [(Span(doc, s.start, s.end, label=lab), c) for (s, c), lab in zip(chosen, labels)]
        out = []
        for final, c in chosen:
            if self.named_datasets and final.label_ == "Dataset" and not is_named(final):
                continue
            final._.set(SOURCE, c.source)
            final._.set(CONFIDENCE, round(min(1.0, c.confidence), 4))
            final._.set(ROLE, c.role or "used")
            out.append(final)
        doc.spans[ENTITIES] = out
        return doc
