"""Readers: sources (files, folders, globs, ``-`` for stdin) in, :class:`~kg.models.Paper` out.

One module per source format, registered by file suffix in :data:`READER_MODULES`; adding a
format means adding a module with ``NAME``, ``SUFFIXES`` and ``read(source, context)``.

>>> from kg.readers import ReadStats, dedupe, read_papers
>>> stats = ReadStats()
>>> papers = list(dedupe(read_papers(["data/seeds"], stats=stats), stats=stats))
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from kg.errors import InputError
from kg.models import Paper, Skipped
from kg.readers.base import ReadContext, ReadStats
from kg.readers.ids import hash_id, is_hash_id, paper_id
from kg.readers.sources import Input, Origin, expand, suffix_of

__all__ = [
    "READERS",
    "ReadContext",
    "ReadStats",
    "dedupe",
    "paper_id",
    "read_papers",
    "reader_for",
]

# Modules under kg.readers, one per format. The first one whose sniff character matches reads
# input without a registered suffix (stdin); the last is the fallback.
READER_MODULES = ["jsonl", "listing"]
# What the first non-blank character of an input says about its format.
SNIFF = {"{": "jsonl"}
FALLBACK = "listing"


def _load() -> dict[str, ModuleType]:
    readers: dict[str, ModuleType] = {}
    for name in READER_MODULES:
        module = importlib.import_module(f"kg.readers.{name}")
        readers.update({suffix: module for suffix in module.SUFFIXES})
    return readers


READERS: dict[str, ModuleType] = _load()  # suffix (".txt") -> reader module


def reader_for(source: Input) -> ModuleType:
    """The reader for an opened input: by suffix for a file with a registered one, else by its
    first non-blank character (``{`` means JSONL, anything else a listing)."""
    if source.origin.path is not None:
        module = READERS.get(suffix_of(source.name))
        if module is not None:
            return module
    name = SNIFF.get(source.first_char(), FALLBACK)
    return importlib.import_module(f"kg.readers.{name}")


def read_papers(
    sources: Iterable[str | os.PathLike[str]] | str,
    *,
    skip_errors: bool = False,
    skipped: list[Skipped] | None = None,
    stats: ReadStats | None = None,
) -> Iterator[Paper]:
    """Every paper record in `sources`, in order, duplicates included (see :func:`dedupe`).

    Bad input raises :class:`~kg.errors.InputError` naming the file and line. With
    `skip_errors` the bad record (or file) is left out and a :class:`~kg.models.Skipped` is
    appended to `skipped` instead; lines of a listing that belong to no paper are appended to
    `skipped` in either mode. `stats` (if given) receives the counts as the read goes.
    """
    if skip_errors and skipped is None and stats is None:
        raise ValueError("skip_errors needs `skipped` or `stats` to record what is skipped")
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    context = ReadContext(skip_errors, skipped, stats if stats is not None else ReadStats())
    seen: set[Path] = set()
    for spec in sources:
        try:
            origins = list(expand([os.fspath(spec)], READERS))
        except InputError as exc:
            _skip_file(context, exc)
            continue
        for origin in origins:
            if origin.path is not None:
                resolved = origin.path.resolve()
                if resolved in seen:  # the same file named twice: read it once
                    continue
                seen.add(resolved)
            yield from _read_one(origin, context)


def _read_one(origin: Origin, context: ReadContext) -> Iterator[Paper]:
    stats = context.stats
    count = 0
    try:
        with Input(origin) as source:
            for paper in reader_for(source).read(source, context):
                count += 1
                stats.entries += 1
                yield paper
    except InputError as exc:
        _skip_file(context, exc)
        return
    stats.files += 1
    stats.per_file[origin.name] = count


def _skip_file(context: ReadContext, exc: InputError) -> None:
    context.error(exc)  # raises unless skipping errors
    context.stats.files_skipped += 1


def dedupe(
    papers: Iterable[Paper], *, stats: ReadStats | None = None, by_title: bool = False
) -> Iterator[Paper]:
    """Each paper once: records with the same id are folded into the first with
    :meth:`Paper.merge` (every source kept), in order of first appearance. With `by_title`, a
    record known only by its title hash (``paper:…``, e.g. from a listing) is also folded into a
    record with a real id (``arxiv:…``) and the same normalised title. Holds all papers in
    memory; the counts go to `stats`."""
    distinct: dict[str, Paper] = {}
    total = 0
    for paper in papers:
        total += 1
        first = distinct.get(paper.id)
        if first is None:
            distinct[paper.id] = paper
        else:
            first.merge(paper)
    result = list(distinct.values())
    if by_title:
        result = _fold_by_title(result)
    if stats is not None:
        stats.papers = len(result)
        stats.duplicates = total - len(result)
    yield from result


def _fold_by_title(papers: list[Paper]) -> list[Paper]:
    """Fold ``paper:…`` records into the first record with a real id and the same title hash;
    the merged paper takes the place of whichever of them came first."""
    known: dict[str, Paper] = {}
    for paper in papers:
        if not is_hash_id(paper.id):
            known.setdefault(hash_id(paper.title, paper.abstract), paper)
    kept: list[Paper] = []
    placed: set[int] = set()
    for paper in papers:
        target = known.get(paper.id) if is_hash_id(paper.id) else None
        if target is not None:
            target.merge(paper)
            paper = target
        if id(paper) not in placed:
            placed.add(id(paper))
            kept.append(paper)
    return kept
