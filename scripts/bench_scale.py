#!/usr/bin/env python3
"""Scale benchmark: throughput, memory and incremental rebuilds on a synthetic corpus.

Builds a corpus of N abstracts (default 50,000) from the gold abstracts (../shared/data/gold) and
the sample listings (data/seeds): copy k of an abstract gets a suffix on every name with two or
more capitals (acronyms, CamelCase: ``FedHyper`` → ``FedHyperVb``) and on its title, so titles
and entity names are unique, as in a growing real corpus. Then, each in a fresh process (so
peak memory is that run's own), with the same library calls as ``kg build`` (read → extract →
resolve → graph → GraphML file), running a snapshot of ``kg/`` taken at the start:

1. ``--jobs 1`` on the first ``--slice`` papers (default 5,000), extraction cache empty, and
   ``--jobs 2`` on the same papers without a cache: abstracts/s, and a check that the two
   GraphML files are identical;
2. the first build of the whole corpus with ``--jobs N`` (default 2), cache empty (filled on
   the way): time per phase, peak memory;
3. the corpus plus 1% new papers, cache from run 2: the incremental rebuild, per phase and as a
   share of the first build;
4. with ``--memory``: memory of a build (the GraphML file written paper by paper) and of
   extraction alone (JSONL), on a quarter of the corpus and on all of it (cache warm, so these
   runs are quick);

and prints the projected time for 2.5M abstracts on a 16-core machine.

    nice -n 10 python3 scripts/bench_scale.py --papers 50000 --extractor default --workdir /tmp/kg-bench50k
    nice -n 10 python3 scripts/bench_scale.py --papers 2000 --slice 500 --extractor rules   # a quick look

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

#: The phases of the first pass (before `extract_resolved` returns).
FIRST_PASS = ("state.load", "state.check", "extract", "resolve.add", "spool.write", "state.save",
              "resolve.finish")


def worker(spec: dict) -> dict:
    """Run one build (or extraction) as `spec` says; return its figures, phase by phase."""
    sys.path.insert(0, spec.get("code") or str(REPO))
    from kg.cache import CachedExtractor
    from kg.extract import load_extractor
    from kg.parallel import ParallelExtractor
    from kg.run import build, extract_resolved
    from kg.writers.graphml import write_graphml

    started = time.perf_counter()
    extractor = load_extractor(spec["extractor"])
    load_s = time.perf_counter() - started
    if spec.get("parallel", "pool") == "pool":  # else spaCy's own nlp.pipe(n_process=N)
        extractor = ParallelExtractor(extractor)
    if spec.get("cache"):
        extractor = CachedExtractor(extractor, spec["cache"])

    t0 = time.perf_counter()
    digest = hashlib.sha256()
    nodes = edges = None
    incremental = spec.get("incremental", True)
    if spec["mode"] == "build":  # the GraphML file paper by paper, as `kg build` writes it
        from kg.graphml_build import build_graphml

        out = Path(spec["output"])
        summary = build_graphml(spec["sources"], extractor, out, jobs=spec["jobs"],
                                batch_size=spec["batch_size"], incremental=incremental)
        phases = summary.timings
        t_extracted = t0 + sum(phases.get(k, 0.0) for k in FIRST_PASS)
        nodes, edges = sum(summary.nodes.values()), sum(summary.relationships.values())
    elif spec["mode"] == "graph":  # kg.run.build's in-memory graph, then write_graphml
        graph, summary = build(spec["sources"], extractor, jobs=spec["jobs"],
                               batch_size=spec["batch_size"], incremental=incremental)
        phases = summary.timings
        # extract_resolved returns once every paper is extracted and the resolver finished
        t_extracted = t0 + sum(phases.get(k, 0.0) for k in FIRST_PASS)
        out = Path(spec["output"])
        t1 = time.perf_counter()
        write_graphml(graph, out)
        phases["write.graphml"] = time.perf_counter() - t1
        nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    if spec["mode"] in ("build", "graph"):
        with out.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    else:  # extraction JSONL only, as `kg extract` writes it
        extractions, _, summary = extract_resolved(
            spec["sources"], extractor, jobs=spec["jobs"], batch_size=spec["batch_size"])
        phases = summary.timings
        t_extracted = time.perf_counter()
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
        "nodes": nodes,
        "edges": edges,
        "graphml": getattr(summary, "graphml_note", ""),
        "load_s": round(load_s, 2),
        "extract_s": round(t_extracted - t0, 2),
        "after_s": round(t_done - t_extracted, 2),
        "total_s": round(t_done - t0, 2),
        "phases": {k: round(v, 2) for k, v in phases.items()},
        "peak_rss_mb": round(self_kb / 1024, 1),
        "peak_child_rss_mb": round(child_kb / 1024, 1),
        "hits": stats.hits if stats else None,
        "misses": stats.misses if stats else None,
        "cache_version": getattr(extractor, "cache_version", None),
        "kg": str(Path(sys.modules["kg"].__file__).parent),
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
          f"(read+extract+resolve {result['extract_s']} s, graph+write {result['after_s']} s) = "
          f"{rate:.1f} abstracts/s; peak RSS {result['peak_rss_mb']} MB "
          f"(largest worker {result['peak_child_rss_mb']} MB); entities {result['entities']}; "
          f"nodes {result['nodes']}, edges {result['edges']}; "
          f"cache hits/misses {result['hits']}/{result['misses']}; "
          f"load avg {result['load_before']} → {result['load'][0]}; code {result['kg']}, "
          f"cache version {result['cache_version']}", flush=True)
    print("    phases (s): " + ", ".join(f"{k} {v}" for k, v in result["phases"].items()),
          flush=True)
    if result.get("graphml"):
        print(f"    graphml: {result['graphml']}", flush=True)
    return result


def snapshot(work: Path) -> str:
    """A copy of kg/ (pipeline included) that every run imports, so that edits others make to
    the tree while the benchmark runs change neither the code measured nor its cache version."""
    import shutil

    dest = work / "code"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(REPO / "kg", dest / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    return str(dest)


def head(src: Path, dst: Path, n: int) -> Path:
    with src.open(encoding="utf-8") as fin, dst.open("w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i >= n:
                break
            fout.write(line)
    return dst


def phase_table(first: dict, inc: dict) -> None:
    print(f"  {'phase':<16}{'first build':>14}{'rebuild +1%':>14}{'% of first':>12}")
    for k in first["phases"]:
        a, b = first["phases"][k], inc["phases"].get(k, 0.0)
        print(f"  {k:<16}{a:>14.2f}{b:>14.2f}{100 * b / a if a else 0:>11.1f}%")
    a, b = first["total_s"], inc["total_s"]
    print(f"  {'total':<16}{a:>14.2f}{b:>14.2f}{100 * b / a:>11.1f}%")


# -- the benchmark --------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=50_000, help="corpus size (default 50000)")
    ap.add_argument("--extractor", default="default", help="default | trained | rules")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--jobs", type=int, default=2, help="jobs of the first build and the rebuild")
    ap.add_argument("--slice", type=int, default=5000,
                    help="papers of the --jobs 1 / --jobs 2 throughput runs (0: leave them out)")
    ap.add_argument("--workdir", default=None, help="keep corpus and cache here (default: a temp dir)")
    ap.add_argument("--no-snapshot", action="store_true", help="run the tree's kg/, not a copy")
    ap.add_argument("--spacy-mp", action="store_true",
                    help="also time spaCy's nlp.pipe(n_process=2) on the slice (slow)")
    ap.add_argument("--memory", action="store_true",
                    help="also the memory runs (extraction only vs graph, 1/4 and all)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return

    tmp = tempfile.TemporaryDirectory(prefix="kg-bench-") if not args.workdir else None
    work = Path(args.workdir or tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    base, extra, n_bases = write_corpus(work, args.papers)
    cache, slice_cache = work / "cache", work / "slice-cache"
    for folder in (cache, slice_cache):
        if folder.exists():
            for f in folder.iterdir():
                f.unlink()
    code = None if args.no_snapshot else snapshot(work)
    n_extra = sum(1 for _ in extra.open())
    print(f"corpus: {args.papers} abstracts (+{n_extra} for the incremental run) from {n_bases} "
          f"distinct gold/sample abstracts; {base.stat().st_size / 2**20:.0f} MiB; "
          f"extractor {args.extractor}; {os.cpu_count()} CPUs; code "
          f"{'snapshot ' + code if code else 'the tree'}", flush=True)
    common = {"extractor": args.extractor, "batch_size": args.batch_size, "code": code}

    first = measure(f"first build, jobs {args.jobs} (cold cache)",
                    {**common, "sources": [str(base)], "jobs": args.jobs, "mode": "build",
                     "cache": str(cache), "output": str(work / "first.graphml")})
    inc = measure(f"rebuild +1%, jobs {args.jobs} (warm cache)",
                  {**common, "sources": [str(base), str(extra)], "jobs": args.jobs,
                   "mode": "build", "cache": str(cache), "output": str(work / "first.graphml")})
    # the same input built in full from the warm cache: the bytes the rebuild must have, and
    # the one-process part of a first build (every extraction a cache hit)
    full = measure(f"full build of the same input, jobs {args.jobs} (warm cache, no build state)",
                   {**common, "sources": [str(base), str(extra)], "jobs": args.jobs,
                    "mode": "build", "cache": str(cache), "incremental": False,
                    "output": str(work / "full.graphml")})
    print(f"  rebuild and full build GraphML files identical: {inc['digest'] == full['digest']}",
          flush=True)
    one = two = None
    if args.slice:
        sub = head(base, work / "slice.jsonl", min(args.slice, args.papers))
        one = measure(f"jobs 1, first {min(args.slice, args.papers)} papers (cold cache)",
                      {**common, "sources": [str(sub)], "jobs": 1, "mode": "build",
                       "cache": str(slice_cache), "output": str(work / "slice-1.graphml")})
        two = measure("jobs 2, same papers (no cache)",
                      {**common, "sources": [str(sub)], "jobs": 2, "mode": "build",
                       "cache": None, "output": str(work / "slice-2.graphml")})
        print(f"  jobs 1 and jobs 2 GraphML files identical: {one['digest'] == two['digest']}",
              flush=True)
        if args.spacy_mp:
            measure("jobs 2 with spaCy's nlp.pipe(n_process=2) instead",
                    {**common, "sources": [str(sub)], "jobs": 2, "mode": "build", "cache": None,
                     "parallel": "spacy", "output": str(work / "slice-spacy.graphml")})
    mem = {}
    if args.memory:
        quarter = head(base, work / "quarter.jsonl", args.papers // 4)
        for label, src, mode in (("extract-only 1/4", quarter, "extract"),
                                 ("extract-only all", base, "extract"),
                                 ("build 1/4", quarter, "build")):
            mem[label] = measure(f"memory, {label} (warm cache)",
                                 {**common, "sources": [str(src)], "jobs": 1, "mode": mode,
                                  "cache": str(cache), "output": str(work / "mem.graphml")})

    # -- summary and projection
    print()
    print("summary")
    rf = first["papers"] / first["total_s"]
    print(f"  first build, jobs {args.jobs}: {first['papers']} papers in {first['total_s']} s = "
          f"{rf:.1f} abstracts/s (read+extract+resolve stage "
          f"{first['papers'] / first['extract_s']:.1f}/s); peak RSS {first['peak_rss_mb']} MB "
          f"+ workers up to {first['peak_child_rss_mb']} MB each")
    if one and two:
        x1 = one["papers"] / one["phases"]["extract"]
        x2 = two["papers"] / two["phases"]["extract"]
        print(f"  slice of {one['papers']}: whole build jobs 1 {one['papers'] / one['total_s']:.1f}, "
              f"jobs 2 {two['papers'] / two['total_s']:.1f} abstracts/s; extraction phase "
              f"{x1:.1f} and {x2:.1f}/s ({x2 / x1:.2f}×)")
    db = cache / "extractions.sqlite"
    size = sum(f.stat().st_size for f in cache.iterdir() if f.name.startswith(db.name))
    print(f"  cache: {size / 2**20:.1f} MiB for {inc['papers']} papers = "
          f"{size / inc['papers'] / 1024:.2f} KiB per paper ({db.name} + WAL)")
    for name in ("build-state.bin", "graphml-state.bin"):
        if (cache / name).exists():
            state = (cache / name).stat().st_size
            print(f"  {name}: {state / 2**20:.1f} MiB = {state / inc['papers'] / 1024:.2f} KiB "
                  "per paper")
    print(f"  rebuild +{n_extra} papers ({inc['misses']} extracted, {inc['hits']} from cache): "
          f"{inc['total_s']} s = {100 * inc['total_s'] / first['total_s']:.1f}% of the first "
          f"build ({first['total_s']} s); per phase:")
    phase_table(first, inc)
    if mem:
        e4, ea, b4 = mem["extract-only 1/4"], mem["extract-only all"], mem["build 1/4"]
        print(f"  memory, extraction only: {e4['papers']} papers {e4['peak_rss_mb']} MB "
              f"({e4['entities']} entities) → {ea['papers']} papers {ea['peak_rss_mb']} MB "
              f"({ea['entities']} entities)")
        print(f"  memory, build (GraphML paper by paper): {b4['papers']} papers {b4['peak_rss_mb']} MB → "
              f"{first['papers']} papers {first['peak_rss_mb']} MB")

    # Projection. Extraction: per paper on one core from the jobs-1 slice (else from the first
    # build's extraction phase × its jobs), over 16 cores at the 2-core efficiency measured
    # here. The rest (read, cache, resolve, graph, write) runs in one process: its cost per
    # paper is the rebuild's time minus extracting its new papers.
    if one and two:
        per_paper = one["phases"]["extract"] / one["papers"]
        efficiency = min(1.0, (two["papers"] / two["phases"]["extract"]) / (2 / per_paper))
    else:
        per_paper = first["phases"]["extract"] * args.jobs / first["papers"]
        efficiency = 1.0
    # the one-process part: of a first build, as the full build from the warm cache took it
    # per paper; of a rebuild, the rebuild's time less extracting its new papers
    serial = full["total_s"] / full["papers"]
    weekly = max(0.0, inc["total_s"] - inc["misses"] * per_paper / (args.jobs * efficiency)) / inc["papers"]
    cores = TARGET_CORES * efficiency
    extract_h = TARGET * per_paper / cores / 3600
    serial_h = TARGET * serial / 3600
    weekly_h = (TARGET / 100 * per_paper / cores + TARGET * weekly) / 3600
    print(f"  projection, {TARGET:,} abstracts on {TARGET_CORES} cores: extraction "
          f"{TARGET:,} × {1000 * per_paper:.1f} ms / ({TARGET_CORES} × {efficiency:.0%}) = "
          f"{extract_h:.1f} h, plus the one-process part (read, cache, resolve, graph, write) at "
          f"{1000 * serial:.2f} ms/paper = {serial_h:.1f} h: about {extract_h + serial_h:.1f} h; "
          f"a weekly +1% rebuild with the cache ≈ {weekly_h:.2f} h (its one-process part "
          f"{1000 * weekly:.3f} ms per paper of the corpus)")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
