"""Parallel extraction on one machine: whole papers to worker processes, records back.

:class:`ParallelExtractor` wraps any :class:`~kg.extract.base.Extractor`. With ``n_process > 1``
it sends chunks of papers to a pool of worker processes, each of which runs the wrapped
extractor with ``n_process=1`` from text to :class:`~kg.models.Extraction`, and yields the
results in input order. Only papers and extraction records cross process boundaries (a few KB
each), so the parent does nothing but read, resolve and write.

Why not spaCy's own ``nlp.pipe(n_process=N)``: it tokenises in the parent, ships each ``Doc``
to a worker and back as bytes (``Doc.to_bytes`` / ``from_bytes``) and converts it to records in
the parent. For the kg pipelines that serialisation costs the parent more per paper than the
pipeline costs a worker, so ``--jobs 2`` ran *slower* than ``--jobs 1`` (see docs/scale.md).

Workers are forked where the platform allows it (Linux): they inherit the loaded pipeline, so
nothing is pickled or loaded again. Elsewhere they are spawned with a pickled copy of the
extractor. At most ``2 × n_process`` chunks are in flight, so memory stays bounded however long
the input. The output is the output of ``n_process=1``: each paper's extraction depends on that
paper alone, and chunks come back in order.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import sys
from collections import deque
from typing import Iterable, Iterator

from kg.extract.base import Extractor
from kg.models import Extraction, Paper

_WORKER_EXTRACTOR: Extractor | None = None  # the extractor of this worker process


def _init(extractor: Extractor | None) -> None:
    global _WORKER_EXTRACTOR
    if extractor is not None:  # spawned: the pickled copy; forked: inherited already
        _WORKER_EXTRACTOR = extractor


def _run(chunk: list[Paper], batch_size: int) -> list[Extraction]:
    assert _WORKER_EXTRACTOR is not None
    return list(_WORKER_EXTRACTOR.extract(chunk, batch_size=batch_size, n_process=1))


def _chunks(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    chunk: list[Paper] = []
    for paper in papers:
        chunk.append(paper)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ParallelExtractor:
    """An Extractor that runs `inner` in `n_process` worker processes (same output, in order)."""

    def __init__(self, inner: Extractor, *, chunk_size: int = 128,
                 start_method: str | None = None) -> None:
        self.inner = inner
        self.chunk_size = chunk_size
        if start_method is None:
            start_method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.start_method = start_method

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return self.inner.version

    def extract(
        self, papers: Iterable[Paper], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Yield one Extraction per paper, in input order, extracted by `n_process` workers."""
        if n_process <= 1:
            yield from self.inner.extract(papers, batch_size=batch_size, n_process=1)
            return
        chunks = _chunks(papers, self.chunk_size)
        first = next(chunks, None)
        if first is None:  # no papers (e.g. a stretch of cache hits): no pool to start
            return
        global _WORKER_EXTRACTOR
        ctx = mp.get_context(self.start_method)
        forked = self.start_method == "fork"
        if forked:
            _WORKER_EXTRACTOR = self.inner  # inherited by the forked workers
        try:
            with ctx.Pool(n_process, initializer=_init,
                          initargs=(None if forked else self.inner,)) as pool:
                pending: deque = deque()
                for chunk in itertools.chain([first], chunks):
                    pending.append(pool.apply_async(_run, (chunk, batch_size)))
                    if len(pending) >= 2 * n_process:
                        yield from pending.popleft().get()
                while pending:
                    yield from pending.popleft().get()
        finally:
            if forked:
                _WORKER_EXTRACTOR = None
