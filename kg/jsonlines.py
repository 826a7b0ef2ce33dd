"""The JSON objects of a JSONL file, with errors that name the file and line.

Shared by the readers of gold files, training corpora and extraction files; the papers reader
(`kg.readers.jsonl`) has its own loop because it can skip bad lines instead of stopping.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

from kg.errors import InputError


def iter_objects(path: str | os.PathLike) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for every non-blank line of `path`, streaming.

    Raises InputError for a file that cannot be read, a line that is not JSON, or a line that is
    not a JSON object."""
    path = Path(path)
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    with fh:
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(str(path), f"not JSON: {exc.msg}", n) from None
                if not isinstance(obj, dict):
                    raise InputError(str(path), "expected a JSON object per line", n)
                yield n, obj
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"not UTF-8: {exc.reason}") from None
