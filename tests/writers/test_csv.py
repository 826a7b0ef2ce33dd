"""CSV for `neo4j-admin database import full`: checked against the import tool's documented rules.

The validator below encodes the rules of the Neo4j 5 operations manual ("Import" → "CSV header
format", "Using ID spaces", "Property data types", and the `full` command's options):

- a header field is ``<name>:<field_type>`` or a bare ``<name>`` (a string property);
- node files have one ``:ID`` column (here with an ID space, ``id:ID(Paper)``) and may have
  ``:LABEL``; relationship files have ``:START_ID``, ``:END_ID`` (with ID spaces) and ``:TYPE``;
- property types are int, long, float, double, boolean, byte, short, char, string, point, date,
  localtime, time, localdatetime, datetime, duration, each optionally ``[]`` for an array;
- arrays split on the array delimiter (``;`` unless ``--array-delimiter`` says otherwise),
  labels in ``:LABEL`` too;
- a boolean is true only for the exact text ``true``;
- quotes are doubled inside quoted fields (RFC 4180), not backslash-escaped;
- a field spanning lines needs ``--multiline-fields=true``;
- IDs are unique within an ID space and every START_ID/END_ID names a node of its ID space;
- the database name comes before the options (since 5.19).
"""

import csv
import json
import math
import re
import subprocess
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.writers.csv import column_type, write_csv
from tests.export.graphs import awkward_graph, sample_graph

TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point",
         "date", "localtime", "time", "localdatetime", "datetime", "duration"}
FIELD = re.compile(r"^(?P<name>[^:]*)(?::(?P<kind>[A-Za-z_]+)(?P<array>\[\])?(?:\((?P<space>[^)]+)\))?)?$")
SPECIAL = {"ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"}


def parse_header(fields):
    """[(name, kind, is_array, id_space)] for a header, raising on anything the tool rejects."""
    out = []
    for raw in fields:
        m = FIELD.match(raw)
        assert m, f"bad header field {raw!r}"
        name, kind, array, space = m["name"], m["kind"] or "string", bool(m["array"]), m["space"]
        if kind in SPECIAL:
            assert not array, raw
            assert space is None or kind in {"ID", "START_ID", "END_ID"}, raw
            if kind in {"LABEL", "TYPE", "START_ID", "END_ID", "IGNORE"}:
                assert name == "", f"{raw}: the name part of {kind} is ignored, so it should be empty"
        else:
            assert kind in TYPES, f"{raw}: unknown type {kind!r}"
            assert name, f"{raw}: a property needs a name"
            assert space is None, raw
        out.append((name, kind, array, space))
    names = [n for n, k, _, _ in out if k not in SPECIAL]
    assert len(names) == len(set(names)), f"duplicate property columns in {fields}"
    return out


def parse_value(text, kind, array, delimiter):
    if array:
        return [parse_value(part, kind, False, delimiter) for part in text.split(delimiter)]
    if kind == "int":
        value = int(text)
        assert -(2**31) <= value < 2**31, f"{text} overflows int"
        return value
    if kind == "long":
        value = int(text)
        assert -(2**63) <= value < 2**63
        return value
    if kind in ("double", "float"):
        assert re.fullmatch(r"-?(\d+(\.\d*)?([eE][-+]?\d+)?|NaN|Infinity)", text), f"{text!r} is not a Java double"
        return float(text.replace("Infinity", "inf"))
    if kind == "boolean":
        assert text in ("true", "false"), f"{text!r}: only 'true' is true, write 'false' for false"
        return text == "true"
    return text


def read_rows(path):
    """Rows as the import tool splits them: RFC 4180, doubled quotes, quoted line breaks.

    Returns (header, rows) where a cell is None for an empty unquoted field (no property).
    """
    text = path.read_text(encoding="utf-8")
    assert "\\\"" not in text.replace('\\""', ""), "backslash-escaped quote: the tool would not read it"
    header_line, _, body = text.partition("\n")
    rows = []
    # csv cannot tell "" from an empty field; mark empty unquoted fields first.
    for row in csv.reader(_mark_empty(body).splitlines(keepends=True) if body else [], strict=True):
        rows.append([None if c == "\x00" else c for c in row])
    return header_line.split(","), rows


def _mark_empty(body):
    out, in_quotes, prev = [], False, ","
    for ch in body:
        if ch == '"':
            in_quotes = not in_quotes
        if not in_quotes and ch in ",\n" and prev in ",\n":
            out.append("\x00")
        out.append(ch)
        prev = ch if not (ch == '"' and not in_quotes and prev == '"') else "x"
    return "".join(out)


def validate(folder: Path):
    """Check a written folder against the rules; return the graph it describes."""
    script = (folder / "import.sh").read_text()
    delimiter = ";"
    m = re.search(r"--array-delimiter=U\+([0-9A-F]{4})", script)
    if m:
        delimiter = chr(int(m[1], 16))
    multiline = "--multiline-fields=true" in script
    command = script[script.index('"${NEO4J_HOME}/bin/neo4j-admin"'):]
    assert re.match(r'"\$\{NEO4J_HOME\}/bin/neo4j-admin" database import full "\$\{DATABASE\}" \\\n  --', command), \
        "the database name must come right after `full`, before the file options"
    listed = set(re.findall(r"--(?:nodes|relationships)=[A-Za-z_]+=(\S+)", script))
    assert listed == {str(p.relative_to(folder)) for p in folder.rglob("*.csv")}

    ids: dict[str, dict[str, dict]] = {}
    saw_newline = False
    for path in sorted((folder / "nodes").glob("*.csv")):
        header, rows = read_rows(path)
        fields = parse_header(header)
        id_cols = [i for i, f in enumerate(fields) if f[1] == "ID"]
        assert len(id_cols) == 1, f"{path.name}: one ID column"
        space = fields[id_cols[0]][3]
        assert space == path.stem, f"{path.name}: ID space {space}"
        assert not any(f[1] in {"START_ID", "END_ID", "TYPE"} for f in fields)
        nodes = ids.setdefault(space, {})
        for row in rows:
            assert len(row) == len(fields), f"{path.name}: row has {len(row)} fields, header {len(fields)}"
            node, props = None, {}
            for cell, (name, kind, array, _) in zip(row, fields):
                saw_newline |= cell is not None and ("\n" in cell or "\r" in cell)
                if kind == "ID":
                    node = cell
                    props[name] = cell
                elif kind == "LABEL":
                    props[":LABEL"] = cell.split(delimiter)
                elif cell is not None:
                    props[name] = parse_value(cell, kind, array, delimiter)
            assert node and node not in nodes, f"{path.name}: duplicate or empty id {node!r}"
            nodes[node] = props
    edges = []
    for path in sorted((folder / "relationships").glob("*.csv")):
        header, rows = read_rows(path)
        fields = parse_header(header)
        kinds = [f[1] for f in fields]
        assert kinds.count("START_ID") == kinds.count("END_ID") == kinds.count("TYPE") == 1, path.name
        assert "ID" not in kinds and "LABEL" not in kinds
        for row in rows:
            assert len(row) == len(fields), path.name
            start = end = rel = None
            props = {}
            for cell, (name, kind, array, space) in zip(row, fields):
                saw_newline |= cell is not None and "\n" in cell
                if kind == "START_ID":
                    assert cell in ids[space], f"{path.name}: no {space} node {cell!r}"
                    start = cell
                elif kind == "END_ID":
                    assert cell in ids[space], f"{path.name}: no {space} node {cell!r}"
                    end = cell
                elif kind == "TYPE":
                    rel = cell
                elif cell is not None:
                    props[name] = parse_value(cell, kind, array, delimiter)
            edges.append((start, end, rel, props))
    assert saw_newline <= multiline, "a field spans lines but import.sh lacks --multiline-fields=true"
    return ids, edges


def expected_property(value):
    """What a property value becomes after import (see kg.writers.csv)."""
    if isinstance(value, list):
        items = [v for v in value if v is not None]
        return items or None
    return value


def test_sample_graph_passes_the_rules_and_round_trips(tmp_path):
    g = sample_graph()
    out = tmp_path / "import"
    export = write_csv(g, out)
    ids, edges = validate(out)
    assert set(ids) == {"Paper", "Author", "Method", "Dataset", "Task", "Metric", "Claim", "Repository"}
    assert export.array_delimiter == ";" and not export.multiline
    for node, attrs in g.nodes(data=True):
        label = attrs["labels"].lstrip(":")
        props = dict(ids[label][node])
        assert props.pop(":LABEL") == [label]
        want = {k: expected_property(v) for k, v in attrs.items() if k != "labels"}
        assert props == {k: v for k, v in want.items() if v is not None}, node
    got = sorted(edges, key=repr)
    want = sorted(((u, v, d["label"], {k: x for k, x in d.items() if k != "label"})
                   for u, v, d in g.edges(data=True)), key=repr)
    assert got == want
    about = sorted(p.name for p in (out / "relationships").glob("ABOUT*"))
    assert about == ["ABOUT-Claim-Dataset.csv", "ABOUT-Claim-Method.csv"]
    header = (out / "nodes" / "Method.csv").read_text().splitlines()[0]
    assert header == "id:ID(Method),:LABEL,label,name,aliases:string[],paper_count:int,mention_count:int"
    assert (out / "relationships" / "OUTPERFORMS.csv").read_text().startswith(
        ":START_ID(Method),:END_ID(Method),:TYPE,")


def test_awkward_values(tmp_path):
    g = awkward_graph()
    out = tmp_path / "import"
    export = write_csv(g, out)
    # An alias holds ";", so the arrays use the next candidate, and import.sh says so.
    assert export.array_delimiter == "|"
    assert export.multiline  # the abstract has a line break
    ids, edges = validate(out)
    paper = ids["Paper"]["arxiv:2401.00001"]
    assert paper["abstract"] == g.nodes["arxiv:2401.00001"]["abstract"]
    assert "published" not in paper and "categories" not in paper  # None / empty list: no property
    assert paper["url"] == ""  # an empty string stays one
    assert json.loads(paper["meta"]) == {"venue": "ICML", "pages": [1, 2]}
    assert paper["citations"] == 2**40 and paper["open_access"] is True
    fedhyper = ids["Method"]["method:fedhyper"]
    assert fedhyper["aliases"] == ["FedHyper", "Fed;Hyper", 'Fed, "Hyper"']
    assert math.isnan(fedhyper["score"])
    assert (fedhyper["rank"], ids["Method"]["method:fedavg"]["rank"]) == ("1", "first")
    assert ids["Method"]["method:bert"]["scores"] == [1.0, 2.5]
    assert json.loads(ids["Method"]["method:bert"]["mixed"]) == ["a", 1]
    uses = [p for s, e, r, p in edges if (s, e, r) == ("arxiv:2401.00002", "method:bert", "USES")]
    assert uses == [{**{k: v for k, v in g.edges["arxiv:2401.00002", "method:bert", "USES"].items()
                        if k not in ("label", "note")}}]
    header = (out / "nodes" / "Paper.csv").read_text().splitlines()[0]
    assert "citations:long" in header and "open_access:boolean" in header and ",meta," in header


@pytest.mark.parametrize("values, kind", [
    ([1, 2, None], "int"), ([1, 2**40], "long"), ([1, 2.5], "double"), ([True, False], "boolean"),
    (["a", None], "string"), ([["a"], ["b", "c"]], "string[]"), ([[1], [2]], "long[]"),
    ([[1], [2.5]], "double[]"), ([[True]], "boolean[]"), ([1, "a"], "json"), ([[1, "a"]], "json"),
    ([{"a": 1}], "json"), ([[], None], "string[]"), ([None], "string"), ([True, 1], "json"),
])
def test_column_types(values, kind):
    assert column_type(values) == kind


def test_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="not written by kg export"):
        write_csv(sample_graph(), out)
    assert (out / "notes.txt").read_text() == "keep me"


def test_replaces_its_own_earlier_export(tmp_path):
    out = tmp_path / "import"
    write_csv(sample_graph(), out)
    (out / "nodes" / "Stale.csv").write_text("id:ID(Stale)\n")
    smaller = sample_graph().subgraph(["method:bert", "method:fedavg"]).copy()
    write_csv(smaller, out)
    assert sorted(p.name for p in (out / "nodes").iterdir()) == ["Method.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["import"]  # no temporary folder left behind


def test_import_script_is_valid_bash(tmp_path):
    out = tmp_path / "import"
    write_csv(awkward_graph(), out)
    script = out / "import.sh"
    assert script.stat().st_mode & 0o111
    subprocess.run(["bash", "-n", str(script)], check=True)
    # Without NEO4J_HOME it stops with a message instead of running something else.
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode != 0 and "NEO4J_HOME" in result.stderr


@pytest.mark.parametrize("file, old, new, message", [
    ("nodes/Method.csv", "paper_count:int", "paper_count:integer", "unknown type"),
    ("nodes/Method.csv", "id:ID(Method)", "id:ID(Meth)", "ID space"),
    ("relationships/USES.csv", '"method:bert"', '"method:nope"', "no Method node"),
    ("relationships/USES.csv", ":TYPE,", ":TYPE,:TYPE,", "USES.csv"),
    ("nodes/Paper.csv", '"Grace Hopper"', '"Grace \\"Hopper"', "backslash"),
    ("import.sh", '"${DATABASE}" \\\n', "\\\n", "database name"),
])
def test_the_validator_catches_broken_folders(tmp_path, file, old, new, message):
    out = tmp_path / "import"
    write_csv(sample_graph(), out)
    path = out / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(AssertionError, match=message):
        validate(out)
