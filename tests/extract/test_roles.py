import pytest
from spacy.tokens import Span

from kg.extract.candidates import ENTITIES, ROLE
from kg.extract.roles import RoleTagger, proposal_regions


def tag(doc, words_labels):
    spans, pos = [], 0
    for words, label in words_labels:  # in text order
        start = doc.text.index(words, pos)
        pos = start + len(words)
        spans.append(doc.char_span(start, pos, label=label))
    doc.spans[ENTITIES] = spans
    RoleTagger("roles")(doc)
    return {(s.text, s.label_): s._.get(ROLE) for s in doc.spans[ENTITIES]}


@pytest.mark.parametrize(
    "text, mentions, proposed",
    [
        ("We propose FedHyper, a scheduler based on FedAvg.",
         [("FedHyper", "Method"), ("FedAvg", "Method")], {"FedHyper"}),
        ("In this paper, we introduce GraNd and compare it with EL2N on images.",
         [("GraNd", "Method"), ("EL2N", "Method")], {"GraNd"}),
        ("This paper presents SciBench, a new benchmark.", [("SciBench", "Dataset")], {"SciBench"}),
        ("We use BERT on SQuAD.", [("BERT", "Method"), ("SQuAD", "Dataset")], set()),
        ("Our approach, called LoRA-SB, beats LoRA.", [("LoRA-SB", "Method"), ("LoRA", "Method")], {"LoRA-SB"}),
        ("We propose a method for image classification.", [("image classification", "Task")], set()),
    ],
)
def test_roles(paper_doc, text, mentions, proposed):
    roles = tag(paper_doc(text), mentions)
    assert {t for (t, _), r in roles.items() if r == "proposed"} == proposed


def test_same_name_shares_the_role(paper_doc):
    doc = paper_doc("We propose GraNd. GraNd scores examples early.")
    start = doc.text.rindex("GraNd")
    doc.spans[ENTITIES] = [doc.char_span(11, 16, label="Method"),
                           doc.char_span(start, start + 5, label="Method")]
    RoleTagger("roles")(doc)
    assert [s._.get(ROLE) for s in doc.spans[ENTITIES]] == ["proposed", "proposed"]


def test_regions_stop_at_what_the_proposal_uses():
    text = "We propose X using Y"
    (start, end), = proposal_regions(text)
    assert text[start:end].strip() == "X"
