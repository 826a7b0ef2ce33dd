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


def _papers_file(tmp_path, n=6):
    src = tmp_path / "papers.jsonl"
    rows = [{"id": f"p{i}", "title": f"RN{i}: Residual Networks {i}",
             "abstract": f"We train Residual Networks (RN{i}) on CIFAR-10. RN{i} beats VGG."}
            for i in range(n)]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return src


def test_each_papers_local_keys_are_computed_once(tmp_path, monkeypatch):
    import kg.resolve.resolver as resolver_module

    calls = []
    real = resolver_module.paper_definitions
    monkeypatch.setattr(resolver_module, "paper_definitions",
                        lambda ex: calls.append(ex.paper.id) or real(ex))
    extractions, _, summary = extract_resolved([str(_papers_file(tmp_path))],
                                               load_extractor("rules"))
    out = list(extractions)
    assert len(out) == summary.papers == 6
    # once in add; apply gets them from the spool (it used to read every paper's text again)
    assert sorted(calls) == [f"p{i}" for i in range(6)]


def test_graph_is_built_with_the_collector_paused_and_restored(tmp_path, monkeypatch):
    import gc

    from kg.graph.builder import GraphBuilder

    seen = []
    real = GraphBuilder.add
    monkeypatch.setattr(GraphBuilder, "add",
                        lambda self, ex: seen.append(gc.isenabled()) or real(self, ex))
    graph, summary = build([str(_papers_file(tmp_path))], load_extractor("rules"))
    assert len(seen) == summary.papers == 6 and not any(seen)
    assert gc.isenabled()


def test_same_graph_as_a_plain_resolution(tmp_path):
    """The build's shortcuts (local keys from the spool, paused collector) change nothing: the same
    graph as resolving and applying by hand."""
    from kg.graph.builder import build_graph
    from kg.readers import read_papers
    from kg.resolve import resolve

    src = str(_papers_file(tmp_path))
    extractor = load_extractor("rules")
    graph, _ = build([src], extractor)
    raw = list(extractor.extract(read_papers([src])))
    resolution = resolve(raw)
    reference = build_graph((resolution.apply(ex) for ex in raw), names=resolution.names())
    assert sorted(graph.nodes(data=True)) == sorted(reference.nodes(data=True))
    edges = sorted(graph.edges(keys=True, data=True))
    assert edges == sorted(reference.edges(keys=True, data=True))
