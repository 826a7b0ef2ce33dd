"""The first entity key of a mention: ``method:<normalised name>``.

The resolve stage owns normalisation (:func:`kg.resolve.normalise.entity_key`); this is the one
place the extractor calls it. Until that module exists, a plain lowercase/space-collapse key is
used instead (and :data:`RESOLVER` says which one is active).
"""

from __future__ import annotations

import re

try:
    from kg.resolve.normalise import entity_key as _resolve_key
except ImportError:  # the resolve stage is built in parallel; see the module docstring
    _resolve_key = None

RESOLVER = "kg.resolve.normalise" if _resolve_key is not None else "fallback"


def _fallback_key(label: str, text: str) -> str:
    name = re.sub(r"\s+", " ", text).strip().lower()
    return f"{label.lower()}:{name}"


def entity_key(label: str, text: str) -> str:
    """Canonical id of a mention's entity, e.g. ``dataset:cifar-10``."""
    if _resolve_key is not None:
        return _resolve_key(label, text)
    return _fallback_key(label, text)
