"""The paper's own method (or dataset) name from its title: "FedHyper: A Universal …".

A title of the form ``NAME: description`` names what the paper proposes when NAME looks like a
coined name (inner capitals, all capitals, digits, or a single uncommon capitalised word). The
description decides Method or Dataset ("…: A Benchmark for …" → Dataset). Every occurrence of
the name in the paper then becomes a proposed mention.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.extract.candidates import add_candidate, doc_text
from kg.extract.layout import title_text

_PREFIX = re.compile(r"^\s*([^:]{1,48}?)\s*:\s+\S")
_DATASET_WORDS = re.compile(r"\b(benchmark|dataset|corpus|data set|suite|testbed)s?\b", re.I)
#: Capitalised single words before a colon that are not names ("Survey: …").
GENERIC_WORDS = frozenset(
    "survey review overview tutorial position introduction perspective editorial commentary "
    "abstract preface foreword correction erratum retraction note report proceedings "
    "revisited rethinking towards toward beyond".split()
)


def is_coined(word: str) -> bool:
    """A word that looks like a made-up name: FedHyper, LoRA-SB, GPT-4, BERT, V-Net."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    inner_caps = any(c.isupper() for c in word[1:] if c.isalpha())
    return inner_caps or any(c.isdigit() for c in word)


def title_name(title: str) -> tuple[str, str] | None:
    """(name, label) that the title proposes, or None. Label is ``Method`` or ``Dataset``."""
    m = _PREFIX.match(title)
    if not m:
        return None
    name = m.group(1).strip()
    words = name.split()
    if not words or len(words) > 4:
        return None
    coined = any(is_coined(w) for w in words)
    single = len(words) == 1 and words[0][:1].isupper() and words[0].lower() not in GENERIC_WORDS
    if not (coined or single):
        return None
    description = title[m.end(1):]
    head = " ".join(description.split()[:8])
    label = "Dataset" if _DATASET_WORDS.search(head) else "Method"
    return name, label


def name_occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Character offsets of `name` in `text`, as a whole word, ignoring case."""
    pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", re.I)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


class TitleMethod:
    """Adds the title's coined name, and its uses in the abstract, as proposed candidates."""

    def __init__(self, name: str, *, confidence: float) -> None:
        self.name = name
        self.confidence = confidence

    def __call__(self, doc: Doc) -> Doc:
        found = title_name(title_text(doc))
        if found is None:
            return doc
        name, label = found
        for start, end in name_occurrences(doc_text(doc), name):
            span = doc.char_span(start, end, alignment_mode="strict")
            if span is not None:
                add_candidate(doc, span, label, "title", self.confidence, role="proposed")
        return doc
