"""The resolve stage: mentions from all papers → canonical entities (one node per real entity).

* :mod:`kg.resolve.normalise` — :func:`entity_key`, the per-mention key the extractor writes.
* :mod:`kg.resolve.acronyms` — acronym definitions found in titles and abstracts.
* :mod:`kg.resolve.aliases` — user alias files (``same-as`` / ``not-same-as`` lines).
* :mod:`kg.resolve.resolver` — :class:`Resolver` (``add`` / ``finish``) and :class:`Resolution`.
"""

from kg.resolve.aliases import AliasRule, AliasTable
from kg.resolve.normalise import canonical_form, entity_key, is_generic
from kg.resolve.resolver import Entity, Resolution, Resolver, resolve

__all__ = [
    "AliasRule", "AliasTable", "Entity", "Resolution", "Resolver", "canonical_form",
    "entity_key", "is_generic", "resolve",
]
