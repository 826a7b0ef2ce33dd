"""Claim P/R/F1: coverage matching of predicted claims against gold result sentences."""

from __future__ import annotations

import pytest

from kg.evaluate.claims import evaluate_claims, match_claims
from kg.models import Claim, Extraction, Paper

ABSTRACT = "We study X. We build Y. Y beats Z. It is fast."
#            0          11 12      23 24     34 35      (sentence offsets)
SENTENCES = [
    {"start": 0, "end": 11, "label": "background"},
    {"start": 12, "end": 23, "label": "method"},
    {"start": 24, "end": 34, "label": "result"},
    {"start": 35, "end": 46, "label": "result"},
]


def gold(pid: str = "p1") -> Paper:
    return Paper(id=pid, title="", abstract=ABSTRACT, meta={"sentences": SENTENCES})


def extraction(spans: list[tuple[int, int]], pid: str = "p1", field: str = "abstract") -> Extraction:
    claims = [Claim(text=ABSTRACT[s:e], field=field, start=s, end=e, kind="qualitative") for s, e in spans]
    return Extraction(paper=Paper(id=pid, title="", abstract=ABSTRACT), claims=claims)


@pytest.mark.parametrize(
    "gold_spans, predicted, expected",
    [
        ([(24, 34)], [(24, 34)], (1, 1)),  # exact
        ([(24, 34)], [(23, 35)], (1, 1)),  # covering, a little wider
        ([(24, 34)], [(26, 34)], (0, 1)),  # inside: not found, but mostly claim text
        ([(24, 34), (35, 46)], [(24, 46)], (2, 1)),  # one prediction covering two claims
        ([(24, 34)], [(0, 34)], (1, 0)),  # covers it but is mostly not a claim
        ([(24, 34)], [(0, 11)], (0, 0)),
        ([], [(0, 11)], (0, 0)),
        ([(24, 34)], [], (0, 0)),
    ],
)
def test_match_claims(gold_spans, predicted, expected):
    assert match_claims(gold_spans, predicted) == expected


def test_evaluate_claims_counts_and_scores():
    scores = evaluate_claims([gold()], [extraction([(24, 34), (12, 23)])])
    assert (scores["gold"], scores["predicted"], scores["found"], scores["correct"]) == (2, 2, 1, 1)
    assert scores["precision"] == scores["recall"] == scores["f1"] == 0.5
    assert scores["papers"] == 1


def test_edge_whitespace_does_not_matter():
    padded = extraction([(23, 34)])  # starts on the space before "Y beats Z."
    assert evaluate_claims([gold()], [padded])["found"] == 1


def test_missing_extractions_cost_recall_and_title_claims_cost_precision():
    papers = [gold("p1"), gold("p2")]
    preds = [extraction([(24, 34), (35, 46)], "p1"), extraction([(0, 5)], "p3", field="title")]
    scores = evaluate_claims(papers, preds)
    assert scores["recall"] == 0.5 and scores["precision"] == 1.0
    half = evaluate_claims([gold("p1")], [extraction([(24, 34)], "p1")])
    assert half["f1"] == pytest.approx(2 / 3)
    with_title = Extraction(
        paper=Paper(id="p1", title="T", abstract=ABSTRACT),
        claims=[Claim(text="T", field="title", start=0, end=1, kind="qualitative")],
    )
    assert evaluate_claims([gold("p1")], [with_title])["predicted"] == 1
    assert evaluate_claims([gold("p1")], [with_title])["precision"] == 0.0


def test_json_records_and_papers_without_sentences():
    gold_json = {"id": "p1", "abstract": ABSTRACT, "sentences": SENTENCES}
    pred_json = extraction([(24, 34), (35, 46)]).to_json()
    scores = evaluate_claims([gold_json, {"id": "q", "abstract": "No labels."}], [pred_json])
    assert scores["f1"] == 1.0 and scores["papers"] == 1


def test_nothing_to_score_gives_zeros_not_an_error():
    scores = evaluate_claims([], [])
    assert scores["f1"] == 0.0 and scores["gold"] == 0
