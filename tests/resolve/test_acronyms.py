"""Acronym definitions found in plain text (Schwartz–Hearst) and in titles."""

import pytest

from kg.resolve.acronyms import find_definitions, is_short_form, match_long_form, title_definition


@pytest.mark.parametrize("text,expected", [
    ("We build on Contrastive Language-Image Pre-training (CLIP) for retrieval.",
     [("CLIP", "Contrastive Language-Image Pre-training")]),
    ("The theoretical landscape of federated learning (FL) evolves.", [("FL", "federated learning")]),
    ("We use convolutional neural networks (CNNs) here.", [("CNNs", "convolutional neural networks")]),
    ("This is the person re-identification (re-ID) task.", [("re-ID", "re-identification")]),
    ("single image super-resolution (SISR) is hard", [("SISR", "single image super-resolution")]),
    ("super resolution (SR; Dong et al.) works", [("SR", "super resolution")]),
    ("We compare to CLIP (Contrastive Language-Image Pre-training) models.",
     [("CLIP", "Contrastive Language-Image Pre-training")]),
    # not definitions
    ("Results improve (see Table 2).", []),
    ("accuracy rises (e.g., on ImageNet)", []),
    ("It converges 1.1-3x faster (22.17%).", []),
    ("a new method (which we call it) works", []),
])
def test_find_definitions(text, expected):
    assert list(find_definitions(text)) == expected


def test_definition_does_not_cross_a_sentence():
    assert list(find_definitions("We study learning. Models (ML) are good.")) == []


@pytest.mark.parametrize("short,ok", [
    ("CLIP", True), ("SR", True), ("re-ID", True), ("e.g", False), ("see Table 2", False),
    ("22.17%", False), ("x", False), ("lowercase", False), ("VeryLongAcronymName", False),
])
def test_is_short_form(short, ok):
    assert is_short_form(short) is ok


def test_match_long_form_needs_word_start():
    assert match_long_form("SR", "image super-resolution") == "super-resolution"
    assert match_long_form("XYZ", "image super-resolution") is None


@pytest.mark.parametrize("title,expected", [
    ("CyCADA: Cycle-Consistent Adversarial Domain Adaptation",
     ("CyCADA", "Cycle-Consistent Adversarial Domain Adaptation")),
    ("LoRA: Low-Rank Adaptation of Large Language Models", ("LoRA", "Low-Rank Adaptation")),
    ("MEMEN: Multi-layer Embedding with Memory Networks for Machine Comprehension",
     ("MEMEN", "Multi-layer Embedding with Memory Networks")),
    # an acronym in the long form spells its capitals: the long form stops at "LSTM"/"CNN"
    ("DR-BiLSTM: Dependent Reading Bidirectional LSTM for Natural Language Inference",
     ("DR-BiLSTM", "Dependent Reading Bidirectional LSTM")),
    ("SyncSpecCNN: Synchronized Spectral CNN for 3D Shape Segmentation",
     ("SyncSpecCNN", "Synchronized Spectral CNN")),
    ("FedHyper: A Universal and Robust Learning Rate Scheduler for Federated Learning", None),
    ("V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation", None),
    ("Are Neural Ranking Models Robust?", None),
])
def test_title_definition(title, expected):
    assert title_definition(title) == expected


def test_last_word_is_what_the_end_anchored_pattern_finds():
    import random
    import re

    from kg.resolve.acronyms import _last_word

    pattern = re.compile(r"(\S+)\s*$")
    cases = ["", " ", "abc", "a b", "  a  b  ", "x\n", "x\n\n", "end,", "word\u00a0", "a\u2003b",
             "tab\tsep\t", "a\x1cb", "(CLIP ", "é\u3000"]
    alphabet = ["a", "B", ",", " ", "\t", "\n", "\u00a0", "\u2003", "\x1c", "\u3000", "(", "é"]
    rng = random.Random(7)
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(2000)]
    for text in cases:
        m = pattern.search(text)
        assert _last_word(text) == (m.group(1) if m else ""), repr(text)
