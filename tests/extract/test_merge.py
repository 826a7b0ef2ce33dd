from spacy.tokens import Span

from kg.extract.candidates import CONFIDENCE, ENTITIES, SOURCE, add_candidate
from kg.extract.merge import Merger, strip_span


def merged(doc, weights=None, named_datasets=True, relabel=True):
    Merger("merge", weights=weights or {}, spans_key=None,
           model_confidence={"Dataset": 0.8, "Method": 0.8}, strip=True,
           named_datasets=named_datasets, relabel_datasets=relabel)(doc)
    return [(s.text, s.label_, s._.get(SOURCE)) for s in doc.spans[ENTITIES]]


def test_more_trusted_span_wins_overlaps(paper_doc):
    doc = paper_doc("We train on the CIFAR-10 dataset with ResNet.")
    add_candidate(doc, doc[4:5], "Dataset", "datasets", 0.9)  # CIFAR-10
    doc.ents = [Span(doc, 3, 6, label="Dataset"), Span(doc, 7, 8, label="Method")]  # the model
    assert merged(doc) == [("CIFAR-10", "Dataset", "datasets"), ("ResNet", "Method", "model")]


def test_weights_change_the_winner(paper_doc):
    doc = paper_doc("We train on the CIFAR-10 dataset.")
    add_candidate(doc, doc[4:5], "Dataset", "datasets", 0.9)
    doc.ents = [Span(doc, 4, 6, label="Dataset")]
    assert merged(doc, {"datasets": 0.5}) == [("CIFAR-10 dataset", "Dataset", "model")]


def test_strip_determiners_and_punctuation(paper_doc):
    doc = paper_doc("We use the BERT, model.")
    assert strip_span(doc[2:5]).text == "BERT"
    assert strip_span(doc[2:3]) is None


def test_confidence_is_kept(paper_doc):
    doc = paper_doc("Scores on GSM8K.")
    add_candidate(doc, doc[2:3], "Dataset", "datasets", 0.9)
    merged(doc)
    assert doc.spans[ENTITIES][0]._.get(CONFIDENCE) == 0.9


def test_named_datasets_and_noise(paper_doc):
    doc = paper_doc("We use images and parallel corpora from WMT14; mail a@b.org now.")
    doc.ents = [Span(doc, 2, 3, label="Dataset"), Span(doc, 4, 6, label="Dataset"),
                Span(doc, 7, 8, label="Dataset"), Span(doc, 10, 11, label="Method")]
    assert [t for t, _, _ in merged(doc)] == ["WMT14"]
    assert [t for t, _, _ in merged(doc, named_datasets=False)] == ["images", "parallel corpora", "WMT14"]


def test_relabel_datasets(paper_doc):
    doc = paper_doc("We test ResNet on Cityscapes, CamVid and COCO-Stuff and the new SciFoo corpus.")
    # ResNet, Cityscapes (Dataset), CamVid, COCO-Stuff, SciFoo corpus: the model says Method
    doc.ents = [Span(doc, 2, 3, label="Method"), Span(doc, 4, 5, label="Dataset"),
                Span(doc, 6, 7, label="Method"), Span(doc, 8, 11, label="Method"),
                Span(doc, 14, 16, label="Method")]
    assert [(t, l) for t, l, _ in merged(doc)] == [
        ("ResNet", "Method"), ("Cityscapes", "Dataset"), ("CamVid", "Dataset"),
        ("COCO-Stuff", "Dataset"), ("SciFoo corpus", "Dataset")]
    assert [l for _, l, _ in merged(doc, relabel=False)][2] == "Method"
