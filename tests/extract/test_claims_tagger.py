"""The claim tagger component: an untrained model on hand-made abstracts (no trained pipeline),
plus one slow test that the trained component labels an obvious result sentence."""

from __future__ import annotations

import os
from pathlib import Path

import numpy
import pytest
import spacy

import kg.extract.claims_factories  # noqa: F401  (registers kg_claims_v1)
from kg.errors import ExtractionError
from kg.extract.candidates import CLAIMS, CONFIDENCE
from kg.extract.claims_corpus import paper_example
from kg.extract.claims_model import position_features
from kg.extract.claims_tagger import ROLES_KEY, abstract_sentences
from kg.extract.layout import make_doc
from kg.models import Paper

REPO = Path(__file__).resolve().parents[2]

def _abstract(*sentences: tuple[str, str]) -> dict:
    """A CSAbstruct-style record from (sentence, role) pairs joined by spaces."""
    text, spans = "", []
    for sent, label in sentences:
        if text:
            text += " "
        spans.append({"start": len(text), "end": len(text) + len(sent), "label": label})
        text += sent
    return {"abstract": text, "sentences": spans}


ABSTRACTS = [
    _abstract(
        ("Image models are large.", "background"),
        ("We aim to make them small.", "objective"),
        ("We prune weights by magnitude.", "method"),
        ("Results show that the pruned model is 3x faster.", "result"),
    ),
    _abstract(
        ("Parsing is hard.", "background"),
        ("We train a parser on treebanks.", "method"),
        ("It outperforms prior parsers.", "result"),
    ),
]

SMALL_MODEL = {
    "hidden_width": 16,
    "ngram_bits": 12,
    "encoder": {"@layers": "kg.sentence_bag.v1", "width": 16, "rows": 1000, "n_position_buckets": 4},
}
POOLER = {
    "@layers": "kg.sentence_pooler.v1",
    "n_position_buckets": 4,
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 16,
            "attrs": ["NORM", "SHAPE"],
            "rows": [500, 100],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 16,
            "depth": 1,
            "window_size": 1,
            "maxout_pieces": 2,
        },
    },
}


def _small_pipeline(threshold: float = 0.5, encoder: dict | None = None):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    model = {"@architectures": "kg.SentenceRoles.v1", **SMALL_MODEL}
    if encoder is not None:
        model["encoder"] = encoder
    nlp.add_pipe("kg_claims_v1", name="claims", config={"model": model, "threshold": threshold})
    return nlp


def test_gold_examples_carry_sentences_and_roles():
    nlp = spacy.blank("en")
    eg = paper_example(nlp, ABSTRACTS[0])
    assert [s.label_ for s in eg.reference.spans[ROLES_KEY]] == ["background", "objective", "method", "result"]
    assert [s.text for s in eg.predicted.sents][-1] == "Results show that the pruned model is 3x faster."


def test_position_features_mark_first_last_and_buckets():
    feats = position_features(4, numpy.array([3, 5, 5, 9]), n_buckets=4)
    assert feats.shape == (4, 4 + 6)
    assert feats[:, :4].argmax(axis=1).tolist() == [0, 1, 2, 3]
    assert feats[0, 5] == 1 and feats[3, 6] == 1 and feats[2, 7] == 1


@pytest.mark.parametrize("encoder", [None, POOLER], ids=["sentence_bag", "sentence_pooler"])
def test_tagger_learns_the_toy_abstracts_and_marks_claims(encoder):
    nlp = _small_pipeline(encoder=encoder)
    examples = [paper_example(nlp, a) for a in ABSTRACTS]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        losses = nlp.update(examples, sgd=optimizer)
    assert losses["claims"] < 1.0
    doc = nlp(ABSTRACTS[1]["abstract"])
    roles = [s.label_ for s in doc.spans[ROLES_KEY]]
    assert roles == ["background", "method", "result"]
    claims = doc.spans[CLAIMS]
    assert [s.text for s in claims] == ["It outperforms prior parsers."]
    assert 0.5 <= claims[0]._.get(CONFIDENCE) <= 1.0
    assert claims.attrs["scores"] == [claims[0]._.get(CONFIDENCE)]
    scores = nlp.evaluate([paper_example(nlp, a) for a in ABSTRACTS])
    assert scores["claims_f"] == 1.0


def test_tagger_reads_only_the_abstract_of_a_title_and_abstract_doc():
    nlp = _small_pipeline(threshold=0.0)
    nlp.initialize(lambda: [paper_example(nlp, a) for a in ABSTRACTS])
    paper = Paper(id="p", title="Pruning Makes Models Fast. Really", abstract=ABSTRACTS[1]["abstract"])
    doc = nlp(make_doc(nlp, paper))
    assert [s.text for s in doc.spans[CLAIMS]] == [s.text for s in abstract_sentences(doc)]
    assert len(doc.spans[CLAIMS]) == 3
    assert all(s.start_char >= len(paper.title) for s in doc.spans[ROLES_KEY])


def test_tagger_handles_empty_and_title_only_docs():
    nlp = _small_pipeline(threshold=0.0)
    nlp.initialize(lambda: [paper_example(nlp, a) for a in ABSTRACTS])
    docs = list(nlp.pipe(["", make_doc(nlp, Paper(id="t", title="Only a title", abstract=""))]))
    assert [len(d.spans[CLAIMS]) for d in docs] == [0, 0]
    mixed = list(nlp.pipe(["", ABSTRACTS[1]["abstract"], ""]))
    assert [len(d.spans[CLAIMS]) for d in mixed] == [0, 3, 0]


def test_claim_spans_leave_out_edge_whitespace():
    nlp = _small_pipeline(threshold=0.0)
    nlp.initialize(lambda: [paper_example(nlp, a) for a in ABSTRACTS])
    doc = nlp("We study parsing.\n\nIt works well. \n")
    assert [s.text for s in doc.spans[CLAIMS]] == ["We study parsing.", "It works well."]
    assert [s.text for s in doc.spans[ROLES_KEY]] == ["We study parsing.", "It works well."]


def test_tagger_without_sentences_says_what_to_add():
    nlp = _small_pipeline()
    nlp.initialize(lambda: [paper_example(nlp, a) for a in ABSTRACTS])
    doc = nlp.make_doc("No sentence boundaries here. None at all.")
    with pytest.raises(ExtractionError, match="sentencizer"):
        nlp.get_pipe("claims")(doc)


def test_tagger_round_trips_through_disk(tmp_path):
    nlp = _small_pipeline()
    nlp.initialize(lambda: [paper_example(nlp, a) for a in ABSTRACTS])
    text = ABSTRACTS[0]["abstract"]
    before = nlp(text).spans[ROLES_KEY].attrs["scores"]
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe("claims").threshold == 0.5
    assert loaded(text).spans[ROLES_KEY].attrs["scores"] == pytest.approx(before)


def _trained_pipeline() -> Path | None:
    """The shipped pipeline if it has the claim tagger, else a local training output."""
    candidates = [os.environ.get("KG_CLAIMS_MODEL", "")]
    try:
        from kg.extract.pipeline import SHIPPED

        candidates.append(str(SHIPPED))
    except ImportError:
        pass
    candidates.append(str(REPO / "training" / "claims" / "model-best"))
    for path in filter(None, candidates):
        cfg = Path(path) / "config.cfg"
        if cfg.exists() and "kg_claims_v1" in cfg.read_text():
            return Path(path)
    return None


@pytest.mark.slow
def test_trained_tagger_labels_an_obvious_result_sentence():
    path = _trained_pipeline()
    if path is None:
        pytest.skip("no trained claim tagger: run scripts/train_claims.py (or ship the pipeline)")
    nlp = spacy.load(path)
    abstract = (
        "Federated learning suffers from client drift. "
        "We propose FedHyper, a learning-rate scheduler for federated learning. "
        "FedHyper adapts the global and local learning rates during training. "
        "Experiments show that FedHyper outperforms FedAvg by 3% accuracy on CIFAR-10."
    )
    doc = nlp(make_doc(nlp, Paper(id="p", title="FedHyper: A Universal Scheduler", abstract=abstract)))
    claims = [s.text for s in doc.spans[CLAIMS]]
    assert claims[-1] == "Experiments show that FedHyper outperforms FedAvg by 3% accuracy on CIFAR-10."
    assert "Federated learning suffers from client drift." not in claims
