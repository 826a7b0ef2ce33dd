"""Every spaCy factory of paperkg, registered here and only here, under versioned names.

Importing this module registers the factories and the Span extensions they use; a pipeline
config then refers to them by name (``factory = "kg_acronyms_v1"``: spaCy forbids dots in
factory names), so a trained pipeline on disk pins the exact rule versions it was built with. Change behaviour → new version name.
``spacy train … --code kg/extract/factories.py`` makes them available to the spaCy CLI.
"""

from __future__ import annotations

from spacy.language import Language

from kg.extract.acronyms import AcronymDetector
from kg.extract.candidates import register_extensions
from kg.extract.code_links import CodeLinkFinder
from kg.extract.coined_names import CoinedNames
from kg.extract.fallback_claims import CueClaims
from kg.extract.gazetteer import METRICS, TASKS
from kg.extract.merge import Merger
from kg.extract.roles import RoleTagger
from kg.extract.terms import DatasetFinder, Gazetteer
from kg.extract.tidy import Tidy
from kg.extract.title_method import TitleMethod

import kg.extract.claims_factories  # noqa: F401  (registers kg_claims_v1, kg_claim_kinds_v1)
import kg.extract.vector_tok2vec  # noqa: F401  (kg.VectorsBeside.v1, kg.tok2vec_from_pipeline.v1)

register_extensions()

#: Default weights of the merge: how far each source is trusted when spans overlap.
DEFAULT_WEIGHTS = {
    "title": 1.0,
    "datasets": 1.0,
    "kg.metrics": 1.0,
    "kg.tasks": 1.0,
    "acronym": 1.0,
    "model": 1.0,
    "coined": 1.0,
}


@Language.factory("kg_acronyms_v1", default_config={"default_label": "Method", "confidence": 0.8})
def make_acronyms(nlp: Language, name: str, default_label: str | None, confidence: float):
    return AcronymDetector(name, default_label=default_label, confidence=confidence)


@Language.factory("kg_title_method_v1", default_config={"confidence": 0.95})
def make_title_method(nlp: Language, name: str, confidence: float):
    return TitleMethod(name, confidence=confidence)


@Language.factory("kg_datasets_v1", default_config={"confidence": 0.9, "with_noun": True})
def make_datasets(nlp: Language, name: str, confidence: float, with_noun: bool):
    return DatasetFinder(name, confidence=confidence, with_noun=with_noun)


@Language.factory("kg_metrics_v1", default_config={"confidence": 0.85})
def make_metrics(nlp: Language, name: str, confidence: float):
    return Gazetteer("kg.metrics", label="Metric", terms=METRICS, ignore_case=True,
                     confidence=confidence)


@Language.factory("kg_tasks_v1", default_config={"confidence": 0.85})
def make_tasks(nlp: Language, name: str, confidence: float):
    return Gazetteer("kg.tasks", label="Task", terms=TASKS, ignore_case=True,
                     confidence=confidence)


@Language.factory("kg_coined_names_v1", default_config={"confidence": 0.5})
def make_coined_names(nlp: Language, name: str, confidence: float):
    return CoinedNames(name, confidence=confidence)


@Language.factory("kg_code_links_v1")
def make_code_links(nlp: Language, name: str):
    return CodeLinkFinder(name)


@Language.factory(
    "kg_merge_v1",
    default_config={"weights": DEFAULT_WEIGHTS, "spans_key": None,
                    "model_confidence": {"Method": 0.8, "Dataset": 0.8, "Task": 0.8, "Metric": 0.8},
                    "strip": True, "named_datasets": True, "relabel_datasets": True},
)
def make_merge(nlp: Language, name: str, weights: dict, spans_key: str | None,
               model_confidence: dict, strip: bool, named_datasets: bool, relabel_datasets: bool):
    return Merger(name, weights=weights, spans_key=spans_key, model_confidence=model_confidence,
                  strip=strip, named_datasets=named_datasets, relabel_datasets=relabel_datasets)


@Language.factory(
    "kg_tidy_v1",
    default_config={"balance": True, "drop_non_entities": True, "one_label_per_name": True},
)
def make_tidy(nlp: Language, name: str, balance: bool, drop_non_entities: bool,
              one_label_per_name: bool):
    return Tidy(name, balance=balance, drop_non_entities=drop_non_entities,
                one_label_per_name=one_label_per_name)


@Language.factory("kg_roles_v1")
def make_roles(nlp: Language, name: str):
    return RoleTagger(name)


@Language.factory("kg_cue_claims_v1", default_config={"confidence": 0.5})
def make_cue_claims(nlp: Language, name: str, confidence: float):
    return CueClaims(name, confidence=confidence)
