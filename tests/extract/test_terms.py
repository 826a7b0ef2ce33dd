import pytest

from kg.extract.candidates import candidates
from kg.extract.gazetteer import METRICS, head_label
from kg.extract.terms import DatasetFinder, Gazetteer, find_dataset_names, find_names


def names(text):
    return [(text[s:e], conf) for s, e, conf in find_dataset_names(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Results on CIFAR-100 and ImageNet-1k.", [("CIFAR-100", 0.9), ("ImageNet-1k", 0.9)]),
        ("We evaluate on GSM8K and Fashion-MNIST.", [("GSM8K", 0.9), ("Fashion-MNIST", 0.9)]),
        ("on PASCAL VOC 2012 and VOT-2018", [("PASCAL VOC 2012", 0.9), ("VOT-2018", 0.9)]),
        ("The experiments use the Voxceleb dataset.", [("Voxceleb dataset", 0.9)]),
        ("The experiments use the FooBar-7 dataset.", [("FooBar-7 dataset", 0.6)]),
        ("the COCO test set and MNIST", [("COCO test set", 0.9), ("MNIST", 0.9)]),
        ("We release SciBench, a new benchmark for science.", [("SciBench", 0.6)]),
        ("a Medical dataset and the Standard benchmark", []),
        ("coco and mnist in lower case are words", []),
        ("CIFAR-10-based training", [("CIFAR-10", 0.9)]),
        ("CIFAR-10x and ImageNet1 are not names we know", []),
    ],
)
def test_find_dataset_names(text, expected):
    assert names(text) == expected


def test_without_the_noun():
    text = "the COCO dataset"
    assert [text[s:e] for s, e, _ in find_dataset_names(text, with_noun=False)] == ["COCO"]


def test_metric_case_rules():
    text = "Accuracy and F1 improve; IS is reported, but this is not a metric."
    found = [text[s:e] for s, e in find_names(text, METRICS, ignore_case=True)]
    assert found == ["Accuracy", "F1", "IS"]


@pytest.mark.parametrize("words, label", [(["graph", "neural", "network"], "Method"),
                                          (["Penn", "Treebank"], "Dataset"),
                                          (["word", "error", "rate"], "Metric"),
                                          (["machine", "translation"], "Task"),
                                          (["blue", "sky"], None)])
def test_head_label(words, label):
    assert head_label(words) == label


def test_components_add_candidates(paper_doc):
    doc = paper_doc("We report BLEU on WMT14 and accuracy on SQuAD.")
    DatasetFinder("datasets", confidence=0.9, with_noun=True)(doc)
    Gazetteer("kg.metrics", label="Metric", terms=METRICS, ignore_case=True, confidence=0.85)(doc)
    found = sorted((doc[c.start:c.end].text, c.label) for c in candidates(doc))
    assert found == [("BLEU", "Metric"), ("SQuAD", "Dataset"), ("WMT14", "Dataset"), ("accuracy", "Metric")]
