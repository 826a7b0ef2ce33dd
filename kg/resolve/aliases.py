"""User alias files: corrections to entity resolution, applied by ``kg build --aliases FILE``.

Format: one statement per line; ``#`` starts a comment; blank lines are ignored. A statement
is a label, a colon, and two or more names joined by ``=`` (same entity) or ``!=`` (different
entities)::

    # ImageNet-1k is what everyone means by ImageNet
    dataset: ImageNet-1k = ImageNet = ILSVRC-2012
    method: DINO != DINOv2
    Method: Fast R-CNN != Fast-RCNN

The label is a node label or its id prefix, in any case (``Dataset``, ``dataset``). Names are
surface forms; they are normalised like mentions, so ``ImageNet`` also covers ``imagenet`` and
``the ImageNet dataset``. ``A != B != C`` keeps every pair apart. A file that says two names
are both the same and different, names a generic phrase, or separates two names that normalise
to the same key raises :class:`~kg.errors.InputError` with the file and line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Iterable

from kg.errors import InputError
from kg.graph.schema import ENTITY_LABELS, ID_PREFIX
from kg.resolve.normalise import entity_key

_LABELS = {label.lower(): label for label in ENTITY_LABELS} | {
    ID_PREFIX[label]: label for label in ENTITY_LABELS
}
_STATEMENT = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class AliasRule:
    """One pair from an alias file: two entity keys, same or different, and where it was said."""

    a: str
    b: str
    same: bool
    source: str
    line: int


@dataclass
class AliasTable:
    """The same-as and not-same-as pairs of an alias file, as entity keys."""

    same: list[AliasRule] = field(default_factory=list)
    different: list[AliasRule] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "AliasTable":
        """Read an alias file; raises InputError naming the file (and line) when it is bad."""
        try:
            with open(path, encoding="utf-8") as fh:
                return cls.from_lines(fh, source=str(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"cannot read alias file: {exc}") from None

    @classmethod
    def from_lines(cls, lines: Iterable[str], source: str = "<aliases>") -> "AliasTable":
        """Parse alias statements (see the module docstring)."""
        table = cls()
        for number, raw in enumerate(lines, start=1):
            text = raw.split("#", 1)[0].strip()
            if text:
                table._parse(text, source, number)
        table._check(source)
        return table

    def _parse(self, text: str, source: str, line: int) -> None:
        m = _STATEMENT.match(text)
        if not m:
            raise InputError(source, f"expected 'label: name = name' or 'label: name != name', got {text!r}", line)
        label = _LABELS.get(m.group(1).lower())
        if label is None:
            raise InputError(
                source, f"unknown label {m.group(1)!r} (one of {', '.join(ENTITY_LABELS)})", line
            )
        body = m.group(2)
        has_diff = "!=" in body
        has_same = "=" in body.replace("!=", "")
        if has_diff == has_same:
            raise InputError(source, "a line needs either '=' (same) or '!=' (different), not both or neither", line)
        names = [n.strip() for n in body.split("!=" if has_diff else "=")]
        if len(names) < 2 or any(not n for n in names):
            raise InputError(source, "an empty name on one side of the operator", line)
        keys = []
        for name in names:
            key = entity_key(label, name)
            if not key:
                raise InputError(source, f"{name!r} is a generic phrase, not a {label} name", line)
            keys.append(key)
        if has_diff:
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    if a == b:
                        raise InputError(
                            source, f"the names normalise to the same key {a!r}; they cannot be told apart", line
                        )
                    self.different.append(AliasRule(a, b, False, source, line))
        else:
            for b in keys[1:]:
                if b != keys[0]:
                    self.same.append(AliasRule(keys[0], b, True, source, line))

    def _check(self, source: str) -> None:
        """A not-same-as pair that the same-as lines join (directly or through a chain) is a
        contradiction in the file."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                x = parent[x] = parent.get(parent[x], parent[x])
            return x

        for rule in self.same:
            parent[find(rule.a)] = find(rule.b)
        for rule in self.different:
            if find(rule.a) == find(rule.b):
                raise InputError(
                    rule.source, f"{rule.a} and {rule.b} are also declared the same", rule.line
                )

    def __len__(self) -> int:
        return len(self.same) + len(self.different)
