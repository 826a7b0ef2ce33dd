"""The extractor over a spaCy pipeline: papers in, one Extraction per paper out, in order."""

from __future__ import annotations

from typing import Iterable, Iterator

from spacy.language import Language

from kg.extract.layout import make_doc
from kg.extract.to_records import to_extraction
from kg.models import Extraction, Paper


class SpacyExtractor:
    """Runs a paperkg spaCy pipeline over papers (see :class:`kg.extract.base.Extractor`)."""

    def __init__(self, nlp: Language, *, name: str = "paperkg") -> None:
        self.nlp = nlp
        self.name = name
        self.version = f"{nlp.meta.get('name', name)}-{nlp.meta.get('version', '0')}"

    def extract(
        self, papers: Iterable[Paper], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Yield one Extraction per paper, in input order."""
        pairs = ((make_doc(self.nlp, p), p) for p in papers)
        for doc, paper in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size,
                                         n_process=n_process):
            yield to_extraction(doc, paper, self.version)
