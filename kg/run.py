"""The main job as a library call: read → extract → resolve → build.

:func:`extract_resolved` streams papers through the extractor and spools the extractions to a
temporary spool file while the resolver learns the corpus (it holds entities, not documents);
a second pass over the spool rewrites every key to its canonical entity. :func:`build` feeds that
second pass into the graph builder. Duplicate records of a paper are folded into the first one
before extraction, so each paper is extracted once, and the summary counts every record that
was read, merged or skipped.

With a cache folder the spool is also the *build state* (:mod:`kg.build_state`): a rebuild whose
input is the last build's plus new papers starts from the stored records and resolver counts,
and only extracts and adds the new papers (the old ones are read to compare them with the
stored digests); anything else is a full build.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import networkx as nx

from kg import build_state, collector
from kg.build_state import Spool, StateSpool
from kg.cache import cache_version
from kg.extract.base import Extractor
from kg.graph.builder import GraphBuilder
from kg.models import Extraction, Paper, Skipped
from kg.readers import ReadStats, read_papers
from kg.readers.sources import STDIN
from kg.resolve import AliasTable, Resolution, Resolver

Progress = Callable[[int], None]

#: The phases :attr:`Summary.timings` reports, in run order. ``extract`` is reading the papers,
#: looking them up in the cache and extracting the misses (one stream: they interleave); with a
#: build state (:mod:`kg.build_state`), ``state.load`` is checking and loading the stored state,
#: ``state.check`` reading the previous build's papers and comparing their digests (an
#: incremental build reads only the new papers in ``extract``), ``state.save`` storing the new
#: state.
PHASES = ("state.load", "state.check", "extract", "resolve.add", "spool.write", "state.save",
          "resolve.finish", "spool.read", "resolve.apply", "graph.add", "graph.finish")


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
    #: With a build state (``--cache``): "incremental" or "full" ("" when none is stored: no
    #: cache folder, or stdin among the sources); `state_note` says why a stored state was not
    #: used, `reused` how many papers came from it.
    state: str = ""
    state_note: str = ""
    reused: int = 0
    #: Why the new build state could not be stored (the run itself went on), if so.
    state_error: str = ""
    #: How `kg build` wrote its GraphML file (kg.graphml_build): in full, and why, or patched.
    graphml_note: str = ""

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
        if self.state or self.state_note:
            if self.state == "incremental":
                line = (f"build: incremental, {self.reused} papers reused from the build state, "
                        f"{self.papers - self.reused} new")
            else:
                line = f"build: full ({self.state_note})" if self.state_note else "build: full"
            if self.state_error:
                line += f"; {self.state_error}"
            elif self.state == "full":
                line += "; build state stored"
            out.append(line)
        if self.graphml_note:
            out.append(f"graphml: {self.graphml_note}")
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


def _reset_reading(summary: Summary) -> None:
    """Forget what a read that was given up counted, before the sources are read again."""
    blank = Summary()
    for name in ("files", "entries", "papers", "duplicates", "errors_skipped", "lines_left_out"):
        setattr(summary, name, getattr(blank, name))
    summary.skipped.clear()


def _resume(
    sources: list[str], state_dir: Path, key: str, aliases: AliasTable | None,
    summary: Summary, duplicates: dict[str, list[Paper]], skip_errors: bool,
) -> tuple[Resolver, StateSpool, Iterator[Paper], bytearray] | None:
    """The incremental path, if the stored state allows it: the previous build's resolver, a
    new state spool holding its records, the rest of the papers (the new ones) and the paper
    list so far. None (with `summary.state_note` saying why) for a full build."""
    clock = time.perf_counter
    t0 = clock()
    try:
        stored = build_state.load_state(state_dir, key)
    except build_state.StateUnusable as exc:
        summary.state_note = str(exc)
        summary.timed("state.load", clock() - t0)
        return None
    t1 = clock()
    papers = unique_papers(sources, summary, skip_errors=skip_errors, duplicates=duplicates)
    why = build_state.check_prefix(papers, stored.papers)
    t2 = clock()
    summary.timed("state.check", t2 - t1)
    spool = None
    if why is None:
        try:
            resolver = stored.resolver(aliases)
            spool = StateSpool(state_dir, key, previous=stored)
        except build_state.StateUnusable as exc:
            why = str(exc)
        except OSError as exc:  # no new state file can be made: the full build says so too
            why = f"cannot store the build state: {exc}"
    summary.timed("state.load", t1 - t0 + clock() - t2)
    if why is not None or spool is None:
        papers.close()
        summary.state_note = why or "unusable"
        _reset_reading(summary)
        duplicates.clear()
        return None
    summary.reused = stored.count
    return resolver, spool, papers, bytearray(stored.papers)


@dataclass
class FirstPass:
    """What the first pass leaves: every paper's record spooled, the resolution, the duplicate
    records still to merge in, and where the build state went. :meth:`resolved` is the second
    pass over all papers; :mod:`kg.graphml_build` reads single records instead."""

    spool: Spool
    resolution: Resolution
    summary: Summary
    duplicates: dict[str, list[Paper]]
    started: float
    #: the cache folder holding the build state (None: no state), and the state's key
    state_dir: Path | None = None
    key: str = ""
    #: the papers' digests in input order (``build_state.paper_digest``; with a state only)
    digests: bytes = b""

    def merged(self, ex: Extraction) -> Extraction:
        """`ex` with the metadata and sources of its paper's later records merged in."""
        for dup in self.duplicates.get(ex.paper.id, ()):
            # Metadata and sources merge; the text stays the one extracted, so the offsets
            # of every mention still point into it.
            title, abstract = ex.paper.title, ex.paper.abstract
            ex.paper.merge(dup)
            ex.paper.title, ex.paper.abstract = title, abstract
        return ex

    def resolved(self) -> Iterator[Extraction]:
        """Every paper's extraction in input order, merged and resolved (once: the spool is
        read as it goes)."""
        clock, summary, resolution = time.perf_counter, self.summary, self.resolution
        t_read = t_apply = 0.0
        records = self.spool.records()
        while True:
            t0 = clock()
            try:
                ex, local = next(records)
            except StopIteration:
                break
            ex = self.merged(ex)
            t1 = clock()
            ex = resolution.apply(ex, local)
            t2 = clock()
            t_read += t1 - t0
            t_apply += t2 - t1
            yield ex
        summary.timed("spool.read", t_read)
        summary.timed("resolve.apply", t_apply)
        summary.seconds = time.perf_counter() - self.started


def extract_resolved(
    sources: Iterable[str], extractor: Extractor, **options: Any
) -> tuple[Iterator[Extraction], Resolution, Summary]:
    """Read, extract and resolve (`options`: those of :func:`first_pass`). Returns the resolved
    extractions (a one-shot iterator over a spool file, keys rewritten to canonical
    entities), the resolution and the run summary."""
    done = first_pass(sources, extractor, **options)
    return done.resolved(), done.resolution, done.summary


def first_pass(
    sources: Iterable[str],
    extractor: Extractor,
    *,
    aliases: AliasTable | None = None,
    skip_errors: bool = False,
    jobs: int = 1,
    batch_size: int = 64,
    progress: Progress | None = None,
    summary: Summary | None = None,
    incremental: bool = True,
) -> FirstPass:
    """Read, extract, spool and resolve every paper: the first pass, after which
    :meth:`FirstPass.resolved` (or :mod:`kg.graphml_build`) reads the records again.

    With an extractor that has a cache folder (:class:`~kg.cache.CachedExtractor`) the run
    also stores its build state there (:mod:`kg.build_state`) and, when `incremental` and the
    input is the previous build's input plus new papers, starts from the stored state instead
    of reading every paper's extraction again (`summary.state` says which path was taken)."""
    summary = summary or Summary()
    sources = list(sources)  # a full build after a refused resume reads them again
    started = time.perf_counter()
    clock = time.perf_counter
    duplicates: dict[str, list[Paper]] = {}
    state_dir = build_state.state_dir_of(extractor)
    if state_dir is not None and STDIN in sources:
        state_dir = None  # stdin cannot be read twice (a refused resume reads it again)
        summary.state_note = "stdin is among the sources: no build state"
    resumed = None
    key = ""
    if state_dir is not None:
        t0 = clock()
        key = build_state.state_key(cache_version(extractor), aliases)
        summary.timed("state.load", clock() - t0)
        summary.timed("state.check", 0.0)  # listed in full builds too, for phase tables
        if incremental:
            resumed = _resume(sources, state_dir, key, aliases, summary, duplicates, skip_errors)
        else:
            summary.state_note = "incremental builds turned off"
    digests: bytearray
    spool: Spool
    if resumed is not None:
        resolver, spool, papers, digests = resumed
        summary.state = "incremental"
        if progress:
            progress(summary.reused)
    else:
        resolver = Resolver(aliases=aliases)
        papers = unique_papers(sources, summary, skip_errors=skip_errors, duplicates=duplicates)
        digests = bytearray()
        spool = Spool()
        if state_dir is not None:
            try:
                spool = StateSpool(state_dir, key)
                summary.state = "full"
            except OSError as exc:  # a read-only cache, say: the build itself can go on
                summary.state_note = f"cannot store the build state: {exc}"
                state_dir = None
    if state_dir is not None:
        papers = build_state.digested(papers, digests)
    t_add = t_write = 0.0
    t0 = clock()
    try:
        for ex in extractor.extract(papers, batch_size=batch_size, n_process=jobs):
            t1 = clock()
            local = resolver.add(ex)
            t2 = clock()
            # the paper's local keys travel with it, so that `apply` does not compute them again
            spool.write(ex, local)
            t_write += clock() - t2
            t_add += t2 - t1
            if progress:
                progress(1)
        t1 = clock()
        summary.timed("extract", t1 - t0 - t_add - t_write)
        summary.timed("resolve.add", t_add)
        summary.timed("spool.write", t_write)
        # Stored before finish(), so that what is kept is the counts, whatever finish does.
        with collector.paused():
            spool.end_first_pass(resolver, digests)
    except BaseException:
        spool.discard()
        raise
    t2 = clock()
    if state_dir is not None:
        summary.timed("state.save", t2 - t1)
        summary.state_error = spool.error
    with collector.paused():
        resolution = resolver.finish()
    summary.timed("resolve.finish", clock() - t2)
    summary.entities = len(resolution.entities)
    return FirstPass(spool, resolution, summary, duplicates, started,
                     state_dir if not spool.error else None, key, bytes(digests))


def build(
    sources: Iterable[str],
    extractor: Extractor,
    *,
    aliases: AliasTable | None = None,
    skip_errors: bool = False,
    jobs: int = 1,
    batch_size: int = 64,
    progress: Progress | None = None,
    incremental: bool = True,
) -> tuple[nx.MultiDiGraph, Summary]:
    """The main job: the knowledge graph of every paper in `sources`, and the run summary.

    `incremental`: resume from the build state in the extractor's cache folder when the input
    allows it (see :func:`extract_resolved`)."""
    extractions, resolution, summary = extract_resolved(
        sources, extractor, aliases=aliases, skip_errors=skip_errors, jobs=jobs,
        batch_size=batch_size, progress=progress, incremental=incremental
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
