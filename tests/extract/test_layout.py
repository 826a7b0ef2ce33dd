import pytest

from kg.extract.layout import Layout, make_doc, title_text
from kg.models import Paper


def test_title_and_abstract_map_back(paper_doc):
    title, abstract = "FedHyper: A Scheduler", "We propose FedHyper. It is fast."
    doc = paper_doc(abstract, title=title)
    layout = Layout(doc)
    assert title_text(doc) == title
    start = doc.text.rindex("fast")
    place = layout.place(start, start + 4)
    assert (place.field, abstract[place.start:place.end], place.sentence) == ("abstract", "fast", 1)
    assert layout.place(0, 8) .field == "title"
    assert layout.place(len(title) - 3, len(title) + 4) is None  # crosses the separator


def test_abstract_starts_a_sentence_even_after_an_unpunctuated_title(paper_doc):
    doc = paper_doc("we study it", title="A title without a full stop")
    sents = [s.text for s in doc.sents]
    assert sents[-1] == "we study it"


@pytest.mark.parametrize("title, abstract", [("", "Only an abstract."), ("Only a title", "")])
def test_one_field(nlp, title, abstract):
    doc = make_doc(nlp, Paper(id="p", title=title, abstract=abstract))
    layout = Layout(doc)
    field = "title" if title else "abstract"
    assert layout.place(0, 4).field == field
    assert doc.text == title + abstract
