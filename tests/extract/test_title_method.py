import pytest

from kg.extract.candidates import candidates
from kg.extract.title_method import TitleMethod, is_coined, title_name


@pytest.mark.parametrize(
    "title, expected",
    [
        ("FedHyper: A Universal and Robust Learning Rate Scheduler for Federated Learning",
         ("FedHyper", "Method")),
        ("SVFit: Parameter-Efficient Fine-Tuning of Large Pre-Trained Models", ("SVFit", "Method")),
        ("POINTS: Improving Your Vision-language Model with Affordable Strategies", ("POINTS", "Method")),
        ("GSM8K: A Benchmark of Grade School Math Word Problems", ("GSM8K", "Dataset")),
        ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces", ("Mamba", "Method")),
        ("Not All Semantics are Created Equal: Contrastive Self-supervised Learning", None),
        ("Survey: Deep Learning for Graphs", None),
        ("Deep Residual Learning for Image Recognition", None),
        ("", None),
    ],
)
def test_title_name(title, expected):
    assert title_name(title) == expected


@pytest.mark.parametrize("word, coined", [("FedHyper", True), ("GPT-4", True), ("BERT", True),
                                           ("Learning", False), ("V-Net", True)])
def test_is_coined(word, coined):
    assert is_coined(word) is coined


def test_marks_every_use_as_proposed(paper_doc):
    doc = paper_doc("This paper presents FedHyper. FEDHYPER's convergence is fast; FedHyperX is not it.",
                    title="FedHyper: A Universal Scheduler")
    TitleMethod("title_method", confidence=0.95)(doc)
    found = [(doc[c.start:c.end].text, c.label, c.role) for c in candidates(doc)]
    assert found == [("FedHyper", "Method", "proposed")] * 2 + [("FEDHYPER", "Method", "proposed")]
