"""The `cypher/` folder: the schema script and the query library for Neo4j Browser.

A query file is Browser-ready text: `//` header comments (what it answers, its parameters),
`:param name => <Cypher expression>` lines with example values, then one statement. This
module finds the folder (installed package or source checkout), splits scripts into
statements and reads a query file's parts, so the writer and the tests use the files exactly
as a Browser user does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.errors import GraphError

_PARAM = re.compile(r"^:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?)\s*;?\s*$")


def cypher_dir() -> Path:
    """The folder holding `schema.cypher` and the queries.

    Installed: `kg/cypher` inside the package (a link to the top-level `cypher/` in the
    source tree). Source checkout without an install: `<repo>/cypher`.
    """
    candidates = [Path(str(resources.files("kg") / "cypher")), Path(__file__).resolve().parents[2] / "cypher"]
    for path in candidates:
        if (path / "schema.cypher").is_file():
            return path
    raise GraphError(f"cypher/schema.cypher not found (looked in {', '.join(map(str, candidates))})")


def split_statements(text: str) -> list[str]:
    """Split a Cypher script on `;` outside strings and comments; drop comments and blanks."""
    statements: list[str] = []
    current: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            current.append(ch)
            if ch == "\\" and i + 1 < len(text):
                current.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
            current.append(ch)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end == -1 else end
            continue
        elif ch == ";":
            statements.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    statements.append("".join(current))
    return [s.strip() for s in statements if s.strip()]


def schema_statements() -> list[str]:
    """The statements of `cypher/schema.cypher`, in order."""
    return split_statements((cypher_dir() / "schema.cypher").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class QueryFile:
    """One query of the library: its header, its example parameters and its statement."""

    path: Path
    header: str
    params: dict[str, str]  # name -> Cypher expression, as on the `:param` line
    statement: str

    @property
    def name(self) -> str:
        return self.path.stem


def read_query(path: Path) -> QueryFile:
    """Parse a query file: header comment, `:param` lines, one statement."""
    header: list[str] = []
    params: dict[str, str] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith(":param"):
            match = _PARAM.match(stripped)
            if not match:
                raise GraphError(f"{path}: cannot read {stripped!r} (write `:param name => value`)")
            params[match.group(1)] = match.group(2)
        elif stripped.startswith("//") and not body:
            header.append(stripped[2:].strip())
        else:
            body.append(line)
    statements = split_statements("\n".join(body))
    if len(statements) != 1:
        raise GraphError(f"{path}: expected one statement, found {len(statements)}")
    return QueryFile(path, "\n".join(header).strip(), params, statements[0])


def query_files() -> list[QueryFile]:
    """Every query of the library (all `.cypher` files but the schema), sorted by name."""
    return [read_query(p) for p in sorted(cypher_dir().glob("*.cypher")) if p.name != "schema.cypher"]
