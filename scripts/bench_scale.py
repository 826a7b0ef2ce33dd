#!/usr/bin/env python3
"""Scale benchmark: throughput, memory and incremental rebuilds on a synthetic corpus.

Builds a corpus of N abstracts (default 50,000) from the gold abstracts (../shared/data/gold) and
the sample listings (data/seeds): copy k of an abstract gets a suffix on every name with two or
more capitals (acronyms, CamelCase: ``FedHyper`` → ``FedHyperVb``) and on its title, so titles
and entity names are unique, as in a growing real corpus. Then, each in a fresh process (so peak
memory is that run's own), with the same library calls as ``kg build``:

1. ``--jobs 1``, extraction cache empty (it is filled on the way): abstracts/s, peak memory;
2. ``--jobs 2``, no cache (:class:`kg.parallel.ParallelExtractor`, as ``kg build --jobs 2``):
   abstracts/s, peak memory, and a check that the extractions are identical to run 1; then, for
   comparison, spaCy's own ``nlp.pipe(n_process=2)`` on the first 2,000 papers;
3. the corpus plus 1% new papers, cache from run 1: the incremental rebuild;
4. memory with the graph (``build``) and without it (extraction JSONL only, as ``kg extract``),
   on a quarter of the corpus and on all of it (cache warm, so these runs are quick);

and prints the projected time for 2.5M abstracts on a 16-core machine.

    nice -n 10 python3 scripts/bench_scale.py --papers 50000 --extractor default
    nice -n 10 python3 scripts/bench_scale.py --papers 2000 --extractor rules   # a quick look

The figures depend on the machine's load: it prints the load average around every run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "data" / "gold"
SEEDS = REPO / "data" / "seeds"
TARGET = 2_500_000
TARGET_CORES = 16

_NAME = re.compile(r"\b(?=[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z])[A-Za-z][A-Za-z0-9]*\b")


# -- the corpus ---------------------------------------------------------------------------------

def base_abstracts() -> list[tuple[str, str]]:
    """(title, abstract) of every distinct gold and sample abstract."""
    sys.path.insert(0, str(REPO))
    from kg.readers import read_papers

    sources = sorted(str(p) for p in GOLD.glob("*.jsonl")) + [str(SEEDS)]
    seen, out = set(), []
    for paper in read_papers(sources, skip_errors=True, skipped=[]):
        abstract = " ".join(paper.abstract.split())
        if len(abstract) < 200 or abstract in seen:
            continue
        seen.add(abstract)
        title = " ".join(paper.title.split()) or " ".join(abstract.split()[:10]).rstrip(".,;:")
        out.append((title, abstract))
    return out


def tag(k: int) -> str:
    """'' for the first copy, then 'Vb', 'Vc', … 'Vba': letters only, so tokens stay whole."""
    if k == 0:
        return ""
    letters = ""
    while k:
        k, r = divmod(k, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[r] + letters
    return "V" + letters


def synthetic(bases: list[tuple[str, str]], i: int) -> dict:
    title, abstract = bases[i % len(bases)]
    k = i // len(bases)
    if k:
        suffix = tag(k)
        abstract = _NAME.sub(lambda m: m.group() + suffix, abstract)
        title = _NAME.sub(lambda m: m.group() + suffix, title) + f" (study {k})"
    return {"id": f"bench:{i:08d}", "title": title, "abstract": abstract}


def write_corpus(folder: Path, papers: int) -> tuple[Path, Path, int]:
    """base.jsonl (N papers) and extra.jsonl (1% more); returns them and the number of bases."""
    bases = base_abstracts()
    extra = max(1, papers // 100)
    base, more = folder / "base.jsonl", folder / "extra.jsonl"
    with base.open("w", encoding="utf-8") as fh:
        for i in range(papers):
            fh.write(json.dumps(synthetic(bases, i), ensure_ascii=False) + "\n")
    with more.open("w", encoding="utf-8") as fh:
        for i in range(papers, papers + extra):
            fh.write(json.dumps(synthetic(bases, i), ensure_ascii=False) + "\n")
    return base, more, len(bases)


# -- one measured run (in its own process) --------------------------------------------------------

def worker(spec: dict) -> dict:
    """Run one build or extraction as `spec` says; return its figures."""
    sys.path.insert(0, str(REPO))
    from kg.cache import CachedExtractor
    from kg.extract import load_extractor
    from kg.graph.builder import GraphBuilder
    from kg.parallel import ParallelExtractor
    from kg.run import extract_resolved

    started = time.perf_counter()
    extractor = load_extractor(spec["extractor"])
    load_s = time.perf_counter() - started
    if spec.get("parallel", "pool") == "pool":  # else spaCy's own nlp.pipe(n_process=N)
        extractor = ParallelExtractor(extractor)
    if spec.get("cache"):
        extractor = CachedExtractor(extractor, spec["cache"])
    papers = 0

    def progress(n: int) -> None:
        nonlocal papers
        papers += n

    t0 = time.perf_counter()
    extractions, resolution, summary = extract_resolved(
        spec["sources"], extractor, jobs=spec["jobs"], batch_size=spec["batch_size"],
        progress=progress)
    t_extracted = time.perf_counter()  # every paper extracted and the resolver finished
    digest = hashlib.sha256()
    graph = None
    if spec["mode"] == "build":
        builder = GraphBuilder(names=resolution.names())
        for ex in extractions:
            digest.update(json.dumps(ex.to_json(), sort_keys=True).encode())
            builder.add(ex)
        graph = builder.finish()
    else:  # extraction JSONL only, as `kg extract` writes it
        with open(os.devnull, "w", encoding="utf-8") as sink:
            for ex in extractions:
                line = json.dumps(ex.to_json(), sort_keys=True)
                digest.update(line.encode())
                sink.write(line + "\n")
    t_done = time.perf_counter()
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    stats = getattr(extractor, "stats", None)
    return {
        "papers": summary.papers,
        "entities": summary.entities,
        "nodes": graph.number_of_nodes() if graph is not None else None,
        "edges": graph.number_of_edges() if graph is not None else None,
        "load_s": round(load_s, 2),
        "extract_s": round(t_extracted - t0, 2),
        "after_s": round(t_done - t_extracted, 2),
        "total_s": round(t_done - t0, 2),
        "peak_rss_mb": round(self_kb / 1024, 1),
        "peak_child_rss_mb": round(child_kb / 1024, 1),
        "hits": stats.hits if stats else None,
        "misses": stats.misses if stats else None,
        "digest": digest.hexdigest()[:16],
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def measure(name: str, spec: dict) -> dict:
    before = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, __file__, "--worker", json.dumps(spec)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"run {name!r} failed")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"] = round(before, 2)
    rate = result["papers"] / result["total_s"] if result["total_s"] else float("inf")
    print(f"  {name}: {result['papers']} papers in {result['total_s']} s "
          f"(extraction+resolve {result['extract_s']} s, graph/write {result['after_s']} s) = "
          f"{rate:.1f} abstracts/s; peak RSS {result['peak_rss_mb']} MB "
          f"(largest worker {result['peak_child_rss_mb']} MB); entities {result['entities']}; "
          f"cache hits/misses {result['hits']}/{result['misses']}; "
          f"load avg {result['load_before']} → {result['load'][0]}", flush=True)
    return result


# -- the benchmark --------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=50_000, help="corpus size (default 50000)")
    ap.add_argument("--extractor", default="default", help="default | trained | rules")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--workdir", default=None, help="keep corpus and cache here (default: a temp dir)")
    ap.add_argument("--skip-memory", action="store_true", help="leave out the memory runs (4)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return

    tmp = tempfile.TemporaryDirectory(prefix="kg-bench-") if not args.workdir else None
    work = Path(args.workdir or tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    base, extra, n_bases = write_corpus(work, args.papers)
    cache = work / "cache"
    if cache.exists():
        for f in cache.iterdir():
            f.unlink()
    n_extra = sum(1 for _ in extra.open())
    print(f"corpus: {args.papers} abstracts (+{n_extra} for the incremental run) from {n_bases} "
          f"distinct gold/sample abstracts; {base.stat().st_size / 2**20:.0f} MiB; "
          f"extractor {args.extractor}; {os.cpu_count()} CPUs", flush=True)
    common = {"extractor": args.extractor, "batch_size": args.batch_size}

    one = measure("jobs 1 (cold cache)", {**common, "sources": [str(base)], "jobs": 1,
                                           "mode": "build", "cache": str(cache)})
    two = measure("jobs 2 (no cache)", {**common, "sources": [str(base)], "jobs": 2,
                                         "mode": "build", "cache": None})
    same = one["digest"] == two["digest"]
    print(f"  jobs 1 and jobs 2 extractions identical: {same}", flush=True)
    sub = work / "spacy-sub.jsonl"
    with base.open(encoding="utf-8") as src, sub.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= min(args.papers, 2000):
                break
            dst.write(line)
    spacy_mp = measure("jobs 2 with spaCy's nlp.pipe(n_process=2) instead, first 2000 papers",
                       {**common, "sources": [str(sub)], "jobs": 2, "mode": "build",
                        "cache": None, "parallel": "spacy"})
    inc = measure("rebuild +1% (warm cache)", {**common, "sources": [str(base), str(extra)],
                                                "jobs": 1, "mode": "build", "cache": str(cache)})
    mem = {}
    if not args.skip_memory:
        quarter = work / "quarter.jsonl"
        with base.open(encoding="utf-8") as src, quarter.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= args.papers // 4:
                    break
                dst.write(line)
        for label, src, mode in (("extract-only 1/4", quarter, "extract"),
                                 ("extract-only all", base, "extract"),
                                 ("build 1/4", quarter, "build")):
            mem[label] = measure(f"memory, {label} (warm cache)",
                                 {**common, "sources": [str(src)], "jobs": 1, "mode": mode,
                                  "cache": str(cache)})

    # -- summary and projection
    r1 = one["papers"] / one["total_s"]
    r2 = two["papers"] / two["total_s"]
    x1 = one["papers"] / one["extract_s"]  # extraction (+ read + resolve), the parallel part
    x2 = two["papers"] / two["extract_s"]
    efficiency = min(1.0, x2 / (2 * x1))
    print()
    print("summary")
    print(f"  abstracts/s, whole build: jobs 1 {r1:.1f}, jobs 2 {r2:.1f} "
          f"(extraction stage: {x1:.1f} and {x2:.1f}; 2-core efficiency {efficiency:.0%})")
    print(f"  (spaCy's own n_process=2 path: {spacy_mp['papers'] / spacy_mp['extract_s']:.1f} "
          f"abstracts/s in the extraction stage)")
    print(f"  peak memory: jobs 1 {one['peak_rss_mb']} MB; jobs 2 main {two['peak_rss_mb']} MB "
          f"+ workers up to {two['peak_child_rss_mb']} MB each")
    db = cache / "extractions.sqlite"
    size = sum(f.stat().st_size for f in cache.iterdir())
    print(f"  cache: {size / 2**20:.1f} MiB for {inc['papers']} papers = "
          f"{size / inc['papers'] / 1024:.2f} KiB per paper ({db.name} + WAL)")
    print(f"  incremental: +{n_extra} papers ({inc['misses']} extracted, {inc['hits']} from cache) "
          f"in {inc['total_s']} s = {100 * inc['total_s'] / one['total_s']:.1f}% of the first build "
          f"({one['total_s']} s)")
    if mem:
        e4, ea, b4 = mem["extract-only 1/4"], mem["extract-only all"], mem["build 1/4"]
        print(f"  memory, extraction only: {e4['papers']} papers {e4['peak_rss_mb']} MB "
              f"({e4['entities']} entities) → {ea['papers']} papers {ea['peak_rss_mb']} MB "
              f"({ea['entities']} entities)")
        print(f"  memory, in-memory graph: {b4['papers']} papers {b4['peak_rss_mb']} MB → "
              f"{one['papers']} papers {one['peak_rss_mb']} MB")
        per_paper_mb = (one["peak_rss_mb"] - b4["peak_rss_mb"]) / max(1, one["papers"] - b4["papers"])
        print(f"  graph memory ≈ {per_paper_mb * 1024:.1f} KB per paper → "
              f"{per_paper_mb * TARGET / 1024:.0f} GB for {TARGET:,} papers in one in-memory graph")
    # Per paper on one core, extraction stage (read + extract + resolve); and the part that stays
    # in one process: everything in the warm-cache rebuild except extracting its new papers.
    per_paper = 1 / x1
    serial = max(0.0, inc["total_s"] - inc["misses"] * per_paper) / inc["papers"]
    cores = TARGET_CORES * efficiency
    extract_h = TARGET * per_paper / cores / 3600
    serial_h = TARGET * serial / 3600
    weekly_h = (TARGET / 100 * per_paper / cores + TARGET * serial) / 3600
    print(f"  projection, {TARGET:,} abstracts on {TARGET_CORES} cores: extraction "
          f"{TARGET:,} × {1000 * per_paper:.1f} ms / ({TARGET_CORES} × {efficiency:.0%}) = "
          f"{extract_h:.1f} h, plus the one-process part (read, cache, resolve, graph) at "
          f"{1000 * serial:.2f} ms/paper = {serial_h:.1f} h: about {extract_h + serial_h:.1f} h; "
          f"a weekly +1% rebuild with the cache ≈ {weekly_h:.1f} h")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
