"""Registers the claim components, scorer and corpus reader with spaCy, in one place.

Import this module (or call :func:`register`) before building or loading a pipeline that
contains them; importing the component modules alone registers nothing but the thinc
architecture of the model (``kg.SentenceRoles.v1``, registered where it is defined, as spaCy's
own architectures are).

- ``kg_claims_v1``: :class:`kg.extract.claims_tagger.ClaimTagger`, trained; needs sentences.
- ``kg_claim_kinds_v1``: :class:`kg.extract.claims.ClaimKinds`, rules; after ``kg_claims_v1``.
- scorer ``kg.claims_scorer.v1`` and reader ``kg.CSAbstructCorpus.v1`` for training.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.util import registry

import kg.extract.claims_model  # noqa: F401  (registers kg.SentenceRoles.v1)
from kg.extract.claims import make_claim_kinds
from kg.extract.claims_corpus import make_csabstruct_reader
from kg.extract.claims_tagger import DEFAULT_MODEL, LABELS, make_claim_tagger, make_claims_scorer


def register() -> None:
    """Register the factories (idempotent: re-registering the same function is harmless)."""
    if "kg_claims_v1" not in Language.factories:
        Language.factory(
            "kg_claims_v1",
            assigns=["doc.spans"],
            requires=["token.is_sent_start"],
            default_config={
                "model": DEFAULT_MODEL,
                "labels": list(LABELS),
                "threshold": 0.5,
                "scorer": {"@scorers": "kg.claims_scorer.v1"},
            },
            default_score_weights={"claims_f": 1.0, "claims_p": 0.0, "claims_r": 0.0, "roles_acc": 0.0},
        )(make_claim_tagger)
    if "kg_claim_kinds_v1" not in Language.factories:
        Language.factory("kg_claim_kinds_v1", assigns=["doc.spans"])(make_claim_kinds)
    registry.scorers.register("kg.claims_scorer.v1", func=make_claims_scorer)
    registry.readers.register("kg.CSAbstructCorpus.v1", func=make_csabstruct_reader)


register()
