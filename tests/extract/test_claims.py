"""Claim analysis: kind, about, comparisons (plain functions), the kinds component, records.

Docs come from ``spacy.blank("en")``; mentions are made by hand, as the entity components
would leave them (field offsets, keys, roles).
"""

from __future__ import annotations

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
    proposed_method,
)
from kg.models import Comparison, Mention

nlp = spacy.blank("en")


def sentence(text: str) -> Span:
    doc = nlp(text)
    return doc[:]


def mention(text: str, sentence_text: str, label: str, role: str = "used", field: str = "abstract",
            key: str | None = None) -> Mention:
    start = sentence_text.index(text)
    return Mention(label=label, text=text, field=field, start=start, end=start + len(text),
                   key=key or f"{label.lower()}:{text.lower()}", role=role)


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
