"""Paper ids (DESIGN.md): arxiv:<id> when known, a JSONL paper's own id, else a title hash."""

from __future__ import annotations

import pytest

from kg.readers.ids import arxiv_id, hash_id, is_hash_id, normalise_text, paper_id


@pytest.mark.parametrize("value, expected", [
    ("2301.12345", "2301.12345"),
    ("2301.12345v3", "2301.12345"),
    ("arXiv:0704.0001", "0704.0001"),
    ("hep-th/9901001", "hep-th/9901001"),
    ("math.GT/0309136v2", "math.GT/0309136"),
    ("https://arxiv.org/abs/2301.12345v2", "2301.12345"),
    ("http://arxiv.org/pdf/2301.12345.pdf", "2301.12345"),
    ("https://export.arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
    ("scierc:J87-1003", None),
    ("https://github.com/org/2301.12345", None),
    ("12345", None),
    ("", None),
    (None, None),
])
def test_arxiv_id(value, expected):
    assert arxiv_id(value) == expected


def test_normalise_text():
    assert normalise_text("Deep-Learning:  A\tSurvey!") == "deep learning a survey"
    # NFKC: full-width forms are the ASCII letters
    assert normalise_text("ＬｏＲＡ＋： Ｅｆｆｉｃｉｅｎｔ") == "lora efficient"
    assert normalise_text("Straße") == normalise_text("STRASSE")  # case-folded


def test_hash_id_is_stable_and_ignores_surface_differences():
    a = hash_id("Deep Learning on a Data Diet: Finding Important Examples Early in Training")
    b = hash_id("deep learning on a data diet -- finding important examples early in training ")
    assert a == b
    assert a == "paper:" + a.split(":")[1] and len(a.split(":")[1]) == 16
    # sha1("pointer networks")[:16]: ids must not change between runs or machines
    assert hash_id("Pointer Networks") == "paper:cf77e563115b4a1e"
    assert hash_id("Pointer Networks") != hash_id("Pointer Network")


def test_paper_without_title_is_keyed_by_its_abstract():
    assert hash_id("", "We study X.") == hash_id("We study X.")
    assert hash_id("  ", "We study X.") != hash_id("", "We study Y.")


@pytest.mark.parametrize("kwargs, expected", [
    ({"own_id": "2301.12345v2"}, "arxiv:2301.12345"),
    ({"own_id": "arxiv:2301.12345"}, "arxiv:2301.12345"),
    ({"own_id": "scierc:J87-1003", "url": "https://arxiv.org/abs/2301.12345"}, "scierc:J87-1003"),
    ({"url": "https://arxiv.org/abs/2301.12345"}, "arxiv:2301.12345"),
    ({"url": "https://example.org/paper"}, hash_id("Pointer Networks")),
    ({}, hash_id("Pointer Networks")),
])
def test_paper_id_rules(kwargs, expected):
    assert paper_id("Pointer Networks", "We introduce …", **kwargs) == expected


def test_is_hash_id():
    assert is_hash_id(hash_id("Pointer Networks"))
    assert not is_hash_id("arxiv:2301.12345") and not is_hash_id("scierc:J87-1003")
