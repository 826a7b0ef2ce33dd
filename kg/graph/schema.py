"""The graph schema of DESIGN.md as constants. Cypher files, writers, notebooks and tests use
these names; change one only together with all of them."""

from __future__ import annotations

PAPER = "Paper"
METHOD = "Method"
DATASET = "Dataset"
TASK = "Task"
METRIC = "Metric"
CLAIM = "Claim"
REPOSITORY = "Repository"
AUTHOR = "Author"

ENTITY_LABELS = (METHOD, DATASET, TASK, METRIC)
NODE_LABELS = (PAPER, METHOD, DATASET, TASK, METRIC, CLAIM, REPOSITORY, AUTHOR)

# Relationship type -> (start label(s), end label(s)).
RELATIONSHIPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "PROPOSES": ((PAPER,), (METHOD,)),
    "USES": ((PAPER,), (METHOD,)),
    "INTRODUCES": ((PAPER,), (DATASET,)),
    "EVALUATES_ON": ((PAPER,), (DATASET,)),
    "ADDRESSES": ((PAPER,), (TASK,)),
    "MEASURES": ((PAPER,), (METRIC,)),
    "MAKES": ((PAPER,), (CLAIM,)),
    "ABOUT": ((CLAIM,), ENTITY_LABELS),
    "OUTPERFORMS": ((METHOD,), (METHOD,)),
    "HAS_CODE": ((PAPER,), (REPOSITORY,)),
    "WROTE": ((AUTHOR,), (PAPER,)),
}
REL_TYPES = tuple(RELATIONSHIPS)

# Paper -> entity relationship for a mention of this label and role.
MENTION_REL = {
    (METHOD, "proposed"): "PROPOSES",
    (METHOD, "used"): "USES",
    (DATASET, "proposed"): "INTRODUCES",
    (DATASET, "used"): "EVALUATES_ON",
    (TASK, "proposed"): "ADDRESSES",
    (TASK, "used"): "ADDRESSES",
    (METRIC, "proposed"): "MEASURES",
    (METRIC, "used"): "MEASURES",
}

# Id prefixes per label (DESIGN.md): `method:<normalised name>` and so on.
ID_PREFIX = {
    PAPER: "paper",
    METHOD: "method",
    DATASET: "dataset",
    TASK: "task",
    METRIC: "metric",
    CLAIM: "claim",
    REPOSITORY: "repo",
    AUTHOR: "author",
}
