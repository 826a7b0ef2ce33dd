"""Mention hygiene after the merge: whole brackets, no non-entities, one label per name.

The model and the rules each see a span at a time, so a paper can end up with
"CLIP (Radford et al" (a bracket opened and never closed), "learning rate" as a Metric, or
"LoRA" as a Method in one sentence and a Dataset in the next. Each of these becomes a wrong
node in the graph, so the tidy component, run right after the merge, fixes them per paper:

* a span with an unmatched bracket is cut back to the part outside it ("CLIP (Radford et al"
  → "CLIP"; "SPyNet)" → "SPyNet"); figures listed before a name are cut ("+12.0% and LiGO");
  authors ("Hu et al."), maths ("O(epsilon^{-0.93}n") and spans without a letter are dropped;
* every mention of one name in a paper gets one label: the label with the most trusted
  support (summed confidence; ties go to the first of Method, Dataset, Task, Metric);
* then the phrases that name no entity of that label are dropped, all mentions of the name
  together (hyper-parameters are not metrics, "downstream tasks" is no task, nor are single
  vague words such as "generalization" or "ablation studies": :data:`VAGUE_TASKS`).
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.tokens import Doc, Span

from kg.extract.candidates import CONFIDENCE, ENTITIES, ROLE, SOURCE, span_text

LABEL_ORDER = ("Method", "Dataset", "Task", "Metric")

#: Single words that name no task: a property or a phenomenon of any model ("generalization",
#: "forgetting"), a step of any experiment ("initialization", "ablation studies"), or a word
#: that needs a qualifier to name one ("adaptation", "prediction"). Tagged as Tasks, each became
#: a hub that joins unrelated papers ("generalization": 39 papers of the sample graph); the
#: qualified tasks ("domain generalization", "catastrophic forgetting") stay. Each is at most 3
#: times a gold Task in SciREX dev and never in SciERC dev. "training" and "inference" are no
#: tasks either, but SciREX marks them as Tasks (9 and 5 times in dev), so they stay.
VAGUE_TASKS = (
    "generalization", "generalisation", "forgetting", "initialization", "initialisation",
    "ablation", "ablations", "ablation study", "ablation studies", "adaptation", "prediction",
    "predictions",
)

#: Lower-cased names that are not entities of the label, whatever a model says.
NOT_ENTITIES: dict[str, frozenset[str]] = {
    "Metric": frozenset({
        "learning rate", "learning rates", "batch size", "batch sizes", "step size",
        "step sizes", "weight decay", "momentum", "hyperparameter", "hyperparameters",
        "hyper-parameter", "hyper-parameters", "dropout rate", "temperature",
    }),
    "Task": frozenset({
        "downstream", "downstream task", "downstream tasks", "downstream application",
        "downstream applications", "task", "tasks", "problem", "problems",
        "various tasks", "many tasks", "several tasks", "these tasks", "this task",
    }) | frozenset(VAGUE_TASKS),
}

_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}


def balanced(span: Span) -> Span | None:
    """`span` cut back to the part outside any bracket it does not close, or None if empty."""
    doc = span.doc
    start, end = span.start, span.end
    stack: list[int] = []
    for i in range(start, end):
        text = doc[i].text
        if text in _BRACKETS:
            stack.append(i)
        elif text in _CLOSERS:
            if stack and doc[stack[-1]].text == _CLOSERS[text]:
                stack.pop()
            elif i - start >= end - i - 1:
                end = i  # a stray closer at (or near) the end: keep what is before it
                break
            else:
                start, stack = i + 1, []  # a stray closer near the start: keep what follows
    if stack:
        # An opener never closed: keep the text before it, or, when nothing is, what follows.
        cut = stack[0]
        start, end = (start, cut) if cut > start else (cut + 1, end)
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct
                           and doc[end - 1].text not in _CLOSERS):
        end -= 1
    while start < end and (doc[start].is_space or doc[start].is_punct
                           and doc[start].text not in _BRACKETS):
        start += 1
    return doc[start:end] if start < end else None


_FIGURE = re.compile(r"^[+\-±~]?\d[\d.,]*\\?%?$|^\\?%$|^[+\-±~]$")
_JOINERS = frozenset({"and", "or", ",", "&", "/"})


def _is_et_al(doc: Doc, i: int) -> bool:
    return i + 1 < len(doc) and doc[i].lower_ == "et" and doc[i + 1].lower_.startswith("al")


def cleaned(span: Span) -> Span | None:
    """`span` fit to be a mention, or None: brackets balanced (:func:`balanced`), no figures
    listed before it ("+12.0% and LiGO" → "LiGO"), not an author ("Hu et al."), not maths
    ("O(epsilon^{-0.93}n"), some letter in it."""
    span = balanced(span)
    if span is None:
        return None
    doc, start, end = span.doc, span.start, span.end
    # "+12.0% and LiGO": figures, then a joiner, then the name
    i = start
    while i < end and _FIGURE.match(doc[i].text):
        i += 1
    if start < i < end and doc[i].lower_ in _JOINERS:
        start = i + 1
        while start < end and doc[start].lower_ in _JOINERS:
            start += 1
    if start >= end:
        return None
    span = doc[start:end]
    text = span_text(span)
    if not any(c.isalpha() for c in text):
        return None
    if any(text.count(o) != text.count(c) for o, c in _BRACKETS.items()):
        return None  # a bracket inside a token: maths or a broken span, never a name
    if any(_is_et_al(doc, i) for i in range(start, end)) or _is_et_al(doc, end):
        return None  # an author: "Hu et al."
    return span


def name_of(text: str) -> str:
    """The form under which mentions of one paper count as the same name."""
    words = re.findall(r"[0-9a-z]+", text.lower())
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def vote_labels(spans: list[Span]) -> list[str]:
    """One label per name: the label whose mentions carry the most summed confidence."""
    support: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for span in spans:
        support[name_of(span_text(span))][span.label_] += span._.get(CONFIDENCE) or 0.0
    winner = {
        name: max(votes, key=lambda lab: (round(votes[lab], 6), -LABEL_ORDER.index(lab)
                                          if lab in LABEL_ORDER else -len(LABEL_ORDER)))
        for name, votes in support.items()
    }
    return [winner[name_of(span_text(span))] for span in spans]


class Tidy:
    """Rewrites ``doc.spans["kg"]``: brackets balanced, non-entities out, one label per name."""

    def __init__(self, name: str, *, balance: bool = True, drop_non_entities: bool = True,
                 one_label_per_name: bool = True) -> None:
        self.name = name
        self.balance = balance
        self.drop_non_entities = drop_non_entities
        self.one_label_per_name = one_label_per_name

    def __call__(self, doc: Doc) -> Doc:
        kept: list[tuple[Span, Span]] = []  # (new span, original span)
        for span in doc.spans.get(ENTITIES, []):
            new = cleaned(span) if self.balance else span
            if new is None:
                continue
            kept.append((Span(doc, new.start, new.end, label=span.label_), span))
        if self.one_label_per_name:
            labels = vote_labels([old for _, old in kept])
        else:
            labels = [old.label_ for _, old in kept]
        out = []
        for (new, old), label in zip(kept, labels):
            # After the vote, so that a dropped name takes its other mentions with it: the
            # "generalization" that one sentence tags as a Metric is the same non-task.
            if self.drop_non_entities and span_text(new).lower() in NOT_ENTITIES.get(label, ()):
                continue
            final = Span(doc, new.start, new.end, label=label)
            # Extension values are keyed by character offsets: copy them to the new span.
            values = {key: old._.get(key) for key in (SOURCE, CONFIDENCE, ROLE)}
            for key, value in values.items():
                final._.set(key, value)
            out.append(final)
        doc.spans[ENTITIES] = out
        return doc
