"""Typed records that flow between the stages: read → extract → resolve → build → write.

Every stage is a function over an iterator of these records. They are plain dataclasses so
that they pickle (multiprocessing, Spark) and convert to JSON field by field (`Extraction.to_json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, Literal

EntityLabel = Literal["Method", "Dataset", "Task", "Metric"]
ENTITY_LABELS: tuple[str, ...] = ("Method", "Dataset", "Task", "Metric")
Field = Literal["title", "abstract"]


@dataclass
class Paper:
    """One paper as read from a source: identity, text and whatever metadata the source had.

    `sources` lists every file (and line) the paper was read from; when the same paper is read
    twice the records are merged with :meth:`merge` and the list grows.
    """

    id: str
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def merge(self, other: "Paper") -> None:
        """Fold another record of the same paper into this one (longest text wins, lists union)."""
        if len(other.title) > len(self.title):
            self.title = other.title
        if len(other.abstract) > len(self.abstract):
            self.abstract = other.abstract
        for attr in ("authors", "categories", "sources"):
            mine = getattr(self, attr)
            mine.extend(x for x in getattr(other, attr) if x not in mine)
        self.published = self.published or other.published
        self.url = self.url or other.url
        for k, v in other.meta.items():
            self.meta.setdefault(k, v)


@dataclass
class Mention:
    """A Method, Dataset, Task or Metric mention, with offsets into `title` or `abstract`.

    `key` is the canonical entity id (``method:fedhyper``); the extractor fills a first key
    from the surface form and the resolve stage may replace it with a corpus-wide one.
    `role` is ``proposed`` (the paper introduces it) or ``used``.
    """

    label: str
    text: str
    field: str
    start: int
    end: int
    key: str = ""
    role: str = "used"
    confidence: float = 1.0
    sentence: int = 0


@dataclass
class Claim:
    """A sentence of the abstract that states a finding or result."""

    text: str
    field: str
    start: int
    end: int
    kind: str  # comparative | quantitative | qualitative
    about: list[str] = field(default_factory=list)
    confidence: float = 1.0
    sentence: int = 0


@dataclass
class Comparison:
    """An OUTPERFORMS fact taken from a comparative claim (entity keys; dataset/metric optional)."""

    method: str
    baseline: str
    claim: int  # index into Extraction.claims
    dataset: str | None = None
    metric: str | None = None
    confidence: float = 1.0


@dataclass
class CodeLink:
    """A code repository linked from the abstract."""

    url: str
    host: str
    owner: str
    name: str
    field: str = "abstract"
    start: int = 0
    end: int = 0
    sentence: int = 0


@dataclass
class Extraction:
    """Everything the extractor found in one paper. Serialises to the extraction JSONL."""

    paper: Paper
    entities: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    code: list[CodeLink] = field(default_factory=list)
    version: str = ""

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md extraction record: paper id, text, entities and claims (no metadata)."""
        return {
            "id": self.paper.id,
            "title": self.paper.title,
            "abstract": self.paper.abstract,
            "entities": [
                {k: v for k, v in _flat(m).items() if k != "sentence"} | {"sentence": m.sentence}
                for m in self.entities
            ],
            "claims": [_flat(c) for c in self.claims],
            "outperforms": [_flat(c) for c in self.comparisons],
            "code": [_flat(c) for c in self.code],
            "version": self.version,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> "Extraction":
        """Inverse of :meth:`to_json` (metadata other than title/abstract is not kept there)."""
        paper = Paper(id=obj["id"], title=obj.get("title", ""), abstract=obj.get("abstract", ""))
        return cls(
            paper=paper,
            entities=[Mention(**e) for e in obj.get("entities", [])],
            claims=[Claim(**c) for c in obj.get("claims", [])],
            comparisons=[Comparison(**c) for c in obj.get("outperforms", [])],
            code=[CodeLink(**c) for c in obj.get("code", [])],
            version=obj.get("version", ""),
        )


@dataclass
class Skipped:
    """A record that was not used, and why: reported in the run summary, never dropped silently."""

    source: str  # "file:line" or "file"
    reason: str


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _flat(record: Any) -> dict[str, Any]:
    """``asdict`` for the flat records of an extraction (fields hold strings, numbers and lists
    of strings), without its recursive deep copy: the dict is serialised right away, and the
    copy was a tenth of `kg extract`'s time outside the pipeline."""
    return {name: getattr(record, name) for name in _field_names(type(record))}
