"""Where papers come from: expanding source arguments into inputs, and reading an input's lines.

A source is a file, a folder (searched recursively for files with a registered suffix), a glob
pattern (``data/**/*.jsonl``) or ``-`` for standard input. Every input is read as bytes and
checked before a reader sees it: a missing or unreadable file, a binary file (NUL bytes, UTF-16)
and an empty file raise :class:`~kg.errors.InputError`. Text must be UTF-8; a UTF-8 byte-order
mark and CRLF line ends are accepted.
"""

from __future__ import annotations

import glob
import io
import os
import sys
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError

STDIN = "-"
STDIN_NAME = "<stdin>"
BOM = b"\xef\xbb\xbf"
_SNIFF_BYTES = 8192
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Origin:
    """One input to read: a file path, or standard input (`path` None)."""

    name: str  # how messages and Paper.sources name it
    path: Path | None = None


def expand(sources: Iterable[str], suffixes: Collection[str]) -> Iterator[Origin]:
    """The inputs named by `sources`, in order: files as given (any suffix), folders searched
    recursively for files with one of `suffixes` (sorted, hidden entries skipped), globs
    expanded the same way (sorted, only `suffixes`), ``-`` for stdin. A missing path, a glob
    that matches nothing and a folder with no readable file raise :class:`InputError` as soon
    as they are reached."""
    for source in sources:
        if source == STDIN:
            yield Origin(STDIN_NAME)
            continue
        path = Path(source)
        if path.is_dir():
            found = list(_walk(path, suffixes))
            if not found:
                wanted = ", ".join(sorted(suffixes))
                raise InputError(source, f"folder holds no readable file ({wanted})")
            yield from (Origin(str(p), p) for p in found)
        elif path.exists():
            yield Origin(source, path)
        elif _GLOB_CHARS & set(source):
            matches = sorted(glob.glob(source, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()
                     and suffix_of(m) in suffixes and not Path(m).name.startswith(".")]
            if not files:
                wanted = ", ".join(sorted(suffixes))
                raise InputError(source, f"no readable file ({wanted}) matches this pattern")
            yield from (Origin(str(p), p) for p in files)
        else:
            raise InputError(source, "no such file or folder")


def _walk(folder: Path, suffixes: Collection[str]) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and suffix_of(name) in suffixes:
                yield Path(root) / name


def suffix_of(name: str) -> str:
    """The lower-cased last suffix of a file name (``.txt``, ``.jsonl``); ``""`` when none."""
    return Path(name).suffix.lower()


class Input:
    """An opened, checked input. Use as a context manager; iterate :meth:`lines` once."""

    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self.name = origin.name
        self._stream: BinaryIO
        if origin.path is None:
            self._stream = sys.stdin.buffer
        else:
            try:
                self._stream = open(origin.path, "rb")  # noqa: SIM115 (closed in __exit__)
            except OSError as exc:
                raise InputError(self.name, f"cannot read: {exc.strerror or exc}") from exc
        if not isinstance(self._stream, io.BufferedReader):
            self._stream = io.BufferedReader(self._stream)  # type: ignore[arg-type]
        try:
            self.head = self._stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
            self._check_head()
        except OSError as exc:  # e.g. a broken device or network file system
            self.close()
            raise InputError(self.name, f"cannot read: {exc.strerror or exc}") from exc
        except InputError:
            self.close()
            raise

    def _check_head(self) -> None:
        head = self.head
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(self.name, "file is UTF-16; convert it to UTF-8")
        if b"\x00" in head:
            raise InputError(self.name, "binary file (NUL bytes), expected UTF-8 text")

    def first_char(self) -> str:
        """The first non-blank character of the input ('' when the head is blank): how stdin's
        format is told apart."""
        text = self.head.removeprefix(BOM).decode("utf-8", errors="replace").lstrip()
        return text[:1]

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """(1-based line number, raw line without its line end and BOM). Streams; raises
        :class:`InputError` for an empty file (nothing but whitespace) after the last line."""
        blank = True
        try:
            for number, raw in enumerate(self._stream, start=1):
                if number == 1:
                    raw = raw.removeprefix(BOM)
                raw = raw.rstrip(b"\r\n")
                if blank and raw.strip():
                    blank = False
                yield number, raw
        except OSError as exc:
            raise InputError(self.name, f"cannot read: {exc.strerror or exc}") from exc
        if blank:
            raise InputError(self.name, "empty file")

    def close(self) -> None:
        if self.origin.path is not None:
            self._stream.close()

    def __enter__(self) -> "Input":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def decode(raw: bytes, source: str, line: int) -> str:
    """`raw` as UTF-8 text; :class:`InputError` naming the file, line and byte when it is not."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            source, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})", line
        ) from exc
