"""Papers JSONL (``*.jsonl``): one JSON object per line, as DESIGN.md fixes it, and lines of the
arXiv metadata snapshot (Kaggle's ``arxiv-metadata-oai-snapshot.json``).

Keys read:

- ``id`` (optional): an arXiv id (``2301.12345``, ``arXiv:hep-th/9901001v2``) becomes
  ``arxiv:<id>``; any other id is kept as it is (``scierc:J87-1003``); without one an arXiv
  ``url`` gives ``arxiv:<id>``, else the id is the hash of the title (:mod:`kg.readers.ids`).
- ``title``, ``abstract``: strings, one of them may be empty, not both. Kept exactly as written
  (gold files carry character offsets into them), except in snapshot records, whose hard-wrapped
  text is joined into single-spaced lines.
- ``authors``: a list of names (or of ``{"name": …}``), or a string ``"A, B and C"``; the
  snapshot's ``authors_parsed`` (``[[last, first, suffix], …]``) is preferred when present.
- ``published``: any string; for the snapshot the date of version 1 (``versions``), else
  ``update_date``. ``url``: a string; arXiv papers without one get their abs page.
- ``categories``: a list, or a space-separated string (``"cs.LG stat.ML"``).

Every other key is kept in ``Paper.meta`` (never an error). A line that is not JSON, a JSON
value that is not an object, a title/abstract/id of the wrong type and a record with neither
title nor abstract are bad records: :meth:`ReadContext.error` raises or skips them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

from kg.errors import InputError
from kg.models import Paper
from kg.readers.base import ReadContext
from kg.readers.ids import ARXIV_PREFIX, paper_id
from kg.readers.sources import Input, decode

NAME = "jsonl"
SUFFIXES = (".jsonl", ".ndjson")

# Keys of the arXiv snapshot that no papers-JSONL file has: they switch on its conventions.
SNAPSHOT_KEYS = frozenset({"authors_parsed", "update_date", "versions", "submitter"})
_READ_KEYS = frozenset({"id", "title", "abstract", "authors", "authors_parsed", "published",
                        "url", "categories"})
_AUTHOR_SPLIT = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+|\s*&\s*")

_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
               float: "number", type(None): "null"}


def read(source: Input, context: ReadContext) -> Iterator[Paper]:
    """Papers of a JSONL file, one per non-blank line; bad lines go to `context.error`."""
    for number, raw in source.lines():
        if not raw.strip():
            continue
        try:
            paper = paper_from_record(_parse(raw, source.name, number), source.name, number)
        except InputError as exc:
            context.error(exc)
            continue
        yield paper


def _parse(raw: bytes, source: str, line: int) -> Any:
    text = decode(raw, source, line)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"malformed JSON: {exc.msg} (column {exc.colno})", line) from exc


def paper_from_record(record: Any, source: str, line: int) -> Paper:
    """The :class:`Paper` of one decoded JSONL record; :class:`InputError` when it is not one."""
    if not isinstance(record, dict):
        kind = _JSON_TYPES.get(type(record), type(record).__name__)
        raise InputError(source, f"JSON {kind} where a paper object was expected", line)
    snapshot = not SNAPSHOT_KEYS.isdisjoint(record)
    title = _text(record, "title", source, line, join_lines=snapshot)
    abstract = _text(record, "abstract", source, line, join_lines=snapshot)
    if not title.strip() and not abstract.strip():
        raise InputError(source, "record has neither a title nor an abstract", line)
    own_id = _own_id(record, source, line)
    url = record.get("url") if isinstance(record.get("url"), str) else None
    pid = paper_id(title, abstract, own_id=own_id, url=url)
    if url is None and pid.startswith(ARXIV_PREFIX + ":"):
        url = f"https://arxiv.org/abs/{pid.split(':', 1)[1]}"
    meta = {k: v for k, v in record.items() if k not in _READ_KEYS}
    for key in ("url", "published"):  # present but unusable: keep it, do not interpret it
        if key in record and record[key] is not None and not isinstance(record[key], str):
            meta[key] = record[key]
    return Paper(
        id=pid,
        title=title,
        abstract=abstract,
        authors=_authors(record),
        published=_published(record),
        url=url,
        categories=_categories(record.get("categories")),
        sources=[f"{source}:{line}"],
        meta=meta,
    )


def _text(record: dict, key: str, source: str, line: int, *, join_lines: bool) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(source, f"'{key}' must be a string, not {_JSON_TYPES.get(type(value))}",
                         line)
    return " ".join(value.split()) if join_lines else value


def _own_id(record: dict, source: str, line: int) -> str | None:
    value = record.get("id")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(source, f"'id' must be a string, not {_JSON_TYPES.get(type(value))}",
                         line)
    text = str(value).strip()
    return text or None


def _authors(record: dict) -> list[str]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if isinstance(parts, list) and parts and all(isinstance(p, str) for p in parts):
                last, first, suffix = (parts + ["", ""])[:3]
                names.append(" ".join(p.strip() for p in (first, last, suffix) if p.strip()))
        if names:
            return names
    value = record.get("authors")
    if isinstance(value, str):
        return [n for n in (" ".join(x.split()) for x in _AUTHOR_SPLIT.split(value)) if n]
    if isinstance(value, list):
        names = []
        for item in value:
            if isinstance(item, dict):
                item = item.get("name")
            if isinstance(item, str) and item.strip():
                names.append(" ".join(item.split()))
        return names
    return []


def _published(record: dict) -> str | None:
    value = record.get("published")
    if isinstance(value, str) and value.strip():
        return value.strip()
    versions = record.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        created = versions[0].get("created")
        if isinstance(created, str):
            try:
                return parsedate_to_datetime(created).date().isoformat()
            except (TypeError, ValueError):
                pass
    update = record.get("update_date")
    return update.strip() if isinstance(update, str) and update.strip() else None


def _categories(value: Any) -> list[str]:
    if isinstance(value, str):
        return [c for c in re.split(r"[\s,]+", value) if c]
    if isinstance(value, list):
        return [c.strip() for c in value if isinstance(c, str) and c.strip()]
    return []
