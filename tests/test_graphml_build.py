"""kg.graphml_build: kg build's GraphML written paper by paper, and patched by a rebuild.

The contract: a patched file has the bytes of a full build of the same input, and the file
reads back as the graph kg.run.build builds.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from kg import graphml_build
from kg.cache import CachedExtractor
from kg.extract import load_extractor
from kg.graphio import read_graph
from kg.graphml_build import KEYS, STATE_FILE, build_graphml
from kg.readers import read_papers
from kg.run import build

SEEDS = sorted((Path(__file__).resolve().parents[1] / "data" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def rules():
    return load_extractor("rules")


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> list[str]:
    """The seed listings' distinct papers as three JSONL files (200, 100 and 102 papers)."""
    folder = tmp_path_factory.mktemp("seeds")
    papers = {}
    for p in read_papers([str(s) for s in SEEDS]):
        papers.setdefault(p.id, p)
    rows = [dataclasses.asdict(p) for p in papers.values()]
    out = []
    for i, (a, b) in enumerate([(0, 200), (200, 300), (300, len(rows))]):
        path = folder / f"part{i}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows[a:b]), encoding="utf-8")
        out.append(str(path))
    return out


def run(sources, extractor, output: Path, cache: Path | None = None, **kw):
    ex = CachedExtractor(extractor, cache) if cache is not None else extractor
    summary = build_graphml(sources, ex, output, **kw)
    return output.read_bytes(), summary


def rewritten(summary) -> int:
    return int(re.search(r"(\d+) old papers rewritten", summary.graphml_note).group(1))


def test_rebuilds_patch_the_file_with_the_bytes_of_a_full_build(tmp_path, rules, parts):
    cache, out = tmp_path / "cache", tmp_path / "papers.graphml"
    _, summary = run(parts[:1], rules, out, cache)
    assert summary.graphml_note == "written in full (not an incremental build)"
    assert (cache / STATE_FILE).is_file()
    changed = 0
    for n in (2, 3):
        data, summary = run(parts[:n], rules, out, cache)
        assert summary.state == "incremental"
        assert summary.graphml_note.startswith("patched: "), summary.graphml_note
        assert any(line.startswith("graphml: patched") for line in summary.lines())
        changed += rewritten(summary)
        reference, full = run(parts[:n], rules, tmp_path / f"full{n}.graphml", tmp_path / f"c{n}")
        assert data == reference
        assert summary.nodes == full.nodes and summary.relationships == full.relationships
    # new papers changed how some old papers' entities resolve: those blocks were rewritten
    assert changed > 0
    assert not [f for f in tmp_path.rglob("*.tmp")]


def test_the_file_reads_back_as_the_graph_build_builds(tmp_path, rules, parts):
    out = tmp_path / "papers.graphml"
    _, summary = run(parts, rules, out)
    graph, built = read_graph(out), build(parts, rules)[0]
    assert dict(graph.nodes(data=True)) == dict(built.nodes(data=True))
    edges = {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}
    assert edges == {(u, v, k): d for u, v, k, d in built.edges(keys=True, data=True)}
    assert sum(summary.nodes.values()) == built.number_of_nodes()
    assert sum(summary.relationships.values()) == built.number_of_edges()
    # every property the builder writes is declared up front, in KEYS' order
    keys = re.findall(r'<key id="d(\d+)" for="(\w+)" attr.name="(\w+)"', out.read_text("utf-8"))
    assert sorted((int(i), name, scope) for i, scope, name in keys) == [
        (i, name, scope) for i, (name, _, scope) in enumerate(KEYS)]


def test_without_a_cache_the_file_is_written_in_full(tmp_path, rules, parts):
    data, summary = run(parts[:1], rules, tmp_path / "a.graphml")
    assert summary.graphml_note == "written in full" and summary.state == ""
    assert data == run(parts[:1], rules, tmp_path / "b.graphml")[0]


@pytest.mark.parametrize("what,why", [
    ("edited", "changed since the last build"),
    ("moved", "the last build wrote"),
    ("deleted", "is gone"),
    ("damaged", "GraphML state unreadable"),
    ("duplicate", "a duplicate record of an old paper is new or changed"),
    ("full", "not an incremental build"),
])
def test_a_file_that_cannot_be_patched_is_written_in_full(tmp_path, rules, parts, what, why):
    cache, out = tmp_path / "cache", tmp_path / "papers.graphml"
    run(parts[:2], rules, out, cache)
    sources, kw = parts, {}
    if what == "edited":
        out.write_bytes(out.read_bytes().replace(b"<graph ", b"<graph  "))
    elif what == "moved":
        out.rename(tmp_path / "elsewhere.graphml")
        out = tmp_path / "other.graphml"
    elif what == "deleted":
        out.unlink()
    elif what == "damaged":
        state = cache / STATE_FILE
        raw = bytearray(state.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        state.write_bytes(bytes(raw))
    elif what == "duplicate":
        # a new listing that has one of the old papers again (with another author)
        first = json.loads(Path(parts[0]).read_text("utf-8").splitlines()[0])
        first["authors"] = ["Somebody Else"]
        extra = tmp_path / "extra.jsonl"
        extra.write_text(Path(parts[2]).read_text("utf-8") + json.dumps(first) + "\n", "utf-8")
        sources = [*parts[:2], str(extra)]
    elif what == "full":
        kw = {"incremental": False}
    data, summary = run(sources, rules, out, cache, **kw)
    assert summary.graphml_note.startswith("written in full (")
    assert why in summary.graphml_note
    assert data == run(sources, rules, tmp_path / "ref.graphml", tmp_path / "ref-cache")[0]
    # and the state it stores lets the next rebuild patch again
    again, summary = run(sources, rules, out, cache)
    assert summary.graphml_note.startswith("patched: 0 papers added") and again == data


def test_an_interrupted_patch_leaves_the_previous_file(tmp_path, rules, parts, monkeypatch):
    cache, out = tmp_path / "cache", tmp_path / "papers.graphml"
    before, _ = run(parts[:2], rules, out, cache)
    real = graphml_build._splice

    def fail(src, start, lengths, blocks, new_lengths, out_file):
        real(src, start, lengths, blocks, new_lengths, out_file)
        raise KeyboardInterrupt

    monkeypatch.setattr(graphml_build, "_splice", fail)
    with pytest.raises(KeyboardInterrupt):
        run(parts, rules, out, cache)
    assert out.read_bytes() == before
    assert not [f for f in tmp_path.rglob("*.tmp")]
    monkeypatch.setattr(graphml_build, "_splice", real)
    # the build state moved on without the file: the next build writes it in full, correctly
    data, summary = run(parts, rules, out, cache)
    assert summary.graphml_note == "written in full (GraphML state of another build)"
    assert data == run(parts, rules, tmp_path / "ref.graphml", tmp_path / "ref-cache")[0]


def test_a_property_the_file_has_no_key_for_means_a_full_write(tmp_path, rules, monkeypatch):
    """A property outside KEYS is declared on first use; a rebuild meeting one writes in full."""
    from tests.test_build_state import jsonl, rows

    monkeypatch.setattr(graphml_build, "KEYS",
                        tuple(k for k in KEYS if k != ("published", str, "node")))
    cache, out = tmp_path / "cache", tmp_path / "papers.graphml"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 8))
    dated = jsonl(tmp_path / "dated.jsonl", rows(8, 3, published="2024-01-02"))
    run([base], rules, out, cache)
    data, summary = run([base, dated], rules, out, cache)
    assert summary.graphml_note == ("written in full (a property or type the last file did "
                                    "not have)")
    assert data == run([base, dated], rules, tmp_path / "ref.graphml", tmp_path / "ref-cache")[0]
    assert 'attr.name="published"' in data.decode("utf-8")
