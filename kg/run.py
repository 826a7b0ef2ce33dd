"""The main job as a library call: read → extract → resolve → build.

:func:`extract_resolved` streams papers through the extractor and spools the extractions to a
temporary spool file while the resolver learns the corpus (it holds entities, not documents);
a second pass over the spool rewrites every key to its canonical entity. :func:`build` feeds that
second pass into the graph builder. Duplicate records of a paper are folded into the first one
before extraction, so each paper is extracted once, and the summary counts every record that
was read, merged or skipped.
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import networkx as nx

from kg import collector
from kg.extract.base import Extractor
from kg.graph.builder import GraphBuilder
from kg.models import Extraction, Paper, Skipped
from kg.readers import ReadStats, read_papers
from kg.resolve import AliasTable, Resolution, Resolver

Progress = Callable[[int], None]

#: The phases :attr:`Summary.timings` reports, in run order. ``extract`` is reading the papers,
#: looking them up in the cache and extracting the misses (one stream: they interleave).
PHASES = ("extract", "resolve.add", "spool.write", "resolve.finish", "spool.read",
          "resolve.apply", "graph.add", "graph.finish")


@dataclass
class Summary:
    """What a run read, skipped and produced; printed by the CLI, returned to library users."""

    files: int = 0
    entries: int = 0
    papers: int = 0
    duplicates: int = 0
    #: Bad records/files skipped (--skip-errors) and stray listing lines left out, with reasons.
    skipped: list[Skipped] = field(default_factory=list)
    errors_skipped: int = 0
    lines_left_out: int = 0
    entities: int = 0
    nodes: Counter[str] = field(default_factory=Counter)
    relationships: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    #: Seconds per phase of the run (see :data:`PHASES`), as scripts/bench_scale.py prints them.
    timings: dict[str, float] = field(default_factory=dict)

    def timed(self, phase: str, seconds: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + seconds

    def count_graph(self, graph: nx.MultiDiGraph) -> None:
        self.nodes = Counter(d.get("labels", ":?").lstrip(":") for _, d in graph.nodes(data=True))
        self.relationships = Counter(d.get("label", "?") for _, _, d in graph.edges(data=True))

    def lines(self) -> list[str]:
        """The summary as short human-readable lines."""
        out = [
            f"files read: {self.files}",
            f"paper entries: {self.entries}",
            f"distinct papers: {self.papers} ({self.duplicates} duplicate entries merged)",
        ]
        if self.nodes:
            out.append(f"nodes: {sum(self.nodes.values())}")
            out += [f"  {label}: {n}" for label, n in sorted(self.nodes.items())]
            out.append(f"relationships: {sum(self.relationships.values())}")
            out += [f"  {rel}: {n}" for rel, n in sorted(self.relationships.items())]
        out.append(f"records skipped: {self.errors_skipped}")
        if self.lines_left_out:
            out.append(f"listing lines left out (not part of any paper): {self.lines_left_out}")
        reasons = Counter(s.reason for s in self.skipped)
        out += [f"  {n} × {reason}" for reason, n in reasons.most_common()]
        out += [f"    {s.source}: {s.reason}" for s in self.skipped[:20]]
        if len(self.skipped) > 20:
            out.append(f"    … and {len(self.skipped) - 20} more")
        out.append(f"time: {self.seconds:.1f} s")
        return out


def unique_papers(
    sources: Iterable[str], summary: Summary, *, skip_errors: bool, duplicates: dict[str, list[Paper]]
) -> Iterator[Paper]:
    """Read every source and yield each paper once; later records of the same paper are kept
    in `duplicates` (only those: memory grows with duplicates, not papers) to be merged in."""
    stats = ReadStats()
    seen: set[str] = set()
    for paper in read_papers(sources, skip_errors=skip_errors, skipped=summary.skipped, stats=stats):
        summary.entries += 1
        if paper.id in seen:
            summary.duplicates += 1
            duplicates.setdefault(paper.id, []).append(paper)
            continue
        seen.add(paper.id)
        summary.papers += 1
        yield paper
    summary.files = stats.files
    summary.errors_skipped = stats.skipped
    summary.lines_left_out = stats.notes


def extract_resolved(
    sources: Iterable[str],
    extractor: Extractor,
    *,
    aliases: AliasTable | None = None,
    skip_errors: bool = False,
    jobs: int = 1,
    batch_size: int = 64,
    progress: Progress | None = None,
    summary: Summary | None = None,
) -> tuple[Iterator[Extraction], Resolution, Summary]:
    """Read, extract and resolve. Returns the resolved extractions (a one-shot iterator over a
    spool file, keys rewritten to canonical entities), the resolution and the run summary."""
    summary = summary or Summary()
    started = time.perf_counter()
    duplicates: dict[str, list[Paper]] = {}
    papers = unique_papers(sources, summary, skip_errors=skip_errors, duplicates=duplicates)
    resolver = Resolver(aliases=aliases)
    # Pickled, not JSON: the spool lives and dies in this process, and pickling a record is
    # a C-speed copy of its objects where to_json/from_json (dataclasses.asdict) cost more per
    # paper than reading it from the cache.
    spool = tempfile.TemporaryFile("w+b")
    clock = time.perf_counter
    t_add = t_write = 0.0
    t0 = clock()
    for ex in extractor.extract(papers, batch_size=batch_size, n_process=jobs):
        t1 = clock()
        local = resolver.add(ex)
        t2 = clock()
        # the paper's local keys travel with it, so that `apply` does not compute them again
        pickle.dump((ex, local), spool, protocol=pickle.HIGHEST_PROTOCOL)  # one per record
        t_write += clock() - t2
        t_add += t2 - t1
        if progress:
            progress(1)
    t1 = clock()
    summary.timed("extract", t1 - t0 - t_add - t_write)
    summary.timed("resolve.add", t_add)
    summary.timed("spool.write", t_write)
    with collector.paused():
        resolution = resolver.finish()
    spool.seek(0)
    summary.timed("resolve.finish", clock() - t1)
    summary.entities = len(resolution.entities)

    def resolved() -> Iterator[Extraction]:
        t_read = t_apply = 0.0
        with spool:
            while True:
                t0 = clock()
                try:
                    ex, local = pickle.load(spool)
                except EOFError:
                    break
                for dup in duplicates.pop(ex.paper.id, []):
                    # Metadata and sources merge; the text stays the one extracted, so the
                    # offsets of every mention still point into it.
                    title, abstract = ex.paper.title, ex.paper.abstract
                    ex.paper.merge(dup)
                    ex.paper.title, ex.paper.abstract = title, abstract
                t1 = clock()
                ex = resolution.apply(ex, local)
                t2 = clock()
                t_read += t1 - t0
                t_apply += t2 - t1
                yield ex
        summary.timed("spool.read", t_read)
        summary.timed("resolve.apply", t_apply)
        summary.seconds = time.perf_counter() - started

    return resolved(), resolution, summary


def build(
    sources: Iterable[str],
    extractor: Extractor,
    *,
    aliases: AliasTable | None = None,
    skip_errors: bool = False,
    jobs: int = 1,
    batch_size: int = 64,
    progress: Progress | None = None,
) -> tuple[nx.MultiDiGraph, Summary]:
    """The main job: the knowledge graph of every paper in `sources`, and the run summary."""
    extractions, resolution, summary = extract_resolved(
        sources, extractor, aliases=aliases, skip_errors=skip_errors, jobs=jobs,
        batch_size=batch_size, progress=progress
    )
    clock = time.perf_counter
    builder = GraphBuilder(names=resolution.names())
    t_add = 0.0
    # No extractor runs in the second pass, and neither it nor the builder makes cyclic
    # garbage: without the collector, which walked the growing graph again and again (half of
    # graph.add), memory is the same.
    with collector.paused():
        for ex in extractions:
            t0 = clock()
            builder.add(ex)
            t_add += clock() - t0
        t0 = clock()
        graph = builder.finish()
    summary.timed("graph.add", t_add)
    summary.timed("graph.finish", clock() - t0)
    summary.count_graph(graph)
    return graph, summary
