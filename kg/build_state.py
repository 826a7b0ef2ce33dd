"""The build state: what a build with ``--cache DIR`` leaves so that the next one can resume.

A rebuild whose input is the previous input plus new papers (a weekly arXiv update) should not
redo the per-paper work for the papers it already saw. After a build, ``DIR/build-state.bin``
holds:

- the *key*: everything the stored records and resolver counts depend on besides the papers —
  the extractor's cache version (which fingerprints the extraction code and pipeline), the
  alias rules, a fingerprint of the resolver code, this module and :mod:`kg.run`, the Python
  version and the file format. A state with another key is never used;
- the ordered list of distinct papers as their :func:`paper_digest` (every field of the
  record as read, id included: text and metadata, so new authors or dates also count as a
  change), 16 bytes each in one string;
- each paper's spooled record, ``(extraction, local keys)`` as :func:`kg.run.extract_resolved`
  spools it (pickled; the paper as first read, before duplicates are merged in: merging is
  done again from the duplicates read this time);
- where each record starts, so that one paper's record can be read back alone
  (:meth:`Spool.record_at`);
- the :class:`~kg.resolve.Resolver`'s counts after the last paper, taken *before*
  :meth:`~kg.resolve.Resolver.finish` (pickled without its alias table).

The file doubles as the build's spool: records are written to a temporary file in the cache
folder during the first pass, then the paper list, the resolver and a trailer with SHA-256
digests of both regions; it is renamed over the previous state before ``finish`` (so the
second pass reads from an open file whatever happens to the name). A rebuild copies the old
records region into its own new file (verifying its digest on the way) and appends the new
papers' records. A truncated or corrupt file, or one of another format, is reported and
ignored: the build then runs in full and writes a fresh state.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import struct
import sys
import tempfile
from array import array
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from kg import collector
from kg.models import Extraction, Paper
from kg.resolve import AliasTable, Resolver

STATE_FILE = "build-state.bin"
#: Bump when the layout or the meaning of a stored field changes.
FORMAT = 2
_MAGIC = b"paperkg build state\n"
_END = b"KGSTATE1"
# layout: magic, header length, header (JSON: format, key), records, index (paper list), resolver
# counts, trailer: index offset, resolver offset, digest of the records, digest of header +
# index + counts, end mark
_TRAILER = struct.Struct("<QQ32s32s8s")
_LENGTH = struct.Struct("<Q")
_CHUNK = 1 << 20
DIGEST_SIZE = 16
_PACKAGE = Path(__file__).resolve().parent


class StateUnusable(Exception):
    """The stored state cannot be used; the message says why (shown in the run summary)."""


def paper_digest(paper: Paper) -> bytes:
    """16 bytes of SHA-256 over every field of the record, in order (dict order included):
    text and metadata alike, since both reach the graph."""
    values = [getattr(paper, f.name) for f in fields(Paper)]
    payload = json.dumps(values, ensure_ascii=False, default=repr)
    return hashlib.sha256(payload.encode("utf-8")).digest()[:DIGEST_SIZE]


def code_digest() -> str:
    """Fingerprint of the code that produced the stored records and counts: the resolver
    package (and the kg modules it imports), :mod:`kg.run` and this module."""
    from kg.cache import code_files, files_digest

    files = set(code_files(_PACKAGE / "resolve", _PACKAGE))
    files |= {_PACKAGE / "run.py", Path(__file__).resolve()}
    return files_digest(files, _PACKAGE.parent)


def aliases_digest(aliases: AliasTable | None) -> str:
    """The alias rules as resolution uses them (not where they were written)."""
    table = aliases or AliasTable()
    rules = [[r.a, r.b, r.same] for r in (*table.same, *table.different)]
    return hashlib.sha256(json.dumps(rules).encode("utf-8")).hexdigest()


def state_key(cache_version: str, aliases: AliasTable | None) -> str:
    """Everything besides the papers that a stored state's content depends on."""
    parts = [f"format {FORMAT}", f"python {sys.version_info[0]}.{sys.version_info[1]}",
             f"extractor {cache_version}", f"aliases {aliases_digest(aliases)}",
             f"code {code_digest()}"]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@dataclass
class StoredState:
    """A previous build's state, checked and indexed; the records and the resolver are read
    only when the rebuild goes ahead (see :meth:`copy_records` and :meth:`resolver`)."""

    path: Path
    papers: bytes  # the papers' paper_digest, in input order, concatenated
    records: tuple[int, int]  # byte span of the pickled records
    records_digest: bytes
    _resolver_bytes: bytes
    #: where each record starts, from the start of the records (array('Q') as bytes)
    offsets: bytes = b""

    @property
    def count(self) -> int:
        """How many papers the previous build had."""
        return len(self.papers) // DIGEST_SIZE

    def resolver(self, aliases: AliasTable | None) -> Resolver:
        """The resolver as it was before ``finish`` in the previous build, with `aliases`."""
        try:
            with collector.paused():  # many small containers, no cycles
                fields_ = pickle.loads(self._resolver_bytes)
        except Exception as exc:  # digest-checked, so only a code mismatch gets here
            raise StateUnusable(f"resolver state unreadable ({type(exc).__name__})") from exc
        resolver = Resolver.__new__(Resolver)
        resolver.__dict__.update(fields_)
        resolver.aliases = aliases or AliasTable()
        self._resolver_bytes = b""
        return resolver

    def copy_records(self, out: IO[bytes], hasher: "hashlib._Hash") -> None:
        """Append the stored records to `out` (and to `hasher`), checking their digest."""
        start, end = self.records
        check = hashlib.sha256()
        try:
            with self.path.open("rb") as fh:
                fh.seek(start)
                left = end - start
                while left > 0:
                    block = fh.read(min(_CHUNK, left))
                    if not block:
                        break
                    left -= len(block)
                    check.update(block)
                    hasher.update(block)
                    out.write(block)
        except OSError as exc:
            raise StateUnusable(f"cannot read {self.path}: {exc}") from exc
        if left or check.digest() != self.records_digest:
            raise StateUnusable("stored records corrupt (digest mismatch)")


def load_state(cache_dir: str | os.PathLike, key: str) -> StoredState:
    """The state stored in `cache_dir` if it was written under `key` and is intact; raises
    :class:`StateUnusable` saying why not."""
    path = Path(cache_dir) / STATE_FILE
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise StateUnusable("no build state yet") from None
    except OSError as exc:
        raise StateUnusable(f"cannot open {path}: {exc}") from None
    with fh:
        try:
            if fh.read(len(_MAGIC)) != _MAGIC:
                raise StateUnusable("not a build state file")
            (length,) = _LENGTH.unpack(fh.read(_LENGTH.size))
            raw_header = fh.read(min(length, 1 << 20))
            header = json.loads(raw_header)  # text: nothing is unpickled before its digest
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise StateUnusable("build state of another format")
            if header.get("key") != key:
                raise StateUnusable("build state of another extractor version, alias file "
                                    "or paperkg code")
            records_start = fh.tell()
            size = fh.seek(0, os.SEEK_END)
            if size < records_start + _TRAILER.size:
                raise StateUnusable("build state truncated")
            fh.seek(size - _TRAILER.size)
            index_at, resolver_at, records_digest, tail_digest, end = _TRAILER.unpack(
                fh.read(_TRAILER.size))
            if end != _END or not records_start <= index_at <= resolver_at <= size - _TRAILER.size:
                raise StateUnusable("build state truncated")
            fh.seek(index_at)
            tail = fh.read(size - _TRAILER.size - index_at)
            if hashlib.sha256(raw_header + tail).digest() != tail_digest:
                raise StateUnusable("build state corrupt (digest mismatch)")
            split = resolver_at - index_at
            index = pickle.loads(tail[:split])
            papers, offsets = index["papers"], index["offsets"]
            if (index["records"] != [records_start, index_at] or not isinstance(papers, bytes)
                    or len(papers) % DIGEST_SIZE or not isinstance(offsets, bytes)
                    or len(offsets) != len(papers) // DIGEST_SIZE * 8):
                raise StateUnusable("build state inconsistent")
        except StateUnusable:
            raise
        except Exception as exc:  # a damaged pickle can raise nearly anything
            raise StateUnusable(f"build state unreadable ({type(exc).__name__})") from None
    return StoredState(path, papers, (records_start, index_at), records_digest, tail[split:],
                       offsets)


class Spool:
    """Where the first pass leaves each paper's ``(extraction, local keys)`` for the second:
    an anonymous temporary file (no cache folder) — :class:`StateSpool` also keeps it."""

    #: Why the state could not be stored, if so (a plain spool stores none).
    error = ""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile("w+b")
        self.count = 0
        self._start = 0
        self.offsets = array("Q")  # where each record starts, from the first one's start

    def write(self, ex: Extraction, local: dict[str, str]) -> None:
        self.offsets.append(self.file.tell() - self._start)
        pickle.dump((ex, local), self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def record_at(self, n: int) -> tuple[Extraction, dict[str, str]]:
        """Record `n` (from 0) alone, after the first pass; not while :meth:`records` runs."""
        self.file.seek(self._start + self.offsets[n])
        return pickle.load(self.file)

    def end_first_pass(self, resolver: Resolver, papers: bytearray) -> None:
        """Called once every paper is spooled, before ``resolver.finish()``."""
        self.file.seek(self._start)

    def records(self) -> Iterator[tuple[Extraction, dict[str, str]]]:
        """The spooled records in order, once; closes the file at the end."""
        self.file.seek(self._start)
        with self.file as fh:
            load = pickle.load
            for _ in range(self.count):
                yield load(fh)

    def discard(self) -> None:
        self.file.close()


class StateSpool(Spool):
    """A spool written as a new state file beside ``DIR/build-state.bin``; renamed over it at
    :meth:`end_first_pass`, when everything it stores is known."""

    def __init__(self, cache_dir: str | os.PathLike, key: str,
                 previous: StoredState | None = None) -> None:
        self.target = Path(cache_dir) / STATE_FILE
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{STATE_FILE}.", suffix=".tmp", dir=self.target.parent)
        self.tmp: Path | None = Path(tmp)
        # mkstemp makes the file 0600; give it the permissions of the cache next to it
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        self.file = os.fdopen(fd, "w+b")
        self.count = 0
        self.offsets = array("Q")
        self._hash = hashlib.sha256()
        try:
            self._header = json.dumps({"format": FORMAT, "key": key}).encode("utf-8")
            self.file.write(_MAGIC + _LENGTH.pack(len(self._header)) + self._header)
            self._start = self.file.tell()
            if previous is not None:
                previous.copy_records(self.file, self._hash)
                self.count = previous.count
                self.offsets.frombytes(previous.offsets)
        except BaseException:
            self.discard()
            raise

    def write(self, ex: Extraction, local: dict[str, str]) -> None:
        data = pickle.dumps((ex, local), protocol=pickle.HIGHEST_PROTOCOL)
        self._hash.update(data)
        self.offsets.append(self.file.tell() - self._start)
        self.file.write(data)
        self.count += 1

    def end_first_pass(self, resolver: Resolver, papers: bytearray) -> None:
        """Write the paper list, the resolver (not yet finished) and the trailer, then make the
        file the stored state (fsync + rename) and rewind to the first record."""
        fh = self.file
        index_at = fh.tell()
        counts = {k: v for k, v in vars(resolver).items() if k != "aliases"}
        index = pickle.dumps({"papers": bytes(papers), "records": [self._start, index_at],
                              "offsets": self.offsets.tobytes()},
                             protocol=pickle.HIGHEST_PROTOCOL)
        fh.write(index)
        body = pickle.dumps(counts, protocol=pickle.HIGHEST_PROTOCOL)
        fh.write(body)
        tail = hashlib.sha256(self._header)
        tail.update(index)
        tail.update(body)
        fh.write(_TRAILER.pack(index_at, index_at + len(index), self._hash.digest(),
                               tail.digest(), _END))
        try:
            fh.flush()
            os.fsync(fh.fileno())
            os.replace(self.tmp, self.target)  # the open file stays readable under its new name
        except OSError as exc:
            # the build goes on from the open file; the next one will be a full build
            self.error = f"cannot store the build state: {exc}"
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
        self.tmp = None
        fh.seek(self._start)

    def discard(self) -> None:
        self.file.close()
        if self.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.tmp)
            self.tmp = None


def digested(papers: Iterable[Paper], out: bytearray) -> Iterator[Paper]:
    """The papers, appending each one's digest to `out` as it passes (16 bytes a paper: the
    list stays small next to what the resolver keeps per paper)."""
    for paper in papers:
        out += paper_digest(paper)
        yield paper


def check_prefix(papers: Iterator[Paper], stored: bytes) -> str | None:
    """Read as many papers as `stored` has digests and compare them in order; None when all
    match, else why not (the first difference)."""
    count = len(stored) // DIGEST_SIZE
    for n in range(count):
        paper = next(papers, None)
        if paper is None:
            return f"{count - n} papers of the last build are gone"
        if paper_digest(paper) != stored[n * DIGEST_SIZE:(n + 1) * DIGEST_SIZE]:
            return (f"paper {n + 1} ({paper.id!r}) is not the last build's paper {n + 1}: "
                    "changed, removed or moved")
    return None


def state_dir_of(extractor: Any) -> Path | None:
    """The cache folder of a :class:`~kg.cache.CachedExtractor` (where the state lives)."""
    from kg.cache import ExtractionCache

    cache = getattr(extractor, "cache", None)
    return cache.dir if isinstance(cache, ExtractionCache) else None
