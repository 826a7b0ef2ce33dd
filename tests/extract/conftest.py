"""Helpers for the extract tests: Docs from spacy.blank("en"), never a trained model."""

from __future__ import annotations

import pytest
import spacy

import kg.extract.factories  # noqa: F401  (registers factories and extensions)
from kg.extract.layout import make_doc
from kg.models import Paper


@pytest.fixture(scope="session")
def nlp():
    return spacy.blank("en")


@pytest.fixture
def paper_doc(nlp):
    """Make a title+abstract Doc with sentences, as the extractor lays it out."""

    def make(abstract: str, title: str = ""):
        doc = make_doc(nlp, Paper(id="p", title=title, abstract=abstract))
        return nlp.get_pipe("sentencizer")(doc) if "sentencizer" in nlp.pipe_names else _sents(doc)

    return make


def _sents(doc):
    from spacy.pipeline import Sentencizer

    return Sentencizer()(doc)
