"""kg.run: the main job as a library call."""

import json

from kg.extract import load_extractor
from kg.run import build, extract_resolved


def test_duplicate_with_longer_abstract_keeps_offsets_valid(tmp_path):
    short = {"id": "2401.00001", "title": "FedHyper: A Scheduler",
             "abstract": "We propose FedHyper. It beats FedAvg on CIFAR-10."}
    longer = dict(short, abstract="Preamble sentence that shifts every offset. " + short["abstract"],
                  authors=["Ada Lovelace"])
    src = tmp_path / "papers.jsonl"
    src.write_text(json.dumps(short) + "\n" + json.dumps(longer) + "\n", encoding="utf-8")
    extractions, _, summary = extract_resolved([str(src)], load_extractor("rules"))
    (ex,) = list(extractions)
    assert summary.duplicates == 1
    assert ex.paper.authors == ["Ada Lovelace"]  # metadata of the later record merged in
    assert ex.entities
    for m in ex.entities:
        text = ex.paper.title if m.field == "title" else ex.paper.abstract
        assert text[m.start:m.end] == m.text


def test_build_counts_every_entry(seeds_dir):
    graph, summary = build([str(seeds_dir / "000_b381da6d294fff40.txt")], load_extractor("rules"))
    assert summary.entries == 73 and summary.papers == 73 and summary.files == 1
    assert summary.nodes["Paper"] == 73
    assert sum(summary.relationships.values()) == graph.number_of_edges()
