"""Coined names that are probably methods: FedAvg, SimCLR, LoRA-XS, GPT-4, ResNet-50.

A word with inner capitals, or capitals with digits, or three or more capitals, that no
gazetteer knows is most often a model or method name in an ML abstract. Low confidence: the
merge step lets every other source win over it.
"""

from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Doc

from kg.extract.candidates import add_candidate, doc_text

_COINED = re.compile(
    r"(?<![\w-])(?:[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*|[A-Z]{2,}[a-z]*[A-Za-z0-9]*|[A-Z][A-Za-z]*\d+[A-Za-z0-9]*)"
    r"(?:-[A-Za-z0-9]+)*(?![\w-])"
)
#: Capitalised words that are not method names.
NOT_METHODS = frozenset(
    "AI ML NLP CV IR IT US UK EU USA GPU GPUs CPU CPUs TPU TPUs API APIs URL SOTA II III IV VI "
    "AND OR NOT PhD MSc BSc LaTeX PDF HTML JSON XML SQL RGB RGB-D DNA RNA COVID COVID-19 IoT "
    "NeurIPS ICML ICLR CVPR ECCV ICCV ACL EMNLP NAACL AAAI IJCAI KDD WWW SIGIR arXiv GitHub "
    "OpenAI Google Meta Microsoft DeepMind MIT".split()
)


def find_coined_names(text: str) -> Iterator[tuple[int, int]]:
    """Character ranges of coined-looking words in `text`."""
    for m in _COINED.finditer(text):
        if m.group(0) not in NOT_METHODS and len(m.group(0)) > 1:
            yield m.start(), m.end()


class CoinedNames:
    """Adds coined-looking words as low-confidence Method candidates."""

    def __init__(self, name: str, *, confidence: float) -> None:
        self.name = name
        self.confidence = confidence

    def __call__(self, doc: Doc) -> Doc:
        for start, end in find_coined_names(doc_text(doc)):
            # strict: a name inside a longer token (a URL, "CNN-based") is not a name
            span = doc.char_span(start, end, alignment_mode="strict")
            if span is not None and not any(t.like_url for t in span):
                add_candidate(doc, span, "Method", "coined", self.confidence)
        return doc
