"""Extraction: papers → Method/Dataset/Task/Metric mentions, claims and code links.

:func:`load_extractor` is the entry point the build uses:

- ``"rules"``: spaCy components only (acronyms, title names, gazetteers, cue phrases);
- ``"trained"``: the trained pipeline shipped in ``kg/pipelines/paperkg`` (model + rules);
- ``"default"``: ``"trained"`` when the shipped pipeline is present, else ``"rules"`` (a
  warning says so).
"""

from __future__ import annotations

import warnings

from kg.errors import ExtractionError
from kg.extract.base import Extractor

EXTRACTORS = ("default", "trained", "rules")


def load_extractor(name: str = "default") -> Extractor:
    """The extractor called `name` (one of :data:`EXTRACTORS`), ready to run."""
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
    raise ExtractionError(f"unknown extractor {name!r}: choose one of {', '.join(EXTRACTORS)}")


__all__ = ["Extractor", "load_extractor", "EXTRACTORS"]
