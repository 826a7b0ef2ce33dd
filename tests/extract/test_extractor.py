"""The rules extractor end to end (blank English + rule components; no trained model)."""

import pytest

from kg.errors import ExtractionError
from kg.extract import load_extractor
from kg.extract.base import Extractor
from kg.models import Paper

PAPER = Paper(
    id="p1",
    title="FedHyper: A Universal Learning Rate Scheduler for Federated Learning",
    abstract=(
        "Federated learning (FL) is hard to tune. This paper presents FedHyper, a novel "
        "hypergradient-based algorithm. We train on CIFAR-100 and Fashion-MNIST. "
        "FedHyper outperforms FedAvg on CIFAR-100 in accuracy by 3%. "
        "Code: https://github.com/example/fedhyper."
    ),
)


@pytest.fixture(scope="module")
def extraction():
    (ex,) = load_extractor("rules").extract([PAPER])
    return ex


def test_is_an_extractor():
    ex = load_extractor("rules")
    assert isinstance(ex, Extractor)
    assert ex.version.startswith("paperkg_rules-")


def test_offsets_are_exact(extraction):
    for m in extraction.entities:
        assert getattr(PAPER, m.field)[m.start:m.end] == m.text
        assert m.key.startswith(m.label.lower() + ":") or m.key == ""


def test_finds_the_papers_method_and_datasets(extraction):
    found = {(m.text, m.label, m.role, m.field) for m in extraction.entities}
    assert ("FedHyper", "Method", "proposed", "title") in found
    assert ("FedHyper", "Method", "proposed", "abstract") in found
    assert ("FedAvg", "Method", "used", "abstract") in found
    assert ("CIFAR-100", "Dataset", "used", "abstract") in found
    assert ("Fashion-MNIST", "Dataset", "used", "abstract") in found
    assert ("accuracy", "Metric", "used", "abstract") in found


def test_sentence_indices_count_within_the_field(extraction):
    fedavg = next(m for m in extraction.entities if m.text == "FedAvg")
    assert fedavg.sentence == 3


def test_code_link(extraction):
    (link,) = extraction.code
    assert (link.host, link.owner, link.name) == ("github.com", "example", "fedhyper")
    assert PAPER.abstract[link.start:link.end] == link.url


def test_comparative_claim_yields_outperforms(extraction):
    kinds = {c.kind for c in extraction.claims}
    assert "comparative" in kinds
    cmp = extraction.comparisons[0]
    assert (cmp.method, cmp.baseline) == (
        next(m.key for m in extraction.entities if m.text == "FedHyper"),
        next(m.key for m in extraction.entities if m.text == "FedAvg"),
    )


def test_order_and_count_are_kept():
    papers = [Paper(id=str(i), title=f"Paper {i}", abstract="We use BERT.") for i in range(5)]
    out = list(load_extractor("rules").extract(papers, batch_size=2))
    assert [e.paper.id for e in out] == [p.id for p in papers]


def test_unknown_extractor():
    with pytest.raises(ExtractionError):
        load_extractor("nope")


def test_missing_pipeline_says_how_to_build_it(tmp_path):
    from kg.extract.pipeline import load_pipeline

    with pytest.raises(ExtractionError, match="train_pipeline"):
        load_pipeline(tmp_path)


def test_pipeline_round_trips_through_disk(tmp_path):
    """The rule components and their settings survive to_disk/spacy.load (as the shipped one)."""
    import spacy

    from kg.extract.pipeline import rules_pipeline
    from kg.extract.spacy_extractor import SpacyExtractor

    rules_pipeline().to_disk(tmp_path / "p")
    nlp = spacy.load(tmp_path / "p")
    (ex,) = SpacyExtractor(nlp).extract([PAPER])
    (orig,) = load_extractor("rules").extract([PAPER])
    assert ex.to_json()["entities"] == orig.to_json()["entities"]


def test_a_pipeline_folder_is_an_extractor(tmp_path):
    """`--extractor FOLDER` runs a pipeline from disk (a candidate before it is shipped); its
    version carries the weights' digest, so the extraction cache keeps it apart."""
    from kg.extract.pipeline import rules_pipeline

    rules_pipeline().to_disk(tmp_path / "p")
    ex = load_extractor(str(tmp_path / "p"))
    (got,) = ex.extract([PAPER])
    (orig,) = load_extractor("rules").extract([PAPER])
    assert got.to_json()["entities"] == orig.to_json()["entities"]
    before = ex.version
    (tmp_path / "p" / "extra.txt").write_text("another file, another pipeline")
    assert load_extractor(str(tmp_path / "p")).version != before
    with pytest.raises(ExtractionError, match="folder holding a trained pipeline"):
        load_extractor(str(tmp_path))  # no config.cfg here


def test_two_processes_give_the_same_output():
    papers = [PAPER, Paper(id="p2", title="", abstract="We use BERT on SQuAD.")] * 2
    ex = load_extractor("rules")
    one = [e.to_json() for e in ex.extract(papers, n_process=1)]
    two = [e.to_json() for e in ex.extract(papers, n_process=2, batch_size=1)]
    assert one == two
