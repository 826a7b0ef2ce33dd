import pytest

from kg.extract.acronyms import AcronymDetector, find_acronyms, find_long_form, is_short_form
from kg.extract.candidates import ACRONYM_LONG, ACRONYMS, candidates


@pytest.mark.parametrize(
    "text, pairs",
    [
        ("We build on Contrastive Language-Image Pre-training (CLIP) for retrieval.",
         [("Contrastive Language-Image Pre-training", "CLIP")]),
        ("Large language models (LLMs) are good at in-context learning (ICL).",
         [("Large language models", "LLMs"), ("in-context learning", "ICL")]),
        ("a dilemma for robust out-of-distribution (OoD) generalization",
         [("out-of-distribution", "OoD")]),
        ("We train a convolutional neural network (CNN) on images.",
         [("convolutional neural network", "CNN")]),
        ("The model is small (see Fig. 2) and fast (2019).", []),
        ("It improves accuracy (ACC) and is fast (FAST).", [("accuracy", "ACC")]),
        ("This (XYZQ) has no long form.", []),
    ],
)
def test_find_acronyms(nlp, text, pairs):
    doc = nlp(text)
    assert [(lf.text, sf.text) for lf, sf in find_acronyms(doc)] == pairs


def test_first_definition_wins(nlp):
    doc = nlp("Graph neural networks (GNNs) are used. Generic neural nets (GNNs) too.")
    assert [(lf.text, sf.text) for lf, sf in find_acronyms(doc)] == [("Graph neural networks", "GNNs")]


@pytest.mark.parametrize("text, ok", [("CLIP", True), ("2019", False), ("i.e.", False),
                                      ("see Fig. 2 here", False), ("LoRA", True)])
def test_is_short_form(nlp, text, ok):
    assert is_short_form(nlp(text)[:]) is ok


def test_long_form_needs_word_start(nlp):
    doc = nlp("using the hidden markov model")
    assert find_long_form("HMM", doc[1:]).text == "hidden markov model"
    assert find_long_form("ZQ", doc[1:]) is None


def test_component_labels_by_head_and_propagates(paper_doc):
    doc = paper_doc("We use a graph neural network (GNN). The GNN is trained on the data.")
    AcronymDetector("acronyms", default_label="Method", confidence=0.8)(doc)
    assert [s.text for s in doc.spans[ACRONYMS]] == ["GNN"]
    assert [s.text for s in doc.spans[ACRONYM_LONG]] == ["graph neural network"]
    found = [(doc[c.start:c.end].text, c.label) for c in candidates(doc)]
    assert found == [("graph neural network", "Method"), ("GNN", "Method"), ("GNN", "Method")]


def test_component_keeps_a_known_label(paper_doc):
    from kg.extract.candidates import add_candidate

    doc = paper_doc("We study federated learning (FL) at scale.")
    add_candidate(doc, doc[2:4], "Task", "kg.tasks", 0.85)
    AcronymDetector("acronyms", default_label="Method", confidence=0.8)(doc)
    labels = {(doc[c.start:c.end].text, c.label) for c in candidates(doc)}
    assert ("FL", "Task") in labels and ("FL", "Method") not in labels
