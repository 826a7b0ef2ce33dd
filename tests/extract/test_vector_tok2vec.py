"""Pretrained static vectors in the span model (kg/extract/vector_tok2vec.py): kg.VectorsBeside.v1
(spans_ner_vec_beside.cfg) and copy_weights behind kg.tok2vec_from_pipeline.v1 (spans_ner_vec.cfg)."""

import numpy
import pytest
import spacy
from spacy.training import Example
from spacy.util import registry
from thinc.api import fix_random_seed

import kg.extract.vector_tok2vec  # noqa: F401  (registers kg.VectorsBeside.v1)

TOK2VEC = {
    "@architectures": "spacy.Tok2Vec.v2",
    "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 16, "attrs": ["NORM"],
              "rows": [100], "include_static_vectors": False},
    "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 16, "depth": 1,
               "window_size": 1, "maxout_pieces": 2},
}
NER_TOK2VEC = {
    "@architectures": "kg.VectorsBeside.v1", "width": 8, "depth": 1,
    "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 16, "upstream": "*"},
}


def blank_with_vectors():
    nlp = spacy.blank("en")
    rng = numpy.random.default_rng(0)
    for word in ("We", "use", "ImageNet", "BERT", "on", "."):
        nlp.vocab.set_vector(word, rng.standard_normal(5).astype("float32"))
    return nlp


def test_output_is_the_tok2vec_width_plus_the_vectors_width():
    nlp = blank_with_vectors()
    inner = registry.resolve({"m": TOK2VEC})["m"]
    model = registry.resolve({"m": {**NER_TOK2VEC, "tok2vec": TOK2VEC}})["m"]
    docs = [nlp("We use BERT on ImageNet ."), nlp("unknownword")]
    model.initialize(X=docs)
    assert model.get_dim("nO") == inner.get_dim("nO") + 8 == 24
    out = model.predict(docs)
    assert [o.shape for o in out] == [(6, 24), (1, 24)]


def test_the_static_part_follows_the_vectors_and_a_word_without_one_gets_zeros_in():
    nlp = blank_with_vectors()
    model = registry.resolve({"m": {**NER_TOK2VEC, "tok2vec": TOK2VEC}})["m"]
    doc = nlp("BERT")
    model.initialize(X=[doc])
    before = model.predict([doc])[0].copy()
    nlp.vocab.set_vector("BERT", numpy.ones(5, dtype="float32") * 3)
    after = model.predict([nlp("BERT")])[0]
    numpy.testing.assert_allclose(after[:, :16], before[:, :16])  # the tok2vec part: unchanged
    assert not numpy.allclose(after[:, 16:], before[:, 16:])


def test_a_listening_ner_trains_saves_and_loads_with_its_vectors(tmp_path):
    fix_random_seed(0)
    nlp = blank_with_vectors()
    nlp.add_pipe("tok2vec", config={"model": TOK2VEC})
    nlp.add_pipe("ner", config={"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": 8, "maxout_pieces": 2, "use_upper": True,
        "tok2vec": NER_TOK2VEC}})
    doc = nlp.make_doc("We use BERT on ImageNet .")
    examples = [Example.from_dict(doc, {"entities": [(7, 11, "Method"), (15, 23, "Dataset")]})]
    optimizer = nlp.initialize(lambda: examples)
    assert nlp.get_pipe("tok2vec").listening_components == ["ner"]
    for _ in range(200):
        nlp.update(examples, sgd=optimizer)
    text = "We use BERT on ImageNet ."
    assert [(e.text, e.label_) for e in nlp(text).ents] == [("BERT", "Method"), ("ImageNet", "Dataset")]
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.vocab.vectors.shape == nlp.vocab.vectors.shape
    assert [(e.text, e.label_) for e in loaded(text).ents] == [("BERT", "Method"), ("ImageNet", "Dataset")]


def test_copy_weights_starts_the_vectors_tok2vec_where_the_plain_one_is():
    nlp = blank_with_vectors()
    docs = [nlp("We use BERT on ImageNet ."), nlp("unknownword")]
    plain = registry.resolve({"m": TOK2VEC})["m"]
    with_vectors = registry.resolve({"m": {**TOK2VEC, "embed": {**TOK2VEC["embed"],
                                                                 "include_static_vectors": True}}})["m"]
    plain.initialize(X=docs)
    with_vectors.initialize(X=docs)
    assert not numpy.allclose(plain.predict(docs)[0], with_vectors.predict(docs)[0])
    assert kg.extract.vector_tok2vec.copy_weights(plain, with_vectors) == 5  # hash embed; mixing maxout + norm; encoder maxout + norm
    for a, b in zip(plain.predict(docs), with_vectors.predict(docs)):
        numpy.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_copy_weights_refuses_tok2vecs_that_do_not_line_up():
    nlp = blank_with_vectors()
    docs = [nlp("We use BERT")]
    deeper = registry.resolve({"m": {**TOK2VEC, "encode": {**TOK2VEC["encode"], "depth": 2}}})["m"]
    plain = registry.resolve({"m": TOK2VEC})["m"]
    deeper.initialize(X=docs)
    plain.initialize(X=docs)
    with pytest.raises(ValueError, match="layers differ"):
        kg.extract.vector_tok2vec.copy_weights(deeper, plain)
