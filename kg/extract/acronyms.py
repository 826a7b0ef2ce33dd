"""Acronym definitions: "Contrastive Language-Image Pre-training (CLIP)".

The algorithm is Schwartz & Hearst (2003), as in scispaCy's ``abbreviation.py``: find a short
form in parentheses, then the shortest run of preceding words whose letters cover the short
form's characters in order, the first character matching a word start. Plain functions over a
Doc; the component in :class:`AcronymDetector` only stores what they find.
"""

from __future__ import annotations

from typing import Iterator

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from kg.extract.candidates import ACRONYM_LONG, ACRONYMS, add_candidate, candidates
from kg.extract.gazetteer import head_label

#: Short forms longer than this (characters) are usually parenthetical remarks, not acronyms.
MAX_SHORT_CHARS = 12
#: Words a long form does not start with.
LEADING_WORDS = frozenset("the a an of and or in for on to with by from its their our".split())


def is_short_form(span: Span) -> bool:
    """A parenthesised span that can be an acronym: 2–12 characters, has a capital, few words."""
    text = span.text
    if not 2 <= len(text) <= MAX_SHORT_CHARS or len(span) > 3:
        return False
    if not any(c.isupper() for c in text) or not text[0].isalnum():
        return False
    return not text.replace(".", "").isdigit()


def short_form_candidates(doc: Doc) -> Iterator[tuple[Span, Span]]:
    """Yield (short form, preceding words) for every ``words (SHORT)`` in the Doc."""
    # Only the "(" tokens, found in the token array: making a Token of every word cost more
    # than the rest of the component.
    opening = numpy.flatnonzero(doc.to_array(ORTH) == doc.vocab.strings["("]) if len(doc) else ()
    for i in opening:
        tok = doc[int(i)]
        close = next((t.i for t in doc[tok.i + 1 : tok.i + 5] if t.text == ")"), None)
        if close is None or close == tok.i + 1:
            continue
        short = doc[tok.i + 1 : close]
        if not is_short_form(short):
            continue
        n_words = min(len(short.text) + 5, len(short.text) * 2)
        start = tok.i
        while start > 0 and tok.i - start < n_words:
            prev = doc[start - 1]
            if prev.is_sent_end or prev.text in {"(", ")", ";", ":", ".", ","} or prev.is_space:
                break
            start -= 1
        if start < tok.i:
            yield short, doc[start : tok.i]


def find_long_form(short: str, words: Span) -> Span | None:
    """The shortest suffix of `words` whose characters spell `short` in order (Schwartz–Hearst)."""
    s = [c.lower() for c in short if c.isalnum()]
    if not s:
        return None
    text = words.text.lower()
    si, li = len(s) - 1, len(text) - 1
    while si >= 0:
        c = s[si]
        # the first short-form character must start a word of the long form
        while li >= 0 and (
            text[li] != c or (si == 0 and li > 0 and text[li - 1].isalnum())
        ):
            li -= 1
        if li < 0:
            return None
        si -= 1
        li -= 1
    start_char = words.start_char + li + 1
    # widen to the start of the word the match began in
    span = words.doc.char_span(start_char, words.end_char, alignment_mode="expand")
    if span is None or len(span.text) <= len(short):
        return None
    # a hyphenated word is one word: "out-of-distribution (OoD)", not "of-distribution"
    doc, start = words.doc, span.start
    while start - 2 >= words.start and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
        start -= 2
    span = doc[start : span.end]
    # trim leading function words that the match may have started in ("the", "of")
    while len(span) > 1 and span[0].lower_ in LEADING_WORDS and span[0].whitespace_:
        span = span[1:]
    return span


def find_acronyms(doc: Doc) -> list[tuple[Span, Span]]:
    """All (long form, short form) pairs defined in the Doc, first definition per short form."""
    seen: set[str] = set()
    pairs = []
    for short, words in short_form_candidates(doc):
        if short.text in seen:
            continue
        long = find_long_form(short.text, words)
        if long is not None:
            seen.add(short.text)
            pairs.append((long, short))
    return pairs


def later_uses(doc: Doc, short: Span) -> Iterator[Span]:
    """Every other occurrence of the short form as whole tokens."""
    n = len(short)
    orths = doc.to_array(ORTH)
    words = orths[short.start : short.end]
    for i in numpy.flatnonzero(orths[: len(doc) - n + 1] == words[0]):
        i = int(i)
        if i != short.start and (orths[i : i + n] == words).all():
            yield doc[i : i + n]


class AcronymDetector:
    """Stores acronym pairs on the Doc and proposes labelled candidates for both forms.

    A pair is labelled by the head word of its long form ("… Network" → Method, "… Dataset" →
    Dataset); pairs with an unknown head get `default_label` at a lower confidence.
    """

    def __init__(self, name: str, *, default_label: str | None, confidence: float) -> None:
        self.name = name
        self.default_label = default_label
        self.confidence = confidence

    def __call__(self, doc: Doc) -> Doc:
        pairs = find_acronyms(doc)
        doc.spans[ACRONYM_LONG] = [long for long, _ in pairs]
        doc.spans[ACRONYMS] = [short for _, short in pairs]
        known = {(c.start, c.end): c.label for c in candidates(doc)}
        for long, short in pairs:
            # a long form some gazetteer already knows keeps that label ("federated learning")
            label = known.get((long.start, long.end)) or head_label([t.text for t in long])
            conf = self.confidence
            if label is None:
                label, conf = self.default_label, conf * 0.7
            if label is None:
                continue
            add_candidate(doc, long, label, "acronym", conf)
            add_candidate(doc, short, label, "acronym", conf)
            for use in later_uses(doc, short):
                add_candidate(doc, use, label, "acronym", conf * 0.9)
        return doc
