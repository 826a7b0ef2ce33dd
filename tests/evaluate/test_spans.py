import pytest

from kg.evaluate.spans import evaluate_spans, prf, score
from kg.models import Extraction, Mention, Paper


def gold_paper(entities):
    return Paper(id="g", title="", abstract="x" * 100, meta={"entities": entities})


def test_prf():
    assert prf(1, 2, 4) == {"precision": 0.5, "recall": 0.25, "f1": pytest.approx(1 / 3),
                            "gold": 4, "predicted": 2, "correct": 1}
    assert prf(0, 0, 0)["f1"] == 0.0


def test_exact_span_and_label_with_material_as_dataset():
    paper = gold_paper([
        {"field": "abstract", "start": 0, "end": 5, "label": "Method", "text": "x"},
        {"field": "abstract", "start": 10, "end": 15, "label": "Material", "text": "x"},
        {"field": "abstract", "start": 20, "end": 25, "label": "OtherScientificTerm", "text": "x"},
    ])
    pred = Extraction(paper=Paper(id="g", title="", abstract=paper.abstract), entities=[
        Mention("Method", "x", "abstract", 0, 5),     # right
        Mention("Dataset", "x", "abstract", 10, 14),  # wrong end
        Mention("Task", "x", "abstract", 20, 25),     # no gold Task there
    ])
    result = evaluate_spans([paper], [pred])
    assert result["micro"]["correct"] == 1
    assert result["micro"]["gold"] == 2 and result["micro"]["predicted"] == 3
    assert result["labels"]["Method"]["f1"] == 1.0
    assert result["labels"]["Dataset"]["recall"] == 0.0
    assert result["mapping"] == {"Material": "Dataset"}


def test_papers_without_entities_are_not_scored():
    assert evaluate_spans([Paper(id="a", title="t", abstract="a")], []) is None


def test_score_counts_duplicates_once():
    key = ("g", "abstract", 0, 5, "Method")
    assert score({key}, {key})["micro"]["f1"] == 1.0
