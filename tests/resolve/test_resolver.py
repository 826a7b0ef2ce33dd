"""Corpus-wide resolution on small hand-made extractions (and, for determinism, the SciREX dev
gold mentions)."""

import gc
import random
import weakref
from pathlib import Path

import pytest

from kg.models import Claim, Comparison, Extraction, Mention, Paper
from kg.resolve import AliasTable, Resolver, entity_key, resolve

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "gold" / "scirex-dev.jsonl"  # ../shared beside the repo


def paper(pid: str, abstract: str, mentions: list[tuple[str, str]], title: str = "") -> Extraction:
    """An extraction whose mentions carry the extractor's first keys, as `kg extract` writes."""
    ents = []
    for label, text in mentions:
        start = max(abstract.find(text), 0)
        ents.append(Mention(label=label, text=text, field="abstract", start=start,
                            end=start + len(text), key=entity_key(label, text)))
    return Extraction(paper=Paper(id=pid, title=title, abstract=abstract), entities=ents)


def canon(resolution, label, text):
    return resolution.canonical(entity_key(label, text))


def test_acronym_definition_applies_to_every_paper():
    a = paper("p:a", "We use Contrastive Language-Image Pre-training (CLIP). CLIP is strong.",
              [("Method", "Contrastive Language-Image Pre-training"), ("Method", "CLIP")])
    b = paper("p:b", "Unlike CLIP, our model is small.", [("Method", "CLIP")])
    c = paper("p:c", "We fine-tune CLIP.", [("Method", "CLIP")])
    res = resolve([a, b, c])
    key = canon(res, "Method", "CLIP")
    assert key == "method:clip"
    assert canon(res, "Method", "Contrastive Language-Image Pre-training") == key
    entity = res.entities[key]
    assert entity.name == "CLIP"
    assert entity.paper_count == 3 and entity.mention_count == 4
    assert entity.aliases == ["CLIP", "Contrastive Language-Image Pre-training"]
    assert [m.key for m in res.apply(a).entities] == [key, key]


def test_ambiguous_acronym_keeps_senses_apart():
    sr = "Image super-resolution (SR) recovers detail. SR is ill-posed."
    asr = "Speech recognition (SR) transcribes audio. SR needs data."
    papers = [
        paper("p:1", sr, [("Task", "super-resolution"), ("Task", "SR")]),
        paper("p:2", sr, [("Task", "super-resolution"), ("Task", "SR")]),
        paper("p:3", asr, [("Task", "Speech recognition"), ("Task", "SR")]),
        paper("p:4", asr, [("Task", "Speech recognition"), ("Task", "SR")]),
        paper("p:5", "We study SR on faces.", [("Task", "SR")]),
    ]
    res = resolve(papers)
    keys = [[m.key for m in res.apply(p).entities] for p in papers]
    assert keys[0] == keys[1] == ["task:super-resolution"] * 2
    assert keys[2] == keys[3] == ["task:speech-recognition"] * 2
    assert keys[4] == ["task:sr"]  # no definition in this paper: no guess
    # the long form names the node, not the ambiguous acronym
    assert res.entities["task:super-resolution"].name == "super-resolution"


def test_dominant_sense_wins_corpus_wide():
    sr = "Super-resolution (SR) recovers detail."
    papers = [paper(f"p:{i}", sr, [("Task", "Super-resolution"), ("Task", "SR")]) for i in range(3)]
    papers.append(paper("p:x", "Speech recognition (SR) is hard.", [("Task", "SR")]))
    papers.append(paper("p:y", "SR on faces.", [("Task", "SR")]))
    res = resolve(papers)
    assert [m.key for m in res.apply(papers[-1]).entities] == ["task:super-resolution"]
    assert res.entities["task:super-resolution"].name == "Super-resolution"
    # the one paper with another definition keeps its own sense
    assert [m.key for m in res.apply(papers[-2]).entities] == ["task:speech-recognition"]


def test_short_acronym_of_one_paper_stays_in_that_paper():
    a = paper("p:a", "We compare with Full Fine-Tuning (FFT).", [("Method", "Full Fine-Tuning"), ("Method", "FFT")])
    b = paper("p:b", "We use a bit-packed FFT.", [("Method", "FFT")])
    res = resolve([a, b])
    assert res.apply(a).entities[1].key == "method:full-fine-tuning"
    assert res.apply(b).entities[0].key == "method:fft"


def test_short_acronym_with_a_common_long_form_spreads():
    a = paper("p:a", "We train with stochastic gradient descent (SGD).",
              [("Method", "stochastic gradient descent"), ("Method", "SGD")])
    b = paper("p:b", "Plain stochastic gradient descent diverges.", [("Method", "stochastic gradient descent")])
    c = paper("p:c", "SGD with momentum.", [("Method", "SGD")])
    res = resolve([a, b, c])
    assert canon(res, "Method", "SGD") == canon(res, "Method", "stochastic gradient descent")
    assert res.entities[canon(res, "Method", "SGD")].paper_count == 3


def test_initials_without_a_definition():
    a = paper("p:a", "Results on SNLI.", [("Dataset", "SNLI")])
    b = paper("p:b", "The Stanford Natural Language Inference corpus is large.",
              [("Dataset", "Stanford Natural Language Inference corpus")])
    res = resolve([a, b])
    assert canon(res, "Dataset", "SNLI") == canon(res, "Dataset", "Stanford Natural Language Inference")


def test_two_initials_of_the_same_acronym_are_not_guessed():
    a = paper("p:a", "Results with GPN.", [("Method", "GPN")])
    b = paper("p:b", "Generative Partition Networks work.", [("Method", "Generative Partition Networks")])
    c = paper("p:c", "Graph Propagation Networks work.", [("Method", "Graph Propagation Networks")])
    res = resolve([a, b, c])
    assert len({canon(res, "Method", t) for t in ("GPN", "Generative Partition Networks",
                                                  "Graph Propagation Networks")}) == 3


def test_title_names_its_method():
    a = paper("p:a", "We adapt domains.", [("Method", "CyCADA")],
              title="CyCADA: Cycle-Consistent Adversarial Domain Adaptation")
    b = paper("p:b", "Cycle-Consistent Adversarial Domain Adaptation is a baseline.",
              [("Method", "Cycle-Consistent Adversarial Domain Adaptation")])
    c = paper("p:c", "CyCADA is a baseline.", [("Method", "CyCADA")])
    res = resolve([a, b, c])
    keys = {m.key for ex in (a, b, c) for m in res.apply(ex).entities}
    assert keys == {"method:cycada"}
    assert res.entities["method:cycada"].name == "CyCADA"
    assert res.entities["method:cycada"].paper_count == 3


def test_hyphenation_variants_merge_and_versions_do_not():
    papers = [
        paper("p:1", "Fast R-CNN and ResNet-50 on CIFAR-10.",
              [("Method", "Fast R-CNN"), ("Method", "ResNet-50"), ("Dataset", "CIFAR-10")]),
        paper("p:2", "Fast-RCNN and ResNet-101 on CIFAR-100.",
              [("Method", "Fast-RCNN"), ("Method", "ResNet-101"), ("Dataset", "CIFAR-100")]),
        paper("p:3", "R-CNN and ResNet50 on CIFAR10.",
              [("Method", "R-CNN"), ("Method", "ResNet50"), ("Dataset", "CIFAR10")]),
    ]
    res = resolve(papers)
    assert canon(res, "Method", "Fast R-CNN") == canon(res, "Method", "Fast-RCNN")
    assert canon(res, "Method", "R-CNN") != canon(res, "Method", "Fast R-CNN")
    assert canon(res, "Method", "ResNet50") == canon(res, "Method", "ResNet-50") != canon(res, "Method", "ResNet-101")
    assert canon(res, "Dataset", "CIFAR10") == "dataset:cifar-10" != canon(res, "Dataset", "CIFAR-100")


def test_one_word_task_stands_for_the_longer_one_in_its_paper():
    a = paper("p:a", "Brain tumor segmentation matters. Our segmentation is fast.",
              [("Task", "Brain tumor segmentation"), ("Task", "segmentation")])
    b = paper("p:b", "We study segmentation.", [("Task", "segmentation")])
    c = paper("p:c", "Fast R-CNN beats R-CNN.", [("Method", "Fast R-CNN"), ("Method", "R-CNN")])
    res = resolve([a, b, c])
    assert [m.key for m in res.apply(a).entities] == ["task:brain-tumor-segmentation"] * 2
    assert [m.key for m in res.apply(b).entities] == ["task:segmentation"]
    assert [m.key for m in res.apply(c).entities] == ["method:fast-r-cnn", "method:r-cnn"]
    assert res.entities["task:brain-tumor-segmentation"].name == "Brain tumor segmentation"


def test_paper_count_counts_a_paper_once():
    a = paper("p:a", "Large language models (LLMs) are big. LLMs and large language models.",
              [("Method", "Large language models"), ("Method", "LLMs"), ("Method", "large language models")])
    b = paper("p:b", "LLMs hallucinate, as large language models do.",
              [("Method", "LLMs"), ("Method", "large language models")])
    c = paper("p:c", "LLMs hallucinate.", [("Method", "LLMs")])
    res = resolve([a, b, c])
    entity = res.entities[canon(res, "Method", "LLM")]
    assert (entity.paper_count, entity.mention_count) == (3, 6)
    assert entity.name == "LLMs"  # all plural, so the most frequent
    assert entity.keys == ["method:large-language-model", "method:llm"]


def test_name_prefers_singular_and_well_formed():
    a = paper("p:a", "x", [("Method", "GANs"), ("Method", "GANs"), ("Method", "GAN"),
                           ("Method", "the GAN model")])
    res = resolve([a])
    assert res.entities["method:gan"].name == "GAN"
    assert res.entities["method:gan"].aliases == ["GAN", "GANs", "the GAN model"]


def test_generic_phrases_never_become_entities():
    a = paper("p:a", "Our method beats the baseline.", [("Method", "Our method"), ("Method", "the baseline")])
    res = resolve([a])
    assert res.entities == {}
    assert [m.key for m in res.apply(a).entities] == ["", ""]


def test_alias_file_merges_and_separates():
    aliases = AliasTable.from_lines([
        "dataset: ImageNet-1k = ImageNet",
        "method: Fast R-CNN != Fast-RCNN",
        "method: CLIP != Contrastive Language-Image Pre-training",
    ])
    papers = [
        paper("p:1", "ImageNet-1k and Fast R-CNN.", [("Dataset", "ImageNet-1k"), ("Method", "Fast R-CNN")]),
        paper("p:2", "ImageNet and Fast-RCNN.", [("Dataset", "ImageNet"), ("Method", "Fast-RCNN")]),
        paper("p:3", "Contrastive Language-Image Pre-training is old.",
              [("Method", "Contrastive Language-Image Pre-training")]),
        paper("p:4", "CLIP is new.", [("Method", "CLIP")]),
    ]
    with_file = resolve(papers, aliases=aliases)
    without = resolve(papers)
    assert canon(without, "Dataset", "ImageNet") != canon(without, "Dataset", "ImageNet-1k")
    assert canon(with_file, "Dataset", "ImageNet") == canon(with_file, "Dataset", "ImageNet-1k")
    assert canon(without, "Method", "Fast R-CNN") == canon(without, "Method", "Fast-RCNN")
    assert canon(with_file, "Method", "Fast R-CNN") != canon(with_file, "Method", "Fast-RCNN")
    assert canon(with_file, "Method", "CLIP") != canon(with_file, "Method", "Contrastive Language-Image Pre-training")


def test_apply_rewrites_claims_and_comparisons():
    a = paper("p:a", "Our LoRA-SB beats Low-Rank Adaptation (LoRA) on GLUE.",
              [("Method", "LoRA-SB"), ("Method", "Low-Rank Adaptation"), ("Method", "LoRA"),
               ("Dataset", "GLUE")])
    a.claims = [Claim(text=a.paper.abstract, field="abstract", start=0, end=10, kind="comparative",
                      about=["method:lora-sb", "method:lora", "method:low-rank-adaptation", "dataset:glue"])]
    a.comparisons = [Comparison(method="method:lora-sb", baseline="method:low-rank-adaptation", claim=0,
                                dataset="dataset:glue", metric=None)]
    b = paper("p:b", "LoRA is cheap.", [("Method", "LoRA")])
    res = resolve([a, b])
    out = res.apply(a)
    assert out is not a and a.entities[2].key == "method:lora"  # the input is not changed
    assert [m.key for m in out.entities] == ["method:lora-sb", "method:lora", "method:lora", "dataset:glue"]
    assert out.claims[0].about == ["method:lora-sb", "method:lora", "dataset:glue"]
    assert (out.comparisons[0].method, out.comparisons[0].baseline) == ("method:lora-sb", "method:lora")
    assert out.comparisons[0].metric is None


def test_resolver_keeps_no_extraction():
    resolver = Resolver()
    ex = paper("p:a", "We use CLIP.", [("Method", "CLIP")])
    ref = weakref.ref(ex)
    resolver.add(ex)
    del ex
    gc.collect()
    assert ref() is None
    assert list(resolver.finish().entities) == ["method:clip"]


def _gold_extractions():
    from kg.evaluate.resolution import gold_extraction, gold_papers

    return [gold_extraction(p) for p in gold_papers(GOLD)]


@pytest.mark.skipif(not GOLD.exists(), reason="the shared gold data is not on this machine")
def test_same_papers_same_ids_whatever_the_order():
    extractions = _gold_extractions()
    reference = resolve(extractions)
    for seed in (1,):
        shuffled = extractions[:]
        random.Random(seed).shuffle(shuffled)
        again = resolve(shuffled)
        assert again.entities == reference.entities
        assert again.mapping() == reference.mapping()
        assert [again.apply(e).to_json() for e in extractions] == [
            reference.apply(e).to_json() for e in extractions]


@pytest.mark.parametrize("text,label,ok", [
    ("CIFAR-10", "Dataset", True), ("CIFAR-10 dataset", "Dataset", False),
    ("LLM", "Method", True), ("LLM-based", "Method", False), ("the LoRA", "Method", False),
    ("FEDHYPER", "Method", False), ("SINGLE IMAGE SUPER-RESOLUTION", "Task", False),
    ("PASCAL VOC", "Dataset", True), ("SGAN)", "Method", False), ("DeepID2+", "Method", True),
])
def test_well_formed_names(text, label, ok):
    from kg.resolve.resolver import well_formed

    assert well_formed(text, label) is ok
