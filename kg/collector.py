"""Pausing Python's cyclic garbage collector around bulk pure-Python work.

The build's one-process stretches (decoding cache hits, :meth:`Resolver.finish`, the second
pass into the graph, the GraphML write) allocate many long-lived containers and make no cyclic
garbage; with the collector on, each of its runs walks everything the build holds, again and
again (a third to a half of those stretches on a 5,000-paper rebuild, docs/scale.md). Never
pause it around an extractor: a spaCy pipeline may make cyclic garbage.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block, back as it was afterwards (a cycle made meanwhile
    is collected then); nesting and an already-off collector are fine."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
