"""Extraction: papers → Method/Dataset/Task/Metric mentions, claims and code links.

:func:`load_extractor` is the entry point the build uses:

- ``"rules"``: spaCy components only (acronyms, title names, gazetteers, cue phrases);
- ``"trained"``: the trained pipeline shipped in ``kg/pipelines/paperkg`` (model + rules);
- ``"default"``: ``"trained"`` when the shipped pipeline is present, else ``"rules"`` (a
  warning says so);
- a folder holding a paperkg pipeline (``config.cfg``), e.g. a candidate assembled by
  ``scripts/train_pipeline.py`` before it is shipped.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

from kg.errors import ExtractionError
from kg.extract.base import Extractor

EXTRACTORS = ("default", "trained", "rules")


def load_extractor(name: str = "default") -> Extractor:
    """The extractor called `name` (one of :data:`EXTRACTORS`, or a pipeline folder), ready to run."""
    from kg.extract.pipeline import SHIPPED, load_pipeline, rules_pipeline
    from kg.extract.spacy_extractor import SpacyExtractor

    if name == "default":
        if (SHIPPED / "config.cfg").exists():
            name = "trained"
        else:
            warnings.warn(f"no trained pipeline at {SHIPPED}; using the rules extractor",
                          stacklevel=2)
            name = "rules"
    if name == "rules":
        return SpacyExtractor(rules_pipeline())
    if name == "trained":
        return SpacyExtractor(load_pipeline())
    folder = Path(name)
    if (folder / "config.cfg").is_file():
        extractor = SpacyExtractor(load_pipeline(folder))
        # Its meta version may be the shipped one's; the weights' digest keeps the extraction
        # cache of one pipeline from answering for the other.
        extractor.version += "+" + pipeline_digest(folder)
        return extractor
    raise ExtractionError(f"unknown extractor {name!r}: choose one of {', '.join(EXTRACTORS)}, "
                          "or give a folder holding a trained pipeline (config.cfg)")


def pipeline_digest(folder: Path) -> str:
    """12 hex digits of SHA-256 over a pipeline folder's files, names and contents."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:12]


__all__ = ["Extractor", "load_extractor", "EXTRACTORS"]
