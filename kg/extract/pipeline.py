"""Building and loading the spaCy pipelines behind the extractors.

- :func:`rules_pipeline`: ``spacy.blank("en")`` + sentencizer + the rule components; no model.
- :func:`load_pipeline`: the trained pipeline shipped in ``kg/pipelines/paperkg`` (loaded from
  disk; nothing is downloaded).
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import kg.extract.factories  # noqa: F401  (registers the kg.* factories before any load)
from kg.errors import ExtractionError
from kg.extract.ops import fastest_ops

#: The trained pipeline that ships with the package.
SHIPPED = Path(__file__).resolve().parent.parent / "pipelines" / "paperkg"

#: Rule components in pipeline order (before the merge); the trained model goes before them.
RULES = (
    "kg_code_links_v1",
    "kg_title_method_v1",
    "kg_datasets_v1",
    "kg_metrics_v1",
    "kg_tasks_v1",
    "kg_acronyms_v1",  # after the gazetteers: a long form they know keeps their label
    "kg_coined_names_v1",
)
AFTER = ("kg_merge_v1", "kg_tidy_v1", "kg_roles_v1", "kg_cue_claims_v1")


def add_rules(nlp: Language, *, rules: tuple[str, ...] = RULES,
              merge_config: dict | None = None) -> Language:
    """Append the rule components, the merge, the tidy-up, the roles and the fallback claims."""
    if "sentencizer" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    for factory in rules:
        nlp.add_pipe(factory, name=factory[3:-3])
    nlp.add_pipe("kg_merge_v1", name="merge", config=merge_config or {})
    nlp.add_pipe("kg_tidy_v1", name="tidy")
    nlp.add_pipe("kg_roles_v1", name="roles")
    nlp.add_pipe("kg_cue_claims_v1", name="claims")
    return nlp


def rules_pipeline() -> Language:
    """The rules-only pipeline: blank English, sentencizer and the rule components."""
    nlp = spacy.blank("en")
    nlp.meta["name"] = "paperkg_rules"
    nlp.meta["version"] = "0.1.0"
    return add_rules(nlp)


def assemble(model: Language, *, rules: tuple[str, ...] = RULES,
             merge_config: dict | None = None) -> Language:
    """A trained span model (``tok2vec`` + ``ner``) with the rule components around it."""
    return add_rules(model, rules=rules, merge_config=merge_config)


def load_pipeline(path: str | Path = SHIPPED) -> Language:
    """Load a trained paperkg pipeline from disk, its models on the faster matrix product
    here (:mod:`kg.extract.ops`)."""
    path = Path(path)
    if not (path / "config.cfg").exists():
        raise ExtractionError(
            f"no trained pipeline at {path}: run scripts/train_pipeline.sh to build it, "
            "or use the rules extractor (load_extractor('rules'))"
        )
    try:
        with fastest_ops():
            return spacy.load(path)
    except (OSError, ValueError) as exc:
        raise ExtractionError(f"cannot load the pipeline at {path}: {exc}") from exc
