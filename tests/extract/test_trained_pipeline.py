"""End to end with the shipped trained pipeline (kg/pipelines/paperkg): slow, loads the model."""

import pytest

from kg.extract import load_extractor
from kg.extract.pipeline import SHIPPED, load_pipeline
from kg.models import Paper

pytestmark = pytest.mark.slow

PAPER = Paper(
    id="p",
    title="FedHyper: A Universal and Robust Learning Rate Scheduler for Federated Learning",
    abstract=(
        "The theoretical landscape of federated learning (FL) undergoes rapid evolution. "
        "This paper presents FedHyper, a novel hypergradient-based learning rate adaptation "
        "algorithm. We conduct experiments on CIFAR-10 and Shakespeare with a convolutional "
        "neural network. The results demonstrate that FedHyper consistently converges 1.1-3x "
        "faster than FedAvg while achieving superior final accuracy. "
        "Code: https://github.com/example/fedhyper."
    ),
)


def test_the_pipeline_ships_with_the_package():
    assert (SHIPPED / "config.cfg").exists(), "run scripts/train_pipeline.py"
    nlp = load_pipeline()
    assert {"ner", "merge", "roles", "claims"} <= set(nlp.pipe_names)
    assert nlp.meta["name"] == "paperkg"


def test_default_extractor_is_the_trained_one():
    ex = load_extractor("default")
    assert ex.version.startswith("paperkg-")


def test_extracts_a_paper():
    (ex,) = load_extractor("trained").extract([PAPER])
    for m in ex.entities:
        assert getattr(PAPER, m.field)[m.start:m.end] == m.text
        assert m.label in {"Method", "Dataset", "Task", "Metric"}
    found = {(m.text, m.label, m.role) for m in ex.entities}
    assert ("FedHyper", "Method", "proposed") in found
    assert ("CIFAR-10", "Dataset", "used") in found
    assert any(m.text == "FedAvg" and m.label == "Method" for m in ex.entities)
    assert [c.host for c in ex.code] == ["github.com"]
    assert any(c.kind == "comparative" for c in ex.claims)
    assert ex.version.startswith("paperkg-")


def test_many_papers_keep_their_order():
    papers = [Paper(id=str(i), title="", abstract=f"We evaluate BERT on SQuAD {i}.") for i in range(20)]
    out = list(load_extractor("trained").extract(papers, batch_size=4))
    assert [e.paper.id for e in out] == [p.id for p in papers]
