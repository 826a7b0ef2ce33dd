"""The listing reader on small hand-made captures: layouts, glued titles, furniture."""

from __future__ import annotations

import pytest

from kg.readers.listing import (
    NOTE_TEXT,
    NOTE_TITLE,
    is_furniture,
    line_kind,
    parse,
    split_glued_title,
    strip_glued_furniture,
)

ABS_1 = (
    "We propose FedHyper, a learning rate scheduler for federated learning. It adapts the "
    "global and local rates with hypergradients. Experiments on vision and text show that it "
    "converges faster than FedAvg and reaches higher accuracy."
)
ABS_2 = (
    "Automatic speaker verification has made great progress with deep learning. We study "
    "self-supervised learning with cluster-aware DINO and reach an equal error rate of 1.2% "
    "on VoxCeleb1 without any labels."
)
ABS_3 = "We show that neural ranking models are not robust to small perturbations of the query."
TITLE_1 = "FedHyper: A Universal and Robust Learning Rate Scheduler for Federated Learning"
TITLE_2 = "Self-Supervised Learning with Cluster-Aware-DINO for Robust Speaker Verification"
TITLE_3 = "Are Neural Ranking Models Robust?"
EXPECTED = [(TITLE_1, ABS_1), (TITLE_2, ABS_2), (TITLE_3, ABS_3)]

FURNITURE_HEAD = [
    "new", "", "Get trending papers in your email inbox!", "", "Subscribe", "",
    "byAK and the research community", "", "Mar 14", "",
]


def entries(lines: list[str]) -> list[tuple[str, str]]:
    return [(e.title, e.abstract) for e in parse(lines)]


def test_blank_line_layout_with_furniture():
    lines = FURNITURE_HEAD + [TITLE_1, "", ABS_1, "", TITLE_2, "", ABS_2, "", TITLE_3, "", ABS_3]
    assert entries(lines) == EXPECTED


def test_layout_without_blank_lines():
    lines = ["Get trending papers in your email inbox once a day!",
             "Get trending papers in your email inbox!",
             "Subscribe", TITLE_1, ABS_1, TITLE_2, ABS_2, TITLE_3, ABS_3]
    assert entries(lines) == EXPECTED


def test_title_glued_to_furniture_before_it():
    lines = ["Get trending papers in your email inbox!", "Subscribe" + TITLE_1, ABS_1,
             TITLE_2, ABS_2]
    assert entries(lines) == EXPECTED[:2]


def test_title_glued_to_abstract_before_it():
    lines = [TITLE_1, ABS_1 + TITLE_2, ABS_2 + TITLE_3, ABS_3]
    assert entries(lines) == EXPECTED


def test_glued_title_after_closing_quote_and_camel_case_title():
    abstract = ABS_1[:-1] + ' "benign oscillation".'
    title = "sharpDARTS: Faster and More Accurate Differentiable Architecture Search"
    assert entries([TITLE_1, abstract + title, ABS_2]) == [(TITLE_1, abstract), (title, ABS_2)]


def test_missing_space_inside_an_abstract_is_not_a_glued_title():
    abstract = ABS_1.replace("learning. It adapts", "learning.It adapts")
    assert entries([TITLE_1, abstract, TITLE_2, ABS_2]) == [(TITLE_1, abstract), (TITLE_2, ABS_2)]


@pytest.mark.parametrize("line", [
    "new", "Subscribe", "Get trending papers in your email inbox once a day!", "Mar 14",
    "March 3, 2024", "2024-03-14", "byAK and the research community", "Submitted by akhaliq",
    "Upvote", "42", "1.2k", "·", "View arXiv page", "Daily Papers",
])
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [TITLE_1, TITLE_3, "Pointer Networks", "Adam: A Method for "
                                  "Stochastic Optimization", "New Insights into Grokking"])
def test_titles_are_not_furniture(line):
    assert not is_furniture(line)


def test_other_furniture_between_entries_is_dropped():
    noise = ["Submitted by akhaliq", "Upvote", "17", "Mar 12, 2024", "·", "View arXiv page"]
    lines = [TITLE_1, ABS_1, *noise, TITLE_2, ABS_2, *noise, TITLE_3, ABS_3, *noise]
    assert entries(lines) == EXPECTED


@pytest.mark.parametrize("text, kind", [
    (TITLE_1, "title"),
    (TITLE_3, "title"),
    ("Upsample or Upweight? Balanced Training on Heavily Imbalanced Datasets", "title"),
    ("Attention Is All You Need.", "title"),
    (ABS_1, "abstract"),
    (ABS_3, "abstract"),
    ("We study grokking in modular arithmetic and show it is a phase transition…", "abstract"),
])
def test_line_kind(text, kind):
    assert line_kind(text) == kind


def test_split_glued_title():
    assert split_glued_title(ABS_1 + TITLE_2) == (ABS_1, TITLE_2)
    assert split_glued_title(ABS_1) is None
    assert split_glued_title(ABS_1.replace("faster", "3.5 times faster")) is None
    # the inside of a URL is not a glued title, but a title after a URL's full stop is
    assert split_glued_title(ABS_1 + " Code: https://github.com/x/FedHyper.Net/tree") is None
    url = ABS_1 + " Code: https://github.com/x/lora-sb."
    assert split_glued_title(url + TITLE_3) == (url, TITLE_3)


def test_strip_glued_furniture():
    glued = "SubscribeFair Densities via Boosting"
    assert strip_glued_furniture(glued) == "Fair Densities via Boosting"
    assert strip_glued_furniture("Subscriber Churn Prediction") == "Subscriber Churn Prediction"
    assert strip_glued_furniture("newFedHyper: A Scheduler") == "FedHyper: A Scheduler"


def test_multi_paragraph_abstract_is_joined():
    second = "Code is available at https://github.com/x/fedhyper"
    assert entries([TITLE_1, ABS_1, "", second, "", TITLE_2, ABS_2]) == [
        (TITLE_1, f"{ABS_1} {second}"), (TITLE_2, ABS_2)]


def test_unicode_text_is_kept_exactly():
    title = "Schrödinger Bridges for Ünsupervised Translation — a Study of 𝛽-VAEs"
    abstract = "We revisit Schrödinger bridges. " + ABS_1
    assert entries(["Subscribe", title, abstract]) == [(title, abstract)]


def test_stray_lines_are_noted_not_dropped_silently():
    notes: list[tuple[int, str]] = []
    lines = ["Trending on Hugging Face this week", TITLE_1, ABS_1, "A Lonely Title Line",
             TITLE_2, ABS_2]
    found = parse(lines, note=lambda line, msg: notes.append((line, msg)))
    assert [(e.title, e.line) for e in found] == [(TITLE_1, 2), (TITLE_2, 5)]
    assert notes == [(1, NOTE_TITLE), (4, NOTE_TITLE)]


def test_abstract_without_title_is_noted():
    notes: list[tuple[int, str]] = []
    found = parse([ABS_1, TITLE_2, ABS_2], note=lambda line, msg: notes.append((line, msg)))
    assert [(e.title, e.abstract) for e in found] == [(TITLE_2, ABS_2)]
    assert notes == [(1, NOTE_TEXT)]


def test_line_numbers_point_at_the_title():
    lines = FURNITURE_HEAD + [TITLE_1, "", ABS_1, "", TITLE_2, "", ABS_2]
    assert [e.line for e in parse(lines)] == [11, 15]
