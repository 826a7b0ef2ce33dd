"""The matrix-product choice behind the trained pipeline (kg.extract.ops)."""

import pytest

from kg.errors import ExtractionError
from kg.extract import ops
from kg.extract.pipeline import load_pipeline


@pytest.fixture
def backend(monkeypatch):
    """Set KG_MATMUL for one test; the cached choice is forgotten before and after."""

    def set_to(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv(ops.ENV, raising=False)
        else:
            monkeypatch.setenv(ops.ENV, value)
        ops.matmul_backend.cache_clear()

    yield set_to
    ops.matmul_backend.cache_clear()


@pytest.mark.parametrize("value", ["numpy", "blis", " NumPy "])
def test_the_environment_forces_a_backend(backend, value):
    backend(value)
    assert ops.matmul_backend() == value.strip().lower()


def test_the_default_is_numpy_without_measuring(backend, monkeypatch):
    """A fixed default: a timing taken under load could pick either, and the output's last
    float bits would follow it from run to run."""
    backend(None)
    monkeypatch.setattr(ops, "_best_seconds", lambda *a, **k: pytest.fail("measured"))
    assert ops.matmul_backend() == "numpy"


def test_auto_measures_and_picks_one(backend):
    backend("auto")
    assert ops.matmul_backend() in ("numpy", "blis")


def test_an_unknown_backend_is_a_clear_error(backend):
    backend("mkl")
    with pytest.raises(ExtractionError, match="KG_MATMUL='mkl'.*auto, numpy, blis"):
        ops.matmul_backend()


@pytest.mark.slow
def test_both_backends_find_the_same_mentions(backend):
    texts = [
        "BERT: Pre-training of Deep Bidirectional Transformers\n\nWe fine-tune BERT on SQuAD "
        "and GLUE and report F1 and accuracy. It outperforms ELMo on named entity recognition.",
        "FedHyper\n\nThis paper presents FedHyper, a learning rate scheduler for federated "
        "learning, evaluated on CIFAR-10 and Shakespeare with a convolutional neural network.",
    ]
    found = {}
    for value in ("numpy", "blis"):
        backend(value)
        nlp = load_pipeline()
        assert nlp.get_pipe("tok2vec").model.ops.use_blis is (value == "blis")
        found[value] = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    assert found["numpy"] == found["blis"]
    assert any(found["numpy"]), "the pipeline found nothing: the comparison would be empty"
