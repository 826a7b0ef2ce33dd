"""The per-paper extraction cache: hits, misses, order, invalidation, interruption."""

from __future__ import annotations

import json
import os
import pickle
import re
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

import pytest

from kg.cache import CACHE_FILE, CachedExtractor, ExtractionCache, content_key
from kg.errors import ExtractionError
from kg.models import Claim, Extraction, Mention, Paper


class WordExtractor:
    """A tiny deterministic extractor: every capitalised word of the abstract is a Method.

    Records which papers it was asked to extract, and reads its input `batch_size` papers
    ahead, as spaCy's `nlp.pipe` does, so the cache's bookkeeping is tested against read-ahead.
    """

    name = "words"

    def __init__(self, version: str = "1", fail_after: int | None = None) -> None:
        self.version = version
        self.seen: list[str] = []
        self.calls = 0
        self.fail_after = fail_after

    def extract(self, papers: Iterable[Paper], *, batch_size: int = 64,
                n_process: int = 1) -> Iterator[Extraction]:
        self.calls += 1
        batch: list[Paper] = []
        for paper in papers:
            batch.append(paper)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        yield from self._run(batch)

    def _run(self, batch: list[Paper]) -> Iterator[Extraction]:
        for paper in batch:
            if self.fail_after is not None and len(self.seen) >= self.fail_after:
                raise RuntimeError("extractor crashed")
            self.seen.append(paper.id)
            ents = [Mention(label="Method", text=m.group(), field="abstract", start=m.start(),
                            end=m.end(), key=f"method:{m.group().lower()}")
                    for m in re.finditer(r"\b[A-Z]\w+", paper.abstract)]
            claims = [Claim(text=paper.abstract, field="abstract", start=0,
                            end=len(paper.abstract), kind="qualitative")]
            yield Extraction(paper=paper, entities=ents, claims=claims, version=self.version)


def papers(n: int, start: int = 0, **extra) -> list[Paper]:
    return [Paper(id=f"p{i}", title=f"Title {i}", abstract=f"We use Model{i} and Net{i % 7}.",
                  **extra) for i in range(start, start + n)]


def run(ex, items, **kw) -> list[dict]:
    return [e.to_json() for e in ex.extract(items, **kw)]


def test_first_run_extracts_everything_second_run_nothing(tmp_path):
    inner = WordExtractor()
    cached = CachedExtractor(inner, tmp_path)
    first = run(cached, papers(50), batch_size=8)
    assert first == run(WordExtractor(), papers(50), batch_size=8)
    assert len(inner.seen) == 50 and cached.stats.misses == 50

    inner2 = WordExtractor()
    again = CachedExtractor(inner2, tmp_path)  # a new process would open the same file
    assert run(again, papers(50), batch_size=8) == first
    assert inner2.seen == [] and again.stats.hits == 50


def test_adding_papers_extracts_only_the_new_ones_in_input_order(tmp_path):
    list(CachedExtractor(WordExtractor(), tmp_path).extract(papers(100)))
    inner = WordExtractor()
    # new papers interleaved with cached ones; the output keeps the input order
    mixed = papers(100) + papers(3, start=100)
    mixed = [p for pair in zip(mixed[:50], mixed[50:]) for p in pair] + mixed[100:]
    out = run(CachedExtractor(inner, tmp_path, max_gap=5), mixed, batch_size=4)
    assert [o["id"] for o in out] == [p.id for p in mixed]
    assert out == run(WordExtractor(), mixed, batch_size=4)
    assert sorted(inner.seen) == ["p100", "p101", "p102"]


@pytest.mark.parametrize("max_gap", [1, 2, 3, 1000])
@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_any_pattern_of_hits_and_misses_keeps_order(tmp_path, max_gap, batch_size):
    items = papers(40)
    warm = [p for i, p in enumerate(items) if (i * 7) % 5 < 2]  # an irregular subset
    list(CachedExtractor(WordExtractor(), tmp_path).extract(warm))
    inner = WordExtractor()
    out = run(CachedExtractor(inner, tmp_path, max_gap=max_gap), items, batch_size=batch_size)
    assert out == run(WordExtractor(), items)
    assert set(inner.seen) == {p.id for p in items} - {p.id for p in warm}


def test_edited_abstract_is_extracted_again_metadata_change_is_not(tmp_path):
    list(CachedExtractor(WordExtractor(), tmp_path).extract(papers(5)))
    items = papers(5, authors=["A. Author"], sources=["new.jsonl:1"])
    items[2].abstract = "We now use Transformer."
    inner = WordExtractor()
    out = list(CachedExtractor(inner, tmp_path).extract(items))
    assert inner.seen == ["p2"]
    assert [m.text for m in out[2].entities] == ["We", "Transformer"]
    # hits carry the paper as read this time, metadata included
    assert out[0].paper is items[0] and out[0].paper.authors == ["A. Author"]


def test_new_pipeline_version_misses_everything_and_prune_drops_the_old(tmp_path):
    list(CachedExtractor(WordExtractor("1"), tmp_path).extract(papers(10)))
    inner = WordExtractor("2")
    out = list(CachedExtractor(inner, tmp_path).extract(papers(10)))
    assert len(inner.seen) == 10 and {e.version for e in out} == {"2"}
    store = ExtractionCache(tmp_path)
    assert store.versions() == {"1": 10, "2": 10}
    assert store.prune(keep_version="2") == 10
    assert store.versions() == {"2": 10}
    # the old version is not needed any more to answer the new one
    inner3 = WordExtractor("2")
    list(CachedExtractor(inner3, tmp_path).extract(papers(10)))
    assert inner3.seen == []


def test_consumer_stopping_early_keeps_what_was_extracted(tmp_path):
    gen = CachedExtractor(WordExtractor(), tmp_path, commit_every=1000).extract(papers(30), batch_size=4)
    got = [next(gen) for _ in range(10)]
    gen.close()  # e.g. Ctrl-C in the consumer
    assert len(got) == 10
    inner = WordExtractor()
    list(CachedExtractor(inner, tmp_path).extract(papers(30)))
    assert "p0" not in inner.seen and "p9" not in inner.seen
    assert len(inner.seen) <= 20


def test_a_crash_in_the_extractor_keeps_committed_rows_and_a_rerun_resumes(tmp_path):
    cached = CachedExtractor(WordExtractor(fail_after=25), tmp_path, commit_every=10)
    with pytest.raises(RuntimeError):
        list(cached.extract(papers(40), batch_size=5))
    assert ExtractionCache(tmp_path).count() == 25
    inner = WordExtractor()
    out = run(CachedExtractor(inner, tmp_path), papers(40))
    assert inner.seen == [f"p{i}" for i in range(25, 40)]
    assert out == run(WordExtractor(), papers(40))


def test_store_is_valid_sqlite_and_holds_no_abstract_text(tmp_path):
    list(CachedExtractor(WordExtractor(), tmp_path).extract(papers(3)))
    with sqlite3.connect(tmp_path / CACHE_FILE) as conn:
        rows = conn.execute("SELECT version, key, paper_id FROM extractions ORDER BY paper_id").fetchall()
    assert rows == [("1", content_key(p), p.id) for p in papers(3)]


def test_content_key_depends_on_id_title_and_abstract_only():
    p = papers(1)[0]
    same = Paper(id=p.id, title=p.title, abstract=p.abstract, authors=["X"], url="u")
    assert content_key(p) == content_key(same)
    for change in ({"id": "q"}, {"title": "T"}, {"abstract": "A"}):
        other = Paper(**{"id": p.id, "title": p.title, "abstract": p.abstract, **change})
        assert content_key(other) != content_key(p)


def test_cached_extractor_pickles_and_follows_the_protocol(tmp_path):
    from kg.extract.base import Extractor

    cached = CachedExtractor(WordExtractor("7"), tmp_path)
    list(cached.extract(papers(2)))
    clone = pickle.loads(pickle.dumps(cached))
    assert isinstance(clone, Extractor)
    assert clone.version == "7" and clone.name == "words"
    assert [e.paper.id for e in clone.extract(papers(3))] == ["p0", "p1", "p2"]


def test_out_of_order_inner_output_is_an_error(tmp_path):
    class Reversed(WordExtractor):
        def extract(self, papers, *, batch_size=64, n_process=1):
            yield from reversed(list(super().extract(papers, batch_size=batch_size)))

    with pytest.raises(ExtractionError, match="out of order"):
        list(CachedExtractor(Reversed(), tmp_path).extract(papers(3)))


def test_missing_inner_output_is_an_error(tmp_path):
    class Drops(WordExtractor):
        def extract(self, papers, *, batch_size=64, n_process=1):
            yield from list(super().extract(papers, batch_size=batch_size))[:-1]

    with pytest.raises(ExtractionError, match="no extraction"):
        list(CachedExtractor(Drops(), tmp_path).extract(papers(3)))


def test_import_jsonl_seeds_the_cache(tmp_path):
    lines = [json.dumps(e.to_json()) for e in WordExtractor("9").extract(papers(12))]
    assert ExtractionCache(tmp_path).import_jsonl(lines + [""], commit_every=5) == 12
    inner = WordExtractor("9")
    out = run(CachedExtractor(inner, tmp_path), papers(12))
    assert inner.seen == []
    assert out == [json.loads(line) for line in lines]


def test_papers_held_at_once_stay_bounded_when_everything_is_cached(tmp_path):
    from kg.cache import _LOOKUP_BATCH

    n = 3 * _LOOKUP_BATCH + 500
    list(CachedExtractor(WordExtractor(), tmp_path).extract(papers(n)))
    pulled = 0

    def source():
        nonlocal pulled
        for p in papers(n + 20):  # 20 new ones at the end
            pulled += 1
            yield p

    inner = WordExtractor()
    ahead = 0
    for done, _ in enumerate(CachedExtractor(inner, tmp_path, max_gap=50).extract(source(), batch_size=8), 1):
        ahead = max(ahead, pulled - done)
    assert done == n + 20 and len(inner.seen) == 20
    assert ahead <= _LOOKUP_BATCH + 50 + 8


@pytest.fixture(scope="module")
def rules():
    from kg.extract import load_extractor

    return load_extractor("rules")


def graph_state(graph) -> tuple[dict, list]:
    edges = sorted(((u, v, k, json.dumps(d, sort_keys=True, default=str))
                    for u, v, k, d in graph.edges(keys=True, data=True)))
    return dict(graph.nodes(data=True)), edges


def test_a_rebuild_from_the_cache_is_the_same_graph(tmp_path, rules):
    from kg.run import build

    source = [str(Path(__file__).resolve().parents[1] / "data" / "seeds" / "004_b0f1f230b39cbbb7.txt")]
    first = CachedExtractor(rules, tmp_path)
    graph1, summary1 = build(source, first)
    second = CachedExtractor(rules, tmp_path)
    graph2, _ = build(source, second, incremental=False)  # every paper from the cache
    assert first.stats.misses == summary1.papers > 40
    assert second.stats.misses == 0 and second.stats.hits == summary1.papers
    assert graph_state(graph1) == graph_state(graph2)
    assert graph_state(graph1) == graph_state(build(source, rules)[0])


# -- the pipeline fingerprint in the cache key -----------------------------------------------------

@pytest.fixture()
def code_copy(tmp_path, monkeypatch):
    """A copy of the kg package (without the shipped pipeline) that the fingerprint reads."""
    import shutil

    import kg.cache

    src = Path(kg.cache.__file__).resolve().parent
    pkg = tmp_path / "code" / "kg"
    shutil.copytree(src, pkg, ignore=shutil.ignore_patterns("__pycache__", "pipelines"))
    monkeypatch.setattr(kg.cache, "_PACKAGE", pkg)
    monkeypatch.setattr(kg.cache, "_EXTRACT", pkg / "extract")
    return pkg


def edit(path: Path, text: str = "\n# edited\n") -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_fingerprint_covers_extraction_code_and_what_it_imports_only(code_copy):
    from kg.cache import code_files, code_fingerprint

    files = {str(f.relative_to(code_copy)) for f in code_files()}
    assert {"extract/gazetteer.py", "extract/claims.py", "resolve/normalise.py",
            "models.py"} <= files
    # imported by nothing in kg/extract: not part of what extractions are computed by
    assert not {"resolve/resolver.py", "graph/builder.py", "cache.py", "run.py"} & files

    before = code_fingerprint()
    assert code_fingerprint() == before
    os.utime(code_copy / "extract" / "claims.py")  # touched, same content
    assert code_fingerprint() == before
    edit(code_copy / "resolve" / "resolver.py")
    assert code_fingerprint() == before
    edit(code_copy / "extract" / "claims.py")
    after_claims = code_fingerprint()
    assert after_claims != before
    edit(code_copy / "resolve" / "normalise.py")  # computes the mention keys
    assert code_fingerprint() not in (before, after_claims)


def test_fingerprint_covers_the_pipeline_files(tmp_path):
    from kg.cache import code_fingerprint

    pipeline = tmp_path / "pipe"
    (pipeline / "ner").mkdir(parents=True)
    (pipeline / "config.cfg").write_text("[nlp]\n")
    (pipeline / "ner" / "model").write_bytes(b"\x00weights")
    one = code_fingerprint(pipeline)
    assert one == code_fingerprint(pipeline) != code_fingerprint(None)
    (pipeline / "ner" / "model").write_bytes(b"\x01weights")  # retrained: same size
    two = code_fingerprint(pipeline)
    assert two != one
    (pipeline / "config.cfg").write_text("[nlp]\nlang = en\n")
    assert code_fingerprint(pipeline) not in (one, two)


def test_editing_a_rule_module_invalidates_the_cache_and_only_then(tmp_path, rules, code_copy):
    items = papers(4)
    first = CachedExtractor(rules, tmp_path)
    assert first.cache_version.startswith(rules.version + "+")
    list(first.extract(items))
    assert first.stats.misses == 4

    again = CachedExtractor(rules, tmp_path)  # nothing changed: every paper from the cache
    list(again.extract(items))
    assert again.cache_version == first.cache_version
    assert (again.stats.hits, again.stats.misses) == (4, 0)

    edit(code_copy / "extract" / "gazetteer.py", "\nEXTRA_TERM = 'x'\n")
    edited = CachedExtractor(rules, tmp_path)
    out = run(edited, items)
    assert edited.cache_version != first.cache_version
    assert (edited.stats.hits, edited.stats.misses) == (0, 4)
    # the recorded version (on every relationship) is the extractor's own
    assert {o["version"] for o in out} == {rules.version}


def test_parallel_wrapper_has_the_cache_version_of_what_it_wraps(tmp_path, rules):
    from kg.cache import cache_version
    from kg.parallel import ParallelExtractor

    assert cache_version(ParallelExtractor(rules)) == cache_version(rules) != rules.version
    assert cache_version(WordExtractor("3")) == "3"  # not spaCy: trusted to version itself


def test_seeding_files_records_under_this_installations_cache_version(tmp_path, rules):
    lines = [json.dumps(e.to_json()) for e in rules.extract(papers(3))]
    assert ExtractionCache(tmp_path).import_jsonl(lines) == 3
    cached = CachedExtractor(rules, tmp_path)
    list(cached.extract(papers(3)))
    assert cached.stats.hits == 3


def test_hits_are_decoded_with_the_collector_paused_and_it_comes_back(tmp_path, monkeypatch):
    import gc

    import kg.cache as cache_module

    first = list(CachedExtractor(WordExtractor(), tmp_path).extract(papers(7)))
    seen = []
    real = cache_module._decode
    monkeypatch.setattr(cache_module, "_decode",
                        lambda record, paper: seen.append(gc.isenabled()) or real(record, paper))
    cached = CachedExtractor(WordExtractor(), tmp_path)
    again = []
    for ex in cached.extract(papers(7)):
        assert gc.isenabled()  # on while the consumer runs
        again.append(ex)
    assert [e.to_json() for e in again] == [e.to_json() for e in first]
    assert len(seen) == 7 and not any(seen) and cached.stats.hits == 7
