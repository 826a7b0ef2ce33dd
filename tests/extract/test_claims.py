"""Claim analysis: kind, about, comparisons (plain functions), the kinds component, records.

Docs come from ``spacy.blank("en")``; mentions are made by hand, as the entity components
would leave them (field offsets, keys, roles).
"""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.tokens import Span

from kg.extract.candidates import CLAIMS, CONFIDENCE, register_extensions
from kg.extract.claims import (
    ClaimKinds,
    build_claims,
    claim_about,
    claim_kind,
    find_comparisons,
    is_specific,
    proposed_method,
)
from kg.extract.keys import entity_key
from kg.models import Comparison, Mention

nlp = spacy.blank("en")


def sentence(text: str) -> Span:
    doc = nlp(text)
    return doc[:]


def mention(text: str, sentence_text: str, label: str, role: str = "used", field: str = "abstract",
            key: str | None = None) -> Mention:
    """A mention of the first whole-word `text` in the sentence, keyed as the extractor keys it."""
    start = re.search(r"(?<!\w)" + re.escape(text) + r"(?!\w)", sentence_text).start()
    return Mention(label=label, text=text, field=field, start=start, end=start + len(text),
                   key=key if key is not None else entity_key(label, text), role=role)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Our model outperforms BERT on GLUE.", "comparative"),
        ("FedHyper beats FedAvg by a wide margin.", "comparative"),
        ("The method surpassed all previous approaches.", "comparative"),
        ("It performs better than the baselines.", "comparative"),
        ("Compared to LSTMs, transformers converge faster.", "comparative"),
        ("Our approach is superior to existing methods.", "comparative"),
        ("It achieves higher accuracy than ResNet-50.", "comparative"),
        ("The approach improves over the state of the art.", "comparative"),
        ("Its bound is much smaller than the previous one.", "comparative"),
        ("We achieve 92.3% accuracy on CIFAR-10.", "quantitative"),
        ("The error drops by 12 points.", "quantitative"),
        ("Inference is 3x faster.", "quantitative"),
        ("Training is an order of magnitude cheaper.", "quantitative"),
        ("We obtain an F1 score of 0.87.", "quantitative"),
        ("The approach is simple and effective.", "qualitative"),
        ("Experiments on three datasets show that the method is robust.", "qualitative"),
        ("We evaluate on 10 benchmarks and find consistent gains.", "qualitative"),
        ("Results on ImageNet-1k confirm the analysis.", "qualitative"),
        ("We use attention rather than recurrence.", "qualitative"),
        ("We collected more than 100 hours of speech.", "quantitative"),
        ("The corpus was released in 2019.", "qualitative"),
        ("Two use cases for Industry 4.0 were identified.", "qualitative"),
        ("We analyse telemetry of 16 satellites.", "qualitative"),
        ("The parser reaches an accuracy of 92 on the test set.", "quantitative"),
        ("Accuracy rises from 71 to 78.", "quantitative"),
    ],
)
def test_claim_kind(text, kind):
    assert claim_kind(sentence(text)) == kind


def test_about_lists_the_keys_inside_the_claim_in_order_once():
    text = "FedHyper improves FedAvg on CIFAR-10, and FedHyper is stable."
    mentions = [
        mention("FedAvg", text, "Method"),
        mention("FedHyper", text, "Method"),
        mention("CIFAR-10", text, "Dataset"),
        Mention("Method", "FedHyper", "abstract", text.rindex("FedHyper"),
                text.rindex("FedHyper") + 8, key="method:fedhyper"),
        Mention("Method", "FedHyper", "title", 0, 8, key="method:title-only"),
    ]
    assert claim_about(0, len(text), mentions) == ["method:fedhyper", "method:fedavg", "dataset:cifar-10"]
    assert claim_about(0, 10, mentions) == ["method:fedhyper"]


def test_proposed_method_prefers_the_proposed_role_then_the_title():
    title_method = Mention("Method", "FedHyper", "title", 0, 8, key="method:fedhyper")
    used = Mention("Method", "FedAvg", "abstract", 0, 6, key="method:fedavg")
    proposed = Mention("Method", "HyperX", "abstract", 10, 16, key="method:hyperx", role="proposed")
    assert proposed_method([used, title_method, proposed]) == "method:hyperx"
    assert proposed_method([used, title_method]) == "method:fedhyper"
    assert proposed_method([used]) is None


# sentence, mentions [(text, label)], proposed key → expected (method, baseline, dataset, metric)
COMPARISONS = [
    (
        "FedHyper outperforms FedAvg on CIFAR-10 in accuracy.",
        [("FedHyper", "Method"), ("FedAvg", "Method"), ("CIFAR-10", "Dataset"), ("accuracy", "Metric")],
        None,
        [("method:fedhyper", "method:fedavg", "dataset:cifar-10", "metric:accuracy")],
    ),
    (
        "Our method outperforms BERT and RoBERTa on GLUE.",
        [("BERT", "Method"), ("RoBERTa", "Method"), ("GLUE", "Dataset")],
        "method:fedhyper",
        [
            ("method:fedhyper", "method:bert", "dataset:glue", None),
            ("method:fedhyper", "method:roberta", "dataset:glue", None),
        ],
    ),
    (
        "Experiments show that it achieves higher BLEU than the Transformer.",
        [("BLEU", "Metric"), ("Transformer", "Method")],
        "method:fedhyper",
        [("method:fedhyper", "method:transformer", None, "metric:bleu")],
    ),
    (
        "Compared to ResNet-50, our network reduces the error on ImageNet.",
        [("ResNet-50", "Method"), ("ImageNet", "Dataset")],
        "method:fedhyper",
        [("method:fedhyper", "method:resnet-50", "dataset:imagenet", None)],
    ),
    (
        "The LSTM baseline is outperformed by the CNN on SST-2.",
        [("LSTM", "Method"), ("CNN", "Method"), ("SST-2", "Dataset")],
        None,
        [("method:cnn", "method:lstm", "dataset:sst-2", None)],
    ),
    (
        "ViT surpasses ResNet, while DeiT is cheaper than EfficientNet.",
        [("ViT", "Method"), ("ResNet", "Method"), ("DeiT", "Method"), ("EfficientNet", "Method")],
        None,
        [("method:vit", "method:resnet", None, None)],
    ),
    # no named baseline: no OUTPERFORMS fact
    ("Our method outperforms existing approaches on GLUE.", [("GLUE", "Dataset")], "method:fedhyper", []),
    # no winner: neither a named subject nor a proposed method to refer to
    ("Experiments show that it is better than BERT.", [("BERT", "Method")], None, []),
    # comparative, but nobody wins: no fact
    ("Its bound is much smaller than the bound of ComplEx.", [("ComplEx", "Method")], "method:tucker", []),
    ("We report BERT vs. ELMo results.", [("BERT", "Method"), ("ELMo", "Method")], None, []),
    ("Unlike GANs, our SGAN decomposes variations.", [("GANs", "Method"), ("SGAN", "Method")], None, []),
    (
        "Our parser is 2x faster compared to UDPipe.",
        [("UDPipe", "Method")],
        "method:fedhyper",
        [("method:fedhyper", "method:udpipe", None, None)],
    ),
    # not comparative at all
    ("FedHyper reaches 91% on CIFAR-10.", [("FedHyper", "Method"), ("CIFAR-10", "Dataset")], None, []),
]

# From the abstracts of data/seeds (the sample graph), as the trained pipeline tags them.
# Right facts that the rules must keep:
REAL_KEPT = [
    (  # the list ends at "while"; "the competing baselines" names nothing
        "The results demonstrate that FEDHYPER consistently converges 1.1-3x faster than FedAvg "
        "and the competing baselines while achieving superior final accuracy.",
        [("FEDHYPER", "Method"), ("FedAvg", "Method")],
        "method:fedhyper",
        [("method:fedhyper", "method:fedavg")],
    ),
    (  # "for distilling BERT" is what MoEBERT does, not what COMET beats
        "Moreover, for language modeling, our approach improves over the state-of-the-art MoEBERT "
        "model for distilling BERT on 5/7 GLUE benchmarks as well as SQuAD dataset.",
        [("MoEBERT model", "Method"), ("BERT", "Method"), ("GLUE", "Dataset"), ("SQuAD", "Dataset")],
        "method:comet",
        [("method:comet", "method:moebert")],
    ),
    (  # a one-letter prefix is a name; "of the" does not end the object
        "For capital budgeting, Neur2RO outperforms three variants of the k-adaptability "
        "algorithm, particularly on the largest instances, with a 10 to 100-fold reduction in "
        "solution time.",
        [("Neur2RO", "Method"), ("k-adaptability algorithm", "Method")],
        "method:neur-2ro",
        [("method:neur-2ro", "method:k-adaptability")],
    ),
    (  # a known method in lower case; "solutions that are" opens no clause of its own
        "For knapsack, Neur2RO finds solutions that are within roughly 2% of the best-known values "
        "in a few seconds compared to the three hours of the state-of-the-art exact "
        "branch-and-price algorithm; for larger and more complex instances, Neur2RO finds even "
        "better solutions.",
        [("Neur2RO", "Method"), ("exact branch-and-price algorithm", "Method")],
        None,
        [("method:neur-2ro", "method:exact-branch-and-price")],
    ),
    (  # a later "including against" opens another list; "such as" joins it
        "Empirical results show that ALLoRA admits better accuracy than LoRA on various settings, "
        "including against recent LoRA variants such as Weight-Decomposed Low-Rank Adaptation "
        "(DoRA).",
        [("ALLoRA", "Method"), ("accuracy", "Metric"), ("LoRA", "Method"),
         ("Weight-Decomposed Low-Rank Adaptation (DoRA)", "Method")],
        "method:allora",
        [("method:allora", "method:lora"),
         ("method:allora", "method:weight-decomposed-low-rank-adaptation")],
    ),
    (  # "traditional" is no name; "end-to-end" is no method but does not break the list
        "We demonstrate, through numerical experiments on 91 tabular datasets for regression and "
        "classification, that RFRBoost significantly outperforms traditional RFNNs and end-to-end "
        "trained MLP ResNets, while offering substantial computational advantages.",
        [("RFRBoost", "Method"), ("RFNNs", "Method"), ("end-to-end", "Method"), ("MLP ResNets", "Method")],
        "method:rfrboost",
        [("method:rfrboost", "method:rfnn"), ("method:rfrboost", "method:mlp-resnet")],
    ),
    (  # "for BERT pre-training …," is no subject; "our proposed optimizer" is
        "Notably, for BERT pre-training on the large batch size of 32,768, our proposed optimizer "
        "attains faster convergence and higher accuracy compared with the Adam optimizer.",
        [("BERT", "Method"), ("accuracy", "Metric"), ("Adam optimizer", "Method")],
        "method:came",
        [("method:came", "method:adam-optimizer")],
    ),
    (  # the subject, not the networks it was tried on
        "Our experiments verify that AdaMod eliminates the extremely large learning rates "
        "throughout the training and brings significant improvements especially on complex "
        "networks such as DenseNet and Transformer, compared to Adam.",
        [("AdaMod", "Method"), ("DenseNet", "Method"), ("Transformer", "Method"), ("Adam", "Method")],
        "method:adaptive-and-momental-bound",
        [("method:adamod", "method:adam")],
    ),
    (
        "Across various models (OPT and llama-2) and seven benchmarking tasks, we demonstrate "
        "that COLA can consistently outperform LoRA without additional computational or memory "
        "costs.",
        [("OPT", "Method"), ("llama-2", "Method"), ("COLA", "Method"), ("LoRA", "Method")],
        "method:chain-of-lora",
        [("method:cola", "method:lora")],
    ),
    (  # the list ends at a comma that no method follows
        "Extensive experiments on the pre-training and fine-tuning of LLMs show that Fira "
        "outperforms both LoRA and GaLore, achieving performance that is comparable to or even "
        "better than full-rank training.",
        [("Fira", "Method"), ("LoRA", "Method"), ("GaLore", "Method"), ("full-rank training", "Method")],
        "method:fira",
        [("method:fira", "method:lora"), ("method:fira", "method:galore")],
    ),
    (  # "which" right before the cue refers back to "our method … results"
        "As a by product, our method also achieves compelling object detection results which "
        "surpass the competitive Fast / Faster R-CNN systems.",
        [("Fast / Faster R-CNN systems", "Method")],
        "method:mnc",
        [("method:mnc", "method:fast-faster-r-cnn")],
    ),
    (  # "by <figure>" inside the list does not end it
        "Experiments demonstrate that our method can save 76% computational costs on DeiT-base "
        "transferred from DeiT-small, which outperforms bert2BERT by +12.0% and LiGO by +20.7%, "
        "respectively.",
        [("DeiT-base", "Method"), ("DeiT-small", "Method"), ("bert2BERT", "Method"),
         ("LiGO", "Method"), ("+20.7%", "Method")],
        "method:mango",
        [("method:mango", "method:bert2bert"), ("method:mango", "method:ligo")],
    ),
    (  # a known method as the subject at the start of the sentence; an acronym as the loser
        "Behavioral cloning is a strong baseline, outperforming state-of-the-art offline RL and "
        "sequence modeling approaches when trained on data from multiple environments.",
        [("Behavioral cloning", "Method"), ("offline RL", "Method"),
         ("sequence modeling approaches", "Method")],
        "method:fedhyper",
        [("method:behavioral-cloning", "method:offline-rl")],
    ),
    (  # a participle after the paper's own results: the proposed method wins
        "Experiments on GLUE show consistent gains, outperforming BERT.",
        [("GLUE", "Dataset"), ("BERT", "Method")],
        "method:fedhyper",
        [("method:fedhyper", "method:bert")],
    ),
]

# Wrong facts the rules made before (sample graph, Nov 2026): generic or non-method losers,
# every noun phrase after the cue, generic winners.
REAL_DROPPED = [
    (  # everything after "by learning …" is how, not whom, it beats
        "Building on this insight, we furthermore identify how Transformers surpass the "
        "performance of plain gradient descent by learning an iterative curvature correction and "
        "learn linear models on deep data representations to solve non-linear regression tasks.",
        [("Transformers", "Method"), ("gradient descent", "Method"),
         ("iterative curvature correction", "Method"), ("linear models", "Method"),
         ("deep data representations", "Method"), ("non-linear regression tasks", "Method")],
        None,
        [("method:transformer", "method:gradient-descent")],
    ),
    (  # a class of methods, then the models it was run "in"
        "tpSGD also outperforms other state-of-the-art gradient-free algorithms in shallow models "
        "consisting of multi-layer perceptrons, convolutional neural networks (CNNs), and RNNs "
        "with competitive accuracy and less memory and time.",
        [("tpSGD", "Method"), ("gradient-free algorithms", "Method"), ("shallow models", "Method"),
         ("multi-layer perceptrons", "Method"), ("convolutional neural networks", "Method"),
         ("CNNs", "Method"), ("RNNs", "Method")],
        "method:tpsgd",
        [],
    ),
    (
        "Extensive experiments demonstrate that our TaskExpert clearly outperforms previous "
        "best-performing methods on all 9 metrics of two competitive multi-task learning "
        "benchmarks for visual scene understanding (i.e., PASCAL-Context and NYUD-v2).",
        [("TaskExpert", "Method"), ("best-performing methods", "Method"),
         ("multi-task learning", "Method"), ("PASCAL-Context", "Dataset")],
        "method:taskexpert",
        [],
    ),
    (  # generic winner and generic loser
        "We empirically verify the proposed method under challenging class-incremental learning "
        "scenarios and show that the proposed model - without any task boundaries - reduces "
        "catastrophic forgetting across a wide variety of pre-trained models, outperforming "
        "relevant baselines on this task.",
        [("class-incremental learning scenarios", "Method"), ("pre-trained models", "Method"),
         ("relevant baselines", "Method")],
        None,
        [],
    ),
    (
        "Remarkably, our experimental results demonstrate that TEDDY significantly surpasses "
        "conventional iterative approaches in generalization, even when conducting one-shot "
        "sparsification that solely utilizes graph structures.",
        [("TEDDY", "Method"), ("iterative approaches", "Method")],
        "method:teddy",
        [],
    ),
    (
        "Furthermore, we theoretically prove that the proposed method improves upon the existing "
        "methods, and demonstrate its significant advantage and versatility through various "
        "numerical applications.",
        [("existing methods", "Method"), ("numerical applications", "Method")],
        None,
        [],
    ),
    (
        "On the CIFAR-100 dataset, our method achieves an 85.21% clean accuracy, while improving "
        "the clean accuracy by ten percentage points compared with all listed models.",
        [("CIFAR-100", "Dataset"), ("listed models", "Method")],
        "method:adaptive-smoothing",
        [],
    ),
    (
        "Our experimental results show the efficacy of our approach on benchmark continual "
        "learning data sets, outperforming the previous task-agnostic methods and even the "
        "techniques that admit task identities at both training and testing.",
        [("task-agnostic methods", "Method")],
        "method:tame",
        [],
    ),
    (  # the winner is a generic subject, the losers are regimes after "under"
        "Further, we demonstrate that the calibration of dense models is always superior to that "
        "of their lottery ticket counterparts under both LP and VP regimes.",
        [("dense models", "Method"), ("LP", "Method"), ("VP", "Method")],
        None,
        [],
    ),
    (  # "SFT" is a piece of "Tulu3-SFT", not a method of its own
        "Remarkably, using 1/3 of the data and half the number of epochs, GRAPE enables "
        "LLaMA3.1-8B to surpass the performance of Tulu3-SFT by 3.5%.",
        [("GRAPE", "Method"), ("LLaMA3.1-8B", "Method"), ("SFT", "Method")],
        "method:grape",
        [],
    ),
    (  # "our shallow PBN variant" is the winner, and the same name as the loser
        "Further, our shallow PBN variant outperforms other shallow PBNs while being inherently "
        "interpretable.",
        [("shallow PBN", "Method"), ("shallow PBNs", "Method")],
        "method:deep-prototype-based-network",
        [],
    ),
    (  # the paper's own method under another name is no loser
        "As a result, we achieve considerable improvement over the existing ensemble attacks on "
        "various datasets, and the proposed AdaEA can also boost existing transfer-based attacks.",
        [("ensemble attacks", "Method"), ("AdaEA", "Method", "proposed")],
        "method:adaptive-ensemble-attack",
        [],
    ),
    (  # kinds of models, not methods
        "Extensive evaluation across 13 vision-language benchmarks reveals that LEO outperforms "
        "state-of-the-art open-source MLLMs and hybrid MLLMs on the majority of tasks.",
        [("LEO", "Method"), ("MLLMs", "Method"), ("hybrid MLLMs", "Method")],
        "method:leo",
        [],
    ),
    (  # a subject that is no mention is not the proposed method
        "Results show that the repulsive loss function significantly improves over the MMD loss "
        "at no additional computational cost.",
        [("MMD loss", "Method")],
        "method:bounded-gaussian-kernel",
        [],
    ),
    (  # "outperforms in accuracy …": the object comes after an adjunct, which ends the list
        "We demonstrate that ScaLearn consistently outperforms strong baselines with only a small "
        "number of transfer parameters - roughly 0.35% of those of AdapterFusion.",
        [("ScaLearn", "Method"), ("AdapterFusion", "Method")],
        "method:scalearn",
        [],
    ),
]


@pytest.mark.parametrize("text, spans, proposed, expected", REAL_KEPT + REAL_DROPPED)
def test_comparisons_in_real_sentences(text, spans, proposed, expected):
    mentions = [mention(t, text, label, *role) for t, label, *role in spans]
    found = find_comparisons(sentence(text), mentions, proposed=proposed)
    assert [(c.method, c.baseline) for c in found] == expected


@pytest.mark.parametrize(
    "text, where, specific",
    [
        ("FedAvg", {}, True),
        ("ResNet-50", {}, True),
        ("CNNs", {}, True),
        ("k-adaptability algorithm", {}, True),
        ("U-Net", {"title": True}, True),
        ("Adam optimizer", {}, True),
        ("Transformers", {"sentence_initial": True}, True),
        ("Dense models", {"sentence_initial": True}, False),
        ("plain gradient descent", {}, True),
        ("exact branch-and-price algorithm", {}, True),
        ("convolutional neural networks", {}, True),
        ("Behavioral cloning", {"sentence_initial": True}, True),
        ("Pretrained Models", {"title": True}, False),
        ("Iterative Refinement", {"title": True}, False),
        ("Oracle Efficient Algorithms", {"title": True}, False),
        ("Adversarial Style Augmentation (ASA)", {"title": True}, True),
        ("Adaptive and Momental Bound", {}, True),
        ("relevant baselines", {}, False),
        ("best-performing methods", {}, False),
        ("listed models", {}, False),
        ("iterative approaches", {}, False),
        ("gradient-free algorithms", {}, False),
        ("fine-tuning-free pruning methods", {}, False),
        ("deep learning frameworks", {}, False),
        ("+20.7\\%", {}, False),
        ("open-source MLLMs", {}, False),
        ("SOTA methods", {}, False),
    ],
)
def test_is_specific(text, where, specific):
    assert is_specific(text, **where) is specific


def test_proposed_method_needs_a_name():
    generic = Mention("Method", "flexible method", "abstract", 0, 15, key="method:flexible", role="proposed")
    title_case = Mention("Method", "Pretrained Models", "title", 0, 17, key="method:pretrained-model")
    named = Mention("Method", "HyperPAVE model", "abstract", 30, 45, key="method:hyperpave", role="proposed")
    assert proposed_method([generic, title_case]) is None
    assert proposed_method([generic, title_case, named]) == "method:hyperpave"
    assert proposed_method([generic], named={"method:flexible"}) == "method:flexible"


@pytest.mark.parametrize("text, spans, proposed, expected", COMPARISONS)
def test_find_comparisons(text, spans, proposed, expected):
    mentions = [mention(t, text, label) for t, label in spans]
    found = find_comparisons(sentence(text), mentions, proposed=proposed, claim=3, confidence=0.7)
    assert [(c.method, c.baseline, c.dataset, c.metric) for c in found] == expected
    assert all(c.claim == 3 and c.confidence == 0.7 for c in found)


def test_the_subject_named_in_the_sentence_wins_over_the_proposed_method():
    text = "BERT outperforms ELMo on SQuAD."
    mentions = [mention("BERT", text, "Method"), mention("ELMo", text, "Method")]
    found = find_comparisons(sentence(text), mentions, proposed="method:fedhyper")
    assert [(c.method, c.baseline) for c in found] == [("method:bert", "method:elmo")]


def test_claim_kinds_component_relabels_and_keeps_confidence():
    register_extensions()
    doc = nlp("We propose FedHyper. FedHyper outperforms FedAvg. It is good.")
    doc = nlp.create_pipe("sentencizer")(doc)
    sents = list(doc.sents)
    spans = []
    for s, conf in zip(sents[1:], (0.9, 0.6)):
        span = Span(doc, s.start, s.end, label="claim")
        span._.set(CONFIDENCE, conf)
        spans.append(span)
    doc.spans[CLAIMS] = spans
    doc.spans[CLAIMS].attrs["scores"] = [0.9, 0.6]
    doc = ClaimKinds()(doc)
    assert [(s.label_, s._.get(CONFIDENCE)) for s in doc.spans[CLAIMS]] == [
        ("comparative", 0.9),
        ("qualitative", 0.6),
    ]
    assert doc.spans[CLAIMS].attrs["scores"] == [0.9, 0.6]


def test_build_claims_maps_to_abstract_offsets_with_about_and_comparisons(paper_doc):
    register_extensions()
    title = "FedHyper: A Universal Learning Rate Scheduler"
    abstract = "We propose FedHyper. FedHyper outperforms FedAvg on CIFAR-10. It is easy to use."
    doc = paper_doc(abstract, title=title)
    claim_sent = [s for s in doc.sents if "outperforms" in s.text][0]
    span = Span(doc, claim_sent.start, claim_sent.end, label="claim")
    span._.set(CONFIDENCE, 0.8)
    doc.spans[CLAIMS] = [span]
    sent_text = "FedHyper outperforms FedAvg on CIFAR-10."
    offset = abstract.index(sent_text)
    mentions = [
        Mention("Method", "FedHyper", "title", 0, 8, key="method:fedhyper", role="proposed"),
        Mention("Method", "FedHyper", "abstract", offset, offset + 8, key="method:fedhyper"),
        Mention("Method", "FedAvg", "abstract", offset + 21, offset + 27, key="method:fedavg"),
        Mention("Dataset", "CIFAR-10", "abstract", offset + 31, offset + 39, key="dataset:cifar-10"),
    ]
    claims, comparisons = build_claims(doc, mentions)
    assert len(claims) == 1
    claim = claims[0]
    assert abstract[claim.start : claim.end] == sent_text == claim.text
    assert (claim.field, claim.kind, claim.sentence, claim.confidence) == ("abstract", "comparative", 1, 0.8)
    assert claim.about == ["method:fedhyper", "method:fedavg", "dataset:cifar-10"]
    assert comparisons == [
        Comparison(method="method:fedhyper", baseline="method:fedavg", claim=0,
                   dataset="dataset:cifar-10", metric=None, confidence=0.8)
    ]


def _claims_of(paper_doc, title, abstract, mentions, claim_text):
    register_extensions()
    doc = paper_doc(abstract, title=title)
    sent = [s for s in doc.sents if claim_text in s.text][0]
    doc.spans[CLAIMS] = [Span(doc, sent.start, sent.end, label="claim")]
    return build_claims(doc, mentions)


def test_build_claims_takes_the_coined_title_name_as_the_winner(paper_doc):
    title = "Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint?"
    abstract = "We study training. Our method outperforms GaLore on C4."
    at = abstract.index("GaLore")
    mentions = [
        Mention("Method", "Fira", "title", 0, 4, key="method:fira", role="proposed"),
        Mention("Method", "GaLore", "abstract", at, at + 6, key="method:galore"),
    ]
    _, comparisons = _claims_of(paper_doc, title, abstract, mentions, "outperforms")
    assert [(c.method, c.baseline) for c in comparisons] == [("method:fira", "method:galore")]


def test_build_claims_makes_no_fact_for_an_unnamed_proposed_method(paper_doc):
    title = "Improving the Accuracy-Robustness Trade-Off of Classifiers via Adaptive Smoothing"
    abstract = "We propose a flexible method. Our method outperforms FedAvg."
    at = abstract.index("FedAvg")
    mentions = [
        Mention("Method", "Adaptive Smoothing", "title", 63, 81, key="method:adaptive-smoothing"),
        Mention("Method", "flexible method", "abstract", 13, 28, key="method:flexible",
                role="proposed"),
        Mention("Method", "FedAvg", "abstract", at, at + 6, key="method:fedavg"),
    ]
    claims, comparisons = _claims_of(paper_doc, title, abstract, mentions, "outperforms")
    assert [c.kind for c in claims] == ["comparative"]
    assert comparisons == []
