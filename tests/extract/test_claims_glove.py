"""The claim tagger's pretrained-vector encoder (``kg.sentence_glove.v1``) on a hand-made
4-d vectors table in a blank vocab (no GloVe file, no trained pipeline)."""

from __future__ import annotations

import numpy
import pytest
import spacy

import kg.extract.claims_factories  # noqa: F401  (registers kg_claims_v1)
from kg.errors import ExtractionError
from kg.extract.claims_corpus import paper_example
from kg.extract.claims_model import N_EXTRA_POSITION_FEATURES, sentence_bag, sentence_glove
from kg.extract.claims_tagger import ROLES_KEY

VECTORS = {
    "results": [1.0, 0.0, 2.0, -1.0],
    "show": [3.0, 0.0, 0.0, 1.0],
    "gains": [2.0, 4.0, -2.0, 0.0],
    "we": [0.0, 1.0, 0.0, 0.0],
    "train": [0.0, 0.0, 1.0, 0.0],
    ".": [0.5, 0.5, 0.5, 0.5],
}
BUCKETS = 4
N_POS = BUCKETS + N_EXTRA_POSITION_FEATURES


@pytest.fixture
def nlp():
    nlp = spacy.blank("en")
    for word, vec in VECTORS.items():
        nlp.vocab.set_vector(word, numpy.asarray(vec, dtype="f"))
    nlp.add_pipe("sentencizer")
    return nlp


def _docs(nlp):
    # doc 0: a sentence of known words, a sentence of unknown words only, a mixed one
    return [
        nlp("results show gains . Zorblax quuxes Also flurbily ! We train zorblax ."),
        nlp(""),
        nlp("we train ."),
    ]


def _model(**kwargs):
    return sentence_glove(n_position_buckets=BUCKETS, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "n_out"),
    [
        ({}, 4 + N_POS),
        ({"pooling": "mean_max"}, 8 + N_POS),
        ({"projection": 3}, 3 + N_POS),
        ({"pooling": "mean_max", "projection": 3}, 6 + N_POS),
        ({"bag": sentence_bag(width=5, rows=50, n_position_buckets=BUCKETS)}, 5 + N_POS + 4),
    ],
    ids=["mean", "mean_max", "projected", "projected_mean_max", "with_bag"],
)
def test_output_has_one_row_per_sentence_and_the_declared_width(nlp, kwargs, n_out):
    docs = _docs(nlp)
    assert [len(list(d.sents)) for d in docs] == [3, 0, 1]
    model = _model(**kwargs)
    model.initialize(X=docs)
    assert model.get_dim("nO") == n_out
    Y, backprop = model(docs, is_train=True)
    assert [y.shape for y in Y] == [(3, n_out), (0, n_out), (1, n_out)]
    assert backprop([numpy.ones_like(y) for y in Y]) == []


def test_mean_and_max_pool_the_known_words_and_unknown_words_give_zeros(nlp):
    model = _model(pooling="mean_max")
    docs = _docs(nlp)
    model.initialize(X=docs)
    Y = model.predict(docs)[0]
    known = numpy.asarray([VECTORS[w] for w in ("results", "show", "gains", ".")], dtype="f")
    numpy.testing.assert_allclose(Y[0, :4], known.mean(axis=0), rtol=1e-6)
    numpy.testing.assert_allclose(Y[0, 4:8], known.max(axis=0), rtol=1e-6)
    # "Zorblax quuxes Also flurbily !" has no vector at all ("Also" is not "also" by ORTH)
    assert not Y[1, :8].any()
    assert Y[1, 8:].any()  # its position features are still there
    mixed = numpy.asarray([VECTORS[w] for w in ("train", ".")], dtype="f")
    numpy.testing.assert_allclose(Y[2, :4], mixed.mean(axis=0), rtol=1e-6)  # unknown left out


def test_unknown_words_give_zeros_through_a_projection_too(nlp):
    model = _model(pooling="mean_max", projection=3)
    docs = _docs(nlp)
    model.initialize(X=docs)
    Y = model.predict(docs)[0]
    assert not Y[1, :6].any()
    assert Y[0, :6].any()


def test_projection_is_trained_and_the_vectors_are_not(nlp):
    model = _model(pooling="mean_max", projection=3)
    docs = _docs(nlp)
    model.initialize(X=docs)
    proj = model.get_ref("projection")
    table = nlp.vocab.vectors.data.copy()
    Y, backprop = model(docs, is_train=True)
    backprop([numpy.ones_like(y) for y in Y])
    assert proj.get_grad("W").any()
    numpy.testing.assert_array_equal(nlp.vocab.vectors.data, table)


def test_without_vectors_initialize_says_how_to_load_them():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    with pytest.raises(ExtractionError, match=r"\[initialize\] vectors"):
        _model().initialize(X=[nlp("results show gains.")])


def test_vectors_of_another_width_are_refused(nlp):
    model = _model()
    model.initialize(X=_docs(nlp))
    other = spacy.blank("en")
    other.vocab.set_vector("results", numpy.ones((7,), dtype="f"))
    other.add_pipe("sentencizer")
    with pytest.raises(ExtractionError, match="4-d word vectors"):
        model.predict([other("results show gains.")])


def test_tagger_with_vectors_learns_and_round_trips_through_disk(nlp, tmp_path):
    encoder = {
        "@layers": "kg.sentence_glove.v1",
        "pooling": "mean_max",
        "projection": 8,
        "n_position_buckets": BUCKETS,
        "bag": {"@layers": "kg.sentence_bag.v1", "width": 8, "rows": 500, "n_position_buckets": BUCKETS},
    }
    model = {"@architectures": "kg.SentenceRoles.v1", "hidden_width": 16, "ngram_bits": 12, "encoder": encoder}
    nlp.add_pipe("kg_claims_v1", name="claims", config={"model": model})
    abstracts = [
        {"abstract": "We train gains. Results show gains.",
         "sentences": [{"start": 0, "end": 15, "label": "method"}, {"start": 16, "end": 35, "label": "result"}]},
    ]
    examples = [paper_example(nlp, a) for a in abstracts]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        losses = nlp.update(examples, sgd=optimizer)
    assert losses["claims"] < 0.5
    text = abstracts[0]["abstract"]
    doc = nlp(text)
    assert [s.label_ for s in doc.spans[ROLES_KEY]] == ["method", "result"]
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.vocab.vectors.n_keys == len(VECTORS) and loaded.vocab.vectors.shape[1] == 4
    assert loaded(text).spans[ROLES_KEY].attrs["scores"] == pytest.approx(doc.spans[ROLES_KEY].attrs["scores"])


def test_fine_tuned_vectors_are_a_trained_copy_and_the_vocab_keeps_its_own(nlp):
    model = _model(fine_tune=True)
    docs = _docs(nlp)
    model.initialize(X=docs)
    table = nlp.vocab.vectors.data.copy()
    numpy.testing.assert_array_equal(model.get_param("E"), table)
    Y, backprop = model(docs, is_train=True)
    backprop([numpy.ones_like(y) for y in Y])
    grad = model.get_grad("E")
    rows = nlp.vocab.vectors.find(keys=[nlp.vocab.strings[w] for w in ("results", "train")])
    assert grad[rows].any()  # words that occur get a gradient
    assert not numpy.delete(grad, nlp.vocab.vectors.find(keys=[nlp.vocab.strings[w] for w in VECTORS]), axis=0).any()
    numpy.testing.assert_array_equal(nlp.vocab.vectors.data, table)
