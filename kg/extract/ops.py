"""Which matrix multiplication the spaCy models run on: BLIS or numpy's BLAS.

thinc's CPU ops multiply matrices with BLIS by default. On some CPUs BLIS falls back to slow
kernels while numpy's OpenBLAS picks fast ones: on the project's machine (AMD EPYC, 2 cores)
numpy multiplies a tok2vec-shaped batch 3.7x faster, and the shipped pipeline runs 1.7x faster
with the same output. So the pipeline is loaded on numpy's product by default;
``KG_MATMUL=blis`` keeps thinc's, and ``KG_MATMUL=auto`` times both once per process on a
product of the tok2vec's shape (a few milliseconds) and takes the faster.

The choice only changes how products are computed, never what the model is: the two give the
same mentions on the 400 CSAbstruct abstracts we compared, but confidences differ in the last
float bits. That is why the default is fixed rather than measured: under load the measurement
can pick either, and the same papers would then give different bytes from one run to the next
(seen on the development machine while other jobs ran).
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Iterator

import numpy
from thinc.api import NumpyOps, use_ops

from kg.errors import ExtractionError

ENV = "KG_MATMUL"
CHOICES = ("auto", "numpy", "blis")
DEFAULT = "numpy"


def _best_seconds(ops: NumpyOps, x: numpy.ndarray, w: numpy.ndarray, repeat: int = 5) -> float:
    ops.gemm(x, w)  # first call pays for allocation and kernel selection
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        ops.gemm(x, w)
        best = min(best, time.perf_counter() - start)
    return best


@functools.cache
def matmul_backend() -> str:
    """``"numpy"`` or ``"blis"``: the one ``KG_MATMUL`` names, numpy's by default, or with
    ``auto`` the faster here."""
    choice = os.environ.get(ENV, DEFAULT).strip().lower() or DEFAULT
    if choice not in CHOICES:
        raise ExtractionError(f"{ENV}={choice!r}: expected one of {', '.join(CHOICES)}")
    if choice != "auto":
        return choice
    # 256 tokens through a width-96 maxout window layer (3 pieces, window 1): 288 x 288.
    rng = numpy.random.default_rng(0)
    x = rng.random((256, 288), dtype=numpy.float32)
    w = rng.random((288, 288), dtype=numpy.float32)
    blis = _best_seconds(NumpyOps(use_blis=True), x, w)
    plain = _best_seconds(NumpyOps(use_blis=False), x, w)
    # Keep BLIS (thinc's default) unless numpy is clearly faster.
    return "numpy" if plain < 0.8 * blis else "blis"


@contextlib.contextmanager
def fastest_ops() -> Iterator[str]:
    """Within the block, new thinc models multiply with :func:`matmul_backend`'s choice.

    A model keeps the ops it was created with, so wrapping ``spacy.load`` is enough.
    """
    backend = matmul_backend()
    with use_ops("numpy", use_blis=backend == "blis"):
        yield backend
