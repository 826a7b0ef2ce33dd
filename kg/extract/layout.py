"""One Doc per paper: the title and the abstract joined, and the way back to field offsets.

The pipeline sees ``title + SEPARATOR + abstract`` so that every component has the whole paper
(the title names the method that the abstract then proposes). The abstract always starts a new
sentence. :class:`Layout` maps a character span of the Doc back to ``(field, start, end)`` and
the sentence index within that field; spans that cross the separator belong to neither field.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.candidates import TEXT, doc_text
from kg.models import Paper

SEPARATOR = "\n\n"
#: `doc.user_data` key holding the character offset where the abstract starts (-1: no abstract).
ABSTRACT_START = "kg_abstract_start"
#: `doc.user_data` key holding the length of the title.
TITLE_END = "kg_title_end"


def make_doc(nlp: Language, paper: Paper) -> Doc:
    """Tokenise a paper into one Doc and mark where its fields start and end."""
    title, abstract = paper.title or "", paper.abstract or ""
    if title and abstract:
        text, abstract_start = title + SEPARATOR + abstract, len(title) + len(SEPARATOR)
    elif abstract:
        text, abstract_start = abstract, 0
    else:
        text, abstract_start = title, -1
    doc = nlp.make_doc(text)
    # spaCy's tokenizer keeps the text exactly, so the components' copy of doc.text is this one
    # (joining it back from the tokens cost ~7% of the pipeline).
    doc.user_data[TEXT] = (len(doc), text)
    doc.user_data[TITLE_END] = len(title)
    doc.user_data[ABSTRACT_START] = abstract_start
    if abstract_start > 0:
        for token in doc:
            if token.idx >= abstract_start:
                token.is_sent_start = True
                break
    return doc


def title_text(doc: Doc) -> str:
    """The paper's title as it appears at the start of the Doc ('' when there is none)."""
    return doc_text(doc)[: doc.user_data.get(TITLE_END, 0)]


def in_title(doc: Doc, start_char: int) -> bool:
    """Whether a character offset lies inside the title."""
    return start_char < doc.user_data.get(TITLE_END, 0)


@dataclass(frozen=True)
class Place:
    field: str
    start: int
    end: int
    sentence: int


class Layout:
    """Maps character spans of a paper's Doc to field offsets and sentence indices."""

    def __init__(self, doc: Doc) -> None:
        self.title_end = doc.user_data.get(TITLE_END, 0)
        self.abstract_start = doc.user_data.get(ABSTRACT_START, -1)
        self._title_sents: list[int] = []
        self._abstract_sents: list[int] = []
        has_sents = doc.has_annotation("SENT_START")
        starts = [s.start_char for s in doc.sents] if has_sents and len(doc) else [0]
        for start in starts:
            if self.abstract_start >= 0 and start >= self.abstract_start:
                self._abstract_sents.append(start)
            elif start < self.title_end:
                self._title_sents.append(start)
        if self.abstract_start >= 0 and (
            not self._abstract_sents or self._abstract_sents[0] > self.abstract_start
        ):
            self._abstract_sents.insert(0, self.abstract_start)
        if not self._title_sents:
            self._title_sents = [0]

    def place(self, start_char: int, end_char: int) -> Place | None:
        """Field, field offsets and sentence index of a Doc span; None if it crosses fields."""
        if end_char <= self.title_end:
            sentence = bisect_right(self._title_sents, start_char) - 1
            return Place("title", start_char, end_char, max(sentence, 0))
        if self.abstract_start >= 0 and start_char >= self.abstract_start:
            sentence = bisect_right(self._abstract_sents, start_char) - 1
            off = self.abstract_start
            return Place("abstract", start_char - off, end_char - off, max(sentence, 0))
        return None
