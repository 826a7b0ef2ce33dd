"""CSV output: a folder that ``neo4j-admin database import full`` loads into an empty database.

Layout of the folder::

    nodes/Paper.csv  nodes/Method.csv  …        one file per label
    relationships/PROPOSES.csv  …              one file per relationship type, except
    relationships/ABOUT-Claim-Method.csv  …    types whose end (or start) label varies:
                                               one file per (type, start label, end label)
    import.sh                                  the exact import command for these files

Headers follow the import tool's rules. Every label has its own ID space, so a node file
starts ``id:ID(Paper),:LABEL`` and a relationship file ``:START_ID(Paper),:END_ID(Method),:TYPE``;
the ``id`` property keeps the graph id. A relationship whose end label varies (``ABOUT`` points
at Method, Dataset, Task or Metric) cannot name one ID space for its end, hence one file per
label pair. Property columns are typed from the values they hold: ``int`` (``long`` past 32
bits), ``double`` (never ``float``: the importer reads ``float`` as 32 bits, which would turn
0.93 into 0.930000007), ``boolean``, ``string``, and arrays ``string[]``, ``long[]``,
``double[]``, ``boolean[]`` for lists.

What survives, and how:

- None is an empty unquoted field, which the importer reads as "no property"; an empty string
  is written ``""`` and stays an empty string.
- Lists are arrays joined by the array delimiter: ``;`` unless some element contains it, then the
  first of ``|``, ``^``, ``~`` and U+001F that no element contains; ``import.sh`` passes it. None
  elements are dropped. Empty lists are empty fields (the importer cannot tell them from null).
- A column whose values mix types (strings and numbers, lists of mixed elements, dicts) is a
  ``string`` column holding JSON text for every value that is not already a string.
- Every string is quoted, quotes are doubled (RFC 4180; the importer's default). Fields with a
  line break need ``--multiline-fields=true``, which ``import.sh`` adds only when a file has one.
- Edge `label` becomes ``:TYPE``; node `labels` becomes ``:LABEL``; node `id` becomes the ID column.

The folder is written beside its target and renamed into place; an existing folder is replaced
only if it holds an ``import.sh`` written by this module (an earlier export), never otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import InputError
from kg.graph import schema

ARRAY_DELIMITERS = (";", "|", "^", "~", "\x1f")
MARKER = "# written by kg export --format csv"
_INT32 = range(-(2**31), 2**31)
_SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class CsvExport:
    """What :func:`write_csv` wrote: files per label / type, and the import command."""

    folder: Path
    node_files: dict[str, Path] = field(default_factory=dict)
    relationship_files: dict[tuple[str, str, str], Path] = field(default_factory=dict)
    array_delimiter: str = ";"
    multiline: bool = False
    command: list[str] = field(default_factory=list)


# -- column typing ------------------------------------------------------------------------


def _scalar_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int" if value in _INT32 else "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    return "other"


def _unify(kinds: set[str]) -> str:
    """One import type for a set of scalar kinds, or "json" when they do not mix."""
    if not kinds:
        return "string"
    if len(kinds) == 1:
        kind = kinds.pop()
        return "json" if kind == "other" else kind
    if kinds <= {"int", "long"}:
        return "long"
    if kinds <= {"int", "long", "double"}:
        return "double"
    return "json"


def column_type(values: list[Any]) -> str:
    """The import type of a column (``int``, ``double``, ``string[]`` …) from its values.

    ``"json"`` means a string column of JSON text (mixed types). None values do not count.
    """
    present = [v for v in values if v is not None]
    if not present:
        return "string"
    if all(isinstance(v, (list, tuple, set, frozenset)) for v in present):
        items = [x for v in present for x in v if x is not None]
        if any(isinstance(x, (list, tuple, set, frozenset, dict)) for x in items):
            return "json"
        element = _unify({_scalar_kind(x) for x in items})
        if element == "json":
            return "json"
        return ("long" if element == "int" else element) + "[]"
    if any(isinstance(v, (list, tuple, set, frozenset, dict)) for v in present):
        return "json"
    return _unify({_scalar_kind(v) for v in present})


def _json_text(value: Any) -> str:
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=repr)
    return json.dumps(value, ensure_ascii=False, default=str)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _number(value: Any, kind: str) -> str:
    if kind == "double":
        value = float(value)
        # The importer parses Java double syntax: NaN and Infinity, not nan/inf.
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(int(value))


def encode_cell(value: Any, kind: str, array_delimiter: str) -> str:
    """One CSV field for `value` in a column of import type `kind` (see :func:`column_type`)."""
    if value is None:
        return ""
    if kind == "json":
        return _quote(value if isinstance(value, str) else _json_text(value))
    if kind.endswith("[]"):
        element = kind[:-2]
        items = [x for x in value if x is not None]
        if not items:
            return ""
        if element == "string":
            parts = [str(x) for x in items]
        elif element == "boolean":
            parts = ["true" if x else "false" for x in items]
        else:
            parts = [_number(x, element) for x in items]
        return _quote(array_delimiter.join(parts))
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("int", "long", "double"):
        return _number(value, kind)
    return _quote(str(value))


def _array_strings(values: list[Any]) -> list[str]:
    return [str(x) for v in values if isinstance(v, (list, tuple, set, frozenset)) for x in v if x is not None]


def choose_array_delimiter(columns: list[tuple[str, list[Any]]]) -> str:
    """The first delimiter of :data:`ARRAY_DELIMITERS` that no array element contains."""
    elements = [s for kind, values in columns if kind.endswith("[]") for s in _array_strings(values)]
    for delimiter in ARRAY_DELIMITERS:
        if not any(delimiter in s for s in elements):
            return delimiter
    raise InputError("csv", "every array delimiter candidate occurs inside some list element")


# -- grouping -----------------------------------------------------------------------------


def _labels(attrs: dict) -> list[str]:
    raw = attrs.get("labels") or ""
    parts = raw if isinstance(raw, (list, tuple)) else str(raw).split(":")
    return [str(p).lstrip(":") for p in parts if p and str(p).lstrip(":")] or ["Node"]


def _rel_type(key: Any, attrs: dict) -> str:
    return str(attrs.get("label") or str(key).split(":", 1)[0])


def _check_name(kind: str, name: str) -> str:
    # Names end up in headers, file names and the shell command: keep them plain.
    if not _SAFE_NAME.match(name):
        raise InputError("csv", f"{kind} {name!r} cannot be written to a neo4j-admin CSV header")
    return name


def relationship_file_name(rel: str, start: str, end: str) -> str:
    """``PROPOSES.csv`` for a type with one label pair in the schema, else ``ABOUT-Claim-Method.csv``."""
    starts, ends = schema.RELATIONSHIPS.get(rel, ((), ()))
    if len(starts) == 1 and len(ends) == 1 and (start, end) == (starts[0], ends[0]):
        return f"{rel}.csv"
    return f"{rel}-{start}-{end}.csv"


@dataclass
class _Table:
    header: list[str]
    rows: list[list[str]]
    multiline: bool


def _property_columns(records: list[dict[str, Any]], skip: set[str]) -> list[tuple[str, str, list[Any]]]:
    keys: dict[str, None] = {}
    for record in records:
        for key in record:
            if key not in skip:
                keys[key] = None
    columns = []
    for key in keys:
        _check_name("property", key)
        values = [r.get(key) for r in records]
        columns.append((key, column_type(values), values))
    return columns


def _header_field(name: str, kind: str) -> str:
    if kind in ("string", "json"):
        return name
    return f"{name}:{kind}"


def _table(fixed: list[tuple[str, list[str]]], columns: list[tuple[str, str, list[Any]]],
           delimiter: str) -> _Table:
    header = [name for name, _ in fixed] + [_header_field(name, kind) for name, kind, _ in columns]
    n = len(fixed[0][1])
    rows = []
    multiline = False
    for i in range(n):
        row = [cells[i] for _, cells in fixed]
        row += [encode_cell(values[i], kind, delimiter) for _, kind, values in columns]
        multiline = multiline or any("\n" in c or "\r" in c for c in row)
        rows.append(row)
    return _Table(header, rows, multiline)


def _write_table(path: Path, table: _Table) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        # Header names are plain (checked), so they need no quoting.
        fh.write(",".join(table.header) + "\n")
        for row in table.rows:
            fh.write(",".join(row) + "\n")


# -- the command --------------------------------------------------------------------------


def import_command(export: CsvExport, database: str = "neo4j", admin: str = "bin/neo4j-admin") -> list[str]:
    """``neo4j-admin database import full`` arguments for the files of `export` (paths relative
    to the export folder). The database name comes first: since Neo4j 5.19 a trailing one is
    read as one more file of the last ``--relationships``."""
    args = [admin, "database", "import", "full", database]
    for label, path in export.node_files.items():
        args.append(f"--nodes={label}={path.relative_to(export.folder)}")
    for (rel, _, _), path in export.relationship_files.items():
        args.append(f"--relationships={rel}={path.relative_to(export.folder)}")
    if export.array_delimiter != ";":
        code = ord(export.array_delimiter)
        args.append(f"--array-delimiter=U+{code:04X}")
    if export.multiline:
        args.append("--multiline-fields=true")
    return args


def _script(export: CsvExport) -> str:
    # The admin path and the database are shell variables; every other argument is quoted.
    args = import_command(export)[5:]
    head = '"${NEO4J_HOME}/bin/neo4j-admin" database import full "${DATABASE}"'
    body = " \\\n  ".join([head] + [shlex.quote(a) for a in args])
    return (
        "#!/usr/bin/env bash\n"
        f"{MARKER}\n"
        "# Bulk-import this folder into an empty (or not yet created) Neo4j 5 database:\n"
        "#   NEO4J_HOME=/path/to/neo4j bash import.sh [database]\n"
        "# Stop the database first (or import into a new name, then CREATE DATABASE it).\n"
        "set -euo pipefail\n"
        'NEO4J_HOME="$(cd "${NEO4J_HOME:?set NEO4J_HOME to the Neo4j installation}" && pwd)"\n'
        'cd "$(dirname "$0")"\n'
        'DATABASE="${1:-neo4j}"\n'
        f"{body}\n"
    )


# -- writing ------------------------------------------------------------------------------


def _prepare_target(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(str(folder), "exists and is not a folder (csv writes a folder)")
    if folder.is_dir() and any(folder.iterdir()):
        script = folder / "import.sh"
        if not (script.is_file() and MARKER in script.read_text(encoding="utf-8", errors="replace")):
            raise InputError(str(folder), "folder is not empty and was not written by kg export; "
                                          "choose a new or empty folder")


def write_csv(graph: nx.MultiDiGraph, folder: str | os.PathLike) -> CsvExport:
    """Write `graph` as a neo4j-admin import folder at `folder` (see the module docstring)."""
    folder = Path(folder)
    _prepare_target(folder)

    nodes_by_label: dict[str, list[tuple[Any, dict]]] = defaultdict(list)
    primary: dict[Any, str] = {}
    for node, attrs in graph.nodes(data=True):
        labels = _labels(attrs)
        for label in labels:
            _check_name("label", label)
        primary[node] = labels[0]
        nodes_by_label[labels[0]].append((node, attrs))

    rels_by_group: dict[tuple[str, str, str], list[tuple[Any, Any, dict]]] = defaultdict(list)
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        rel = _check_name("relationship type", _rel_type(key, attrs))
        rels_by_group[(rel, primary[u], primary[v])].append((u, v, attrs))

    node_columns = {label: _property_columns([a for _, a in items], {"labels", "id"})
                    for label, items in nodes_by_label.items()}
    rel_columns = {group: _property_columns([a for _, _, a in items], {"label"})
                   for group, items in rels_by_group.items()}
    all_columns = [(kind, values) for cols in (*node_columns.values(), *rel_columns.values())
                   for _, kind, values in cols]
    delimiter = choose_array_delimiter(all_columns)

    tables: dict[Path, _Table] = {}
    export = CsvExport(folder=folder, array_delimiter=delimiter)
    order = {label: i for i, label in enumerate(schema.NODE_LABELS)}
    for label, items in sorted(nodes_by_label.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
        ids = [_quote(str(node)) for node, _ in items]
        label_cells = [_quote(delimiter.join(_labels(attrs))) for _, attrs in items]
        path = folder / "nodes" / f"{label}.csv"
        tables[path] = _table([(f"id:ID({label})", ids), (":LABEL", label_cells)],
                              node_columns[label], delimiter)
        export.node_files[label] = path
    for group, items in sorted(rels_by_group.items()):
        rel, start, end = group
        fixed = [
            (f":START_ID({start})", [_quote(str(u)) for u, _, _ in items]),
            (f":END_ID({end})", [_quote(str(v)) for _, v, _ in items]),
            (":TYPE", [_quote(rel)] * len(items)),
        ]
        path = folder / "relationships" / relationship_file_name(rel, start, end)
        tables[path] = _table(fixed, rel_columns[group], delimiter)
        export.relationship_files[group] = path
    export.multiline = any(t.multiline for t in tables.values())
    export.command = import_command(export)

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    umask = os.umask(0)
    os.umask(umask)
    try:
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the export is an ordinary folder
        (tmp / "nodes").mkdir()
        (tmp / "relationships").mkdir()
        for path, table in tables.items():
            _write_table(tmp / path.relative_to(folder), table)
        script = tmp / "import.sh"
        script.write_text(_script(export), encoding="utf-8")
        script.chmod(0o755)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return export
