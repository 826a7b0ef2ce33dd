"""The JSONL reader: papers JSONL as DESIGN.md fixes it, and arXiv snapshot lines."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.readers.jsonl import paper_from_record

SNAPSHOT = {
    "id": "0704.0001", "submitter": "Pavel Nadolsky",
    "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
    "title": "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC"
             " energies",
    "comments": "37 pages, 15 figures", "journal-ref": "Phys.Rev.D76:013009,2007",
    "doi": "10.1103/PhysRevD.76.013009", "categories": "hep-ph stat.ML", "license": None,
    "abstract": "  A fully differential calculation in perturbative quantum chromodynamics is\n"
                "presented for the production of massive photon pairs.\n",
    "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
                 {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"}],
    "update_date": "2008-11-13",
    "authors_parsed": [["Balázs", "C.", ""], ["Berger", "E. L.", ""],
                       ["Nadolsky", "P. M.", ""], ["Yuan", "C. -P.", ""]],
}


def read(record) -> object:
    return paper_from_record(record, "papers.jsonl", 7)


def test_design_md_record():
    paper = read({"id": "scierc:J87-1003", "title": "", "abstract": " English is shown …",
                  "authors": ["A. Author", {"name": "B. Author"}], "published": "1987",
                  "url": "https://aclanthology.org/J87-1003", "categories": ["cs.CL"],
                  "entities": [{"label": "Task", "start": 1, "end": 8}], "source": "scierc"})
    assert paper.id == "scierc:J87-1003"
    assert paper.title == "" and paper.abstract == " English is shown …"  # kept exactly
    assert paper.authors == ["A. Author", "B. Author"]
    assert (paper.published, paper.url, paper.categories) == (
        "1987", "https://aclanthology.org/J87-1003", ["cs.CL"])
    assert paper.meta == {"entities": [{"label": "Task", "start": 1, "end": 8}],
                          "source": "scierc"}
    assert paper.sources == ["papers.jsonl:7"]


def test_id_rules():
    assert read({"id": "2301.12345v2", "title": "T"}).id == "arxiv:2301.12345"
    assert read({"title": "T", "url": "https://arxiv.org/abs/2301.12345"}).id == "arxiv:2301.12345"
    assert read({"id": 17, "title": "T"}).id == "17"
    assert read({"title": "Pointer Networks"}).id == "paper:cf77e563115b4a1e"
    assert read({"id": "", "title": "Pointer Networks"}).id == "paper:cf77e563115b4a1e"


def test_arxiv_snapshot_line():
    paper = read(SNAPSHOT)
    assert paper.id == "arxiv:0704.0001"
    assert paper.title == ("Calculation of prompt diphoton production cross sections at "
                           "Tevatron and LHC energies")
    assert paper.abstract.startswith("A fully differential calculation in perturbative quantum "
                                     "chromodynamics is presented")
    assert paper.authors == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]
    assert paper.published == "2007-04-02"  # version 1
    assert paper.url == "https://arxiv.org/abs/0704.0001"
    assert paper.categories == ["hep-ph", "stat.ML"]
    assert paper.meta["doi"] == "10.1103/PhysRevD.76.013009"
    assert paper.meta["update_date"] == "2008-11-13"
    assert "authors_parsed" not in paper.meta


def test_snapshot_authors_string_and_update_date_fallback():
    record = {k: v for k, v in SNAPSHOT.items() if k not in ("authors_parsed", "versions")}
    paper = read(record)
    assert paper.authors == ["C. Bal\\'azs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    assert paper.published == "2008-11-13"


@pytest.mark.parametrize("authors, expected", [
    ("A, B and C", ["A", "B", "C"]),
    ("A, B, and C", ["A", "B", "C"]),
    ("A and B", ["A", "B"]),
    ("Jean-Luc  Picard", ["Jean-Luc Picard"]),
    (["A", "", None, {"name": "B"}], ["A", "B"]),
    (42, []),
])
def test_authors(authors, expected):
    assert read({"title": "T", "authors": authors}).authors == expected


def test_unusable_metadata_is_kept_not_an_error():
    paper = read({"title": "T", "published": 2024, "url": ["x"], "categories": 3})
    assert paper.published is None and paper.url is None and paper.categories == []
    assert paper.meta == {"published": 2024, "url": ["x"]}


@pytest.mark.parametrize("record, message", [
    ({"title": "", "abstract": "  "}, "neither a title nor an abstract"),
    ({"id": "x"}, "neither a title nor an abstract"),
    ({"title": 3}, "'title' must be a string"),
    ({"title": "T", "abstract": ["a"]}, "'abstract' must be a string"),
    ({"title": "T", "id": {"a": 1}}, "'id' must be a string"),
    ([1, 2], "JSON array where a paper object was expected"),
    ("text", "JSON string where a paper object was expected"),
    (None, "JSON null where a paper object was expected"),
])
def test_bad_records(record, message):
    with pytest.raises(InputError) as err:
        read(record)
    assert message in str(err.value)
    assert err.value.location == "papers.jsonl:7"


def test_unicode_round_trip():
    record = {"title": "Schrödinger Bridges — 𝛽-VAEs", "abstract": "Über alles. 数据集."}
    paper = read(json.loads(json.dumps(record, ensure_ascii=True)))
    assert (paper.title, paper.abstract) == (record["title"], record["abstract"])
