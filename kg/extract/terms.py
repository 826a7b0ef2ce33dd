"""Named datasets and benchmarks, metrics and tasks found by gazetteer and pattern.

Plain functions return character ranges; the components add them as candidates. Datasets are
matched case-sensitively with optional version/size/year suffixes (``ImageNet-1k``,
``PASCAL VOC 2012``), plus unknown names right before a dataset noun ("the Voxceleb dataset")
or right before ", a new benchmark". Metrics and tasks are matched ignoring case.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator

from spacy.tokens import Doc

from kg.extract.candidates import add_candidate, char_span, doc_text
from kg.extract.gazetteer import DATASET_NOUNS, DATASETS, METRICS, TASKS

_SUFFIX = r"(?:[- ]?(?:19|20)\d\d|-\d+[kKmM]?|[- ]v\d(?:\.\d)?)?"
_NAME = r"[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*"
#: An unknown capitalised name directly before a dataset noun: "the Voxceleb dataset".
_BEFORE_NOUN = re.compile(
    r"(?<![\w-])(" + _NAME + r"(?: " + _NAME + r"){0,2})(?= (?:" + "|".join(
        re.escape(n) for n in DATASET_NOUNS) + r")\b)"
)
#: "X, a new benchmark …" / "X, a large-scale dataset …".
_APPOSITION = re.compile(
    r"(?<![\w-])(" + _NAME + r")(?=, (?:a|an|the) (?:[\w-]+ ){0,3}(?:dataset|benchmark|corpus)\b)"
)
#: Capitalised words that precede "dataset" without naming one.
_NOT_NAMES = frozenset(
    "The This That These Our A An Each Every Both All Several Many Other New Large Real Public "
    "Standard Benchmark Existing Popular Synthetic Different Multiple Various Two Three Four "
    "Five Six In On For With From Using Training Test Validation".split()
)


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


@lru_cache(maxsize=None)
def _gazetteer_regex(names: tuple[str, ...], ignore_case: bool, suffix: bool) -> re.Pattern:
    """One regex for a name list. With `ignore_case`, only all-lowercase names ignore case:
    ``accuracy`` matches "Accuracy", but ``IS`` (Inception Score) never matches "is"."""
    tail = _SUFFIX if suffix else ""
    if ignore_case:
        lower = [n for n in names if n == n.lower()]
        exact = [n for n in names if n != n.lower()]
        # one case-insensitive group (a per-name inline flag is several times slower)
        body = "(?i:" + _alternation(lower) + ")" + ("|" + _alternation(exact) if exact else "")
    else:
        body = _alternation(names)
    return re.compile(r"(?<![\w-])(?:" + body + r")" + tail + r"(?![\w+])(?!-\d)")


def find_names(
    text: str, names: tuple[str, ...], *, ignore_case: bool, suffix: bool = False
) -> Iterator[tuple[int, int]]:
    """Character ranges of gazetteer names in `text` (longest name wins)."""
    for m in _gazetteer_regex(names, ignore_case, suffix).finditer(text):
        yield m.start(), m.end()


_NOUN_AFTER = re.compile(r"\s(?:" + "|".join(re.escape(n) for n in DATASET_NOUNS) + r")\b")


def find_dataset_names(
    text: str, names: tuple[str, ...] = DATASETS, *, with_noun: bool = True
) -> Iterator[tuple[int, int, float]]:
    """(start, end, confidence) of named datasets: gazetteer hits, then pattern hits.

    With `with_noun`, a dataset noun right after the name belongs to the mention ("the COCO
    dataset" → "COCO dataset"), as SciREX annotates it about three times in four.
    """
    seen = set()

    def extend(end: int) -> int:
        m = _NOUN_AFTER.match(text, end) if with_noun else None
        return m.end() if m else end

    for start, end in find_names(text, names, ignore_case=False, suffix=True):
        seen.add(start)
        yield start, extend(end), 0.9
    for regex, conf in ((_BEFORE_NOUN, 0.6), (_APPOSITION, 0.6)):
        for m in regex.finditer(text):
            start, end = m.span(1)
            words = m.group(1).split()
            while words and words[0] in _NOT_NAMES:
                start += len(words[0]) + 1
                words = words[1:]
            if not words or start in seen:
                continue
            # a lone ordinary Title-case word ("Medical dataset") is not a name
            if len(words) == 1 and words[0].istitle() and words[0].isalpha() and len(words[0]) > 1 \
                    and not regex is _APPOSITION:
                continue
            seen.add(start)
            yield start, extend(end) if regex is _BEFORE_NOUN else end, conf


class Gazetteer:
    """Adds gazetteer matches of one label as candidates."""

    def __init__(self, name: str, *, label: str, terms: tuple[str, ...], ignore_case: bool,
                 confidence: float) -> None:
        self.name = name
        self.label = label
        self.terms = terms
        self.ignore_case = ignore_case
        self.confidence = confidence

    def __call__(self, doc: Doc) -> Doc:
        for start, end in find_names(doc_text(doc), self.terms, ignore_case=self.ignore_case):
            span = char_span(doc, start, end)
            if span is not None:
                add_candidate(doc, span, self.label, self.name, self.confidence)
        return doc


class DatasetFinder:
    """Adds named datasets and benchmarks (gazetteer + patterns) as Dataset candidates."""

    def __init__(self, name: str, *, confidence: float, with_noun: bool) -> None:
        self.name = name
        self.confidence = confidence
        self.with_noun = with_noun

    def __call__(self, doc: Doc) -> Doc:
        for start, end, conf in find_dataset_names(doc_text(doc), with_noun=self.with_noun):
            span = char_span(doc, start, end)
            if span is not None:
                add_candidate(doc, span, "Dataset", "datasets", conf * self.confidence / 0.9)
        return doc


def metric_terms() -> tuple[str, ...]:
    return METRICS


def task_terms() -> tuple[str, ...]:
    return TASKS
