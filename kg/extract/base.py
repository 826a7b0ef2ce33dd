"""The extractor interface: papers in, one :class:`~kg.models.Extraction` per paper out.

The builder depends on this interface only, so a new extractor (rules, a trained spaCy
pipeline, a remote model) plugs in without changes to the build.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol, runtime_checkable

from kg.models import Extraction, Paper


@runtime_checkable
class Extractor(Protocol):
    """Turns papers into extractions, in input order, one per paper."""

    #: Short name, e.g. ``"paperkg"``; recorded with `version` on every relationship.
    name: str
    #: Changes whenever the output for the same input may change (pipeline, rules, settings).
    version: str

    def extract(
        self, papers: Iterable[Paper], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Yield one Extraction per paper, in the order the papers came in."""
        ...
