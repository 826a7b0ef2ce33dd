"""A per-paper extraction cache, so that a rebuild only extracts what is new or changed.

:class:`CachedExtractor` wraps any :class:`~kg.extract.base.Extractor`. Each paper's extraction is
stored under a key made of the inner extractor's ``version`` and a hash of the paper's content
(``id``, ``title``, ``abstract``: everything an extraction is computed from). So:

- adding papers extracts only the new ones; an edited abstract or title is extracted again;
- metadata (authors, dates, sources) is not part of the key: it is not extracted, and a hit is
  returned with the paper as read *this* time, so new metadata shows up without re-extraction;
- a new pipeline version misses everywhere (the whole corpus is extracted again, since any
  output may change) and never reads an older version's rows; :meth:`ExtractionCache.prune`
  deletes them. The version filed in the cache is :func:`cache_version`: the extractor's
  ``version`` plus a fingerprint of what its output is computed by (the extraction code and
  the pipeline files on disk, see :func:`code_fingerprint`), so editing a rule, retraining the
  shipped pipeline or upgrading spaCy is a new version even when ``version`` stays the same.

Storage is one SQLite file, ``extractions.sqlite``, in the cache folder: a B-tree keyed by
``(version, key)`` holding zlib-compressed JSON, which stays fast at millions of rows. Writes are
committed every ``commit_every`` extractions in WAL mode, so an interrupted run (Ctrl-C, a crash,
a killed job) keeps everything committed before it and a re-run resumes from there; SQLite's
transactions make sure a half-written batch is never read back.

Misses go to ``inner.extract`` as one lazy stream (one worker pool for the run, however the hits
and misses interleave), except that a run of ``max_gap`` hits in a row ends the stream and a new
one is started for the misses after it: that keeps the papers held in memory bounded by
``max_gap`` plus the inner extractor's own read-ahead, even when nearly everything is cached.
The extraction of a paper must depend on that paper alone (true of every kg extractor), which is
also what makes ``--jobs N`` give the output of ``--jobs 1``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sqlite3
import zlib
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from kg import collector
from kg.errors import ExtractionError, KGError
from kg.extract.base import Extractor
from kg.models import Extraction, Paper

CACHE_FILE = "extractions.sqlite"
_LOOKUP_BATCH = 500  # rows per SELECT … IN (…): under SQLite's oldest variable limit (999)

#: The package whose extraction code the fingerprint covers, and where it lives.
_PACKAGE = Path(__file__).resolve().parent
_EXTRACT = _PACKAGE / "extract"


def content_key(paper: Paper) -> str:
    """The hash of what an extraction is computed from: the paper's id, title and abstract."""
    payload = json.dumps([paper.id, paper.title, paper.abstract], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# -- the pipeline fingerprint -----------------------------------------------------------------

_tree_digests: dict[tuple, str] = {}  # file stats → digest, for this process


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(f for f in root.rglob("*")
                  if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".pyc", ".pyo"))


def files_digest(files: Iterable[Path], base: Path) -> str:
    """SHA-256 of the files' paths (relative to `base`) and contents.

    Memoised per process on the files' (path, size, mtime): a second call costs a ``stat`` per
    file; any write to one of them (or a file added or removed) hashes the contents again.
    """
    files = sorted(files)
    stats = _signature(files)
    digest = _tree_digests.get(stats)
    if digest is None:
        h = hashlib.sha256()
        for f in files:
            rel = f.relative_to(base) if f.is_relative_to(base) else f
            h.update(str(rel).encode() + b"\0")
            h.update(f.read_bytes())
            h.update(b"\0")
        digest = _tree_digests[stats] = h.hexdigest()
    return digest


def _module_file(name: str, package_dir: Path) -> Path | None:
    """The source file of module `name` (``kg.x.y``) inside `package_dir` (the ``kg`` folder)."""
    parts = name.split(".")[1:]
    base = package_dir.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


_code_files: dict[tuple[Path, Path], tuple[tuple, list[Path]]] = {}


def _signature(files: Iterable[Path]) -> tuple:
    return tuple((str(f), st.st_size, st.st_mtime_ns) for f in sorted(files) for st in [f.stat()])


def code_files(root: Path | None = None, package_dir: Path | None = None) -> list[Path]:
    """Every file under `root` (the extraction code and its data), plus the source of each
    module of the package that they import, transitively (e.g. ``kg.resolve.normalise``, which
    computes the mention keys; ``kg.models``, which shapes the records).

    A package's ``__init__.py`` counts only when something is imported from the package itself
    (``from kg.resolve import X``), not for ``from kg.resolve.normalise import X``: what the
    ``__init__`` imports besides does not compute extractions. Memoised on the files' stats.
    Defaults: ``kg/extract`` and the ``kg`` package itself.
    """
    root, package_dir = root or _EXTRACT, package_dir or _PACKAGE
    memo = _code_files.get((root, package_dir))
    if memo is not None:
        try:
            if _signature(set(_files(root)) | set(memo[1])) == memo[0]:
                return memo[1]
        except OSError:
            pass
    package = package_dir.name
    found = set(_files(root))
    todo = [f for f in found if f.suffix == ".py"]
    while todo:
        source = todo.pop()
        try:
            tree = ast.parse(source.read_bytes())
        except (SyntaxError, ValueError):
            continue  # a broken module fails at import; its bytes are hashed all the same
        names = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.append(node.module)
                # `from kg.x import y` where y is a module
                names += [f"{node.module}.{a.name}" for a in node.names
                          if _module_file(f"{node.module}.{a.name}", package_dir) is not None]
        for name in names:
            if name.split(".")[0] != package or name == package:
                continue
            f = _module_file(name, package_dir)
            if f is not None and f not in found:
                found.add(f)
                todo.append(f)
    result = sorted(found)
    _code_files[(root, package_dir)] = (_signature(result), result)
    return result


def code_fingerprint(pipeline_dir: str | os.PathLike | None = None, *,
                     root: Path | None = None, package_dir: Path | None = None) -> str:
    """A short hash of what an extraction is computed by: the extraction code (see
    :func:`code_files`), the files of the pipeline loaded from `pipeline_dir` (config, weights,
    vocabulary; none for the rules pipeline, built in code) and the spaCy version.

    Changes when any of them does, and only then; cheap to call again (see :func:`files_digest`).
    """
    import spacy

    root, package_dir = root or _EXTRACT, package_dir or _PACKAGE
    h = hashlib.sha256(f"spacy {spacy.__version__}\0".encode())
    h.update(files_digest(code_files(root, package_dir), package_dir.parent).encode())
    if pipeline_dir is not None:
        pipeline_dir = Path(pipeline_dir)
        h.update(b"pipeline\0" + files_digest(_files(pipeline_dir), pipeline_dir).encode())
    return h.hexdigest()[:16]


def cache_version(extractor: Extractor) -> str:
    """The version the cache files `extractor`'s extractions under.

    An extractor may say it itself (a ``cache_version`` attribute). Otherwise, for a spaCy
    extractor (one with an ``nlp``, found through wrappers' ``inner``) it is
    ``"<version>+<code_fingerprint>"``; any other extractor is trusted to change its
    ``version`` whenever its output may change.
    """
    own = getattr(extractor, "cache_version", None)
    if isinstance(own, str):
        return own
    inner = extractor
    while getattr(inner, "inner", None) is not None and getattr(inner, "nlp", None) is None:
        inner = inner.inner
    nlp = getattr(inner, "nlp", None)
    if nlp is None:
        return extractor.version
    return f"{extractor.version}+{code_fingerprint(getattr(nlp, 'path', None))}"


def local_cache_version(version: str) -> str:
    """:func:`cache_version` of this installation's extractor whose ``version`` is `version`
    (the shipped trained pipeline or the rules pipeline); `version` itself for any other."""
    from kg.extract.pipeline import SHIPPED

    meta = SHIPPED / "meta.json"
    if meta.is_file():
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
        except ValueError:
            info = {}
        if version == f"{info.get('name', 'paperkg')}-{info.get('version', '0')}":
            return f"{version}+{code_fingerprint(SHIPPED)}"
    from kg.extract.pipeline import rules_pipeline

    rules = rules_pipeline().meta
    if version == f"{rules.get('name')}-{rules.get('version', '0')}":
        return f"{version}+{code_fingerprint(None)}"
    return version


class CacheError(KGError):
    """The extraction cache cannot be opened, read or written."""


@dataclass
class CacheStats:
    """Hits and misses of one or more runs through a :class:`CachedExtractor`."""

    hits: int = 0
    misses: int = 0


class ExtractionCache:
    """The SQLite store behind :class:`CachedExtractor`: ``(version, key) → extraction``.

    Opens (and creates) ``<cache_dir>/extractions.sqlite``. The connection is opened lazily and
    not pickled, so an object holding a cache can be sent to worker processes.
    """

    def __init__(self, cache_dir: str | os.PathLike) -> None:
        self.dir = Path(cache_dir)
        self.path = self.dir / CACHE_FILE
        self._conn: sqlite3.Connection | None = None

    # -- connection -------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=60)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS extractions ("
                    " version TEXT NOT NULL, key TEXT NOT NULL, paper_id TEXT NOT NULL,"
                    " value BLOB NOT NULL, PRIMARY KEY (version, key)) WITHOUT ROWID"
                )
                conn.commit()
            except (OSError, sqlite3.Error) as exc:
                raise CacheError(f"cannot open the extraction cache {self.path}: {exc}") from exc
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __getstate__(self) -> dict[str, Any]:
        return {"dir": self.dir, "path": self.path, "_conn": None}

    # -- reads and writes -------------------------------------------------------------------
    def get_many(self, version: str, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The cached records (extraction JSON without id/title/abstract) for those keys found."""
        found: dict[str, dict[str, Any]] = {}
        for i in range(0, len(keys), _LOOKUP_BATCH):
            chunk = keys[i:i + _LOOKUP_BATCH]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self.conn.execute(
                    f"SELECT key, value FROM extractions WHERE version = ? AND key IN ({marks})",
                    [version, *chunk],
                ).fetchall()
            except sqlite3.Error as exc:
                raise CacheError(f"cannot read the extraction cache {self.path}: {exc}") from exc
            for key, value in rows:
                found[key] = json.loads(zlib.decompress(value))
        return found

    def put_many(self, version: str, rows: Iterable[tuple[str, Extraction]]) -> int:
        """Store extractions under `version` in one transaction; returns how many were written."""
        data = [(version, key, ex.paper.id, _encode(ex)) for key, ex in rows]
        try:
            with self.conn:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO extractions (version, key, paper_id, value)"
                    " VALUES (?, ?, ?, ?)", data)
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the extraction cache {self.path}: {exc}") from exc
        return len(data)

    def import_jsonl(self, lines: Iterable[str], *, version: str | None = None,
                     commit_every: int = 5000) -> int:
        """Load extraction JSONL records (e.g. a Spark job's output) into the cache.

        Each record is stored under its paper's content key and `version`, verbatim when given;
        by default under the record's own ``version`` as this installation files it
        (:func:`local_cache_version`: the records are assumed to come from the same paperkg and
        pipeline, as a Spark job's do), so that a later ``kg build`` over the same papers finds
        them all.
        """
        total, batch = 0, {}
        filed: dict[str, str] = {}
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                ex = Extraction.from_json(json.loads(line))
            except (ValueError, TypeError, KeyError) as exc:
                raise CacheError(f"line {number}: not an extraction record: {exc}") from exc
            ver = version
            if not ver:
                if not ex.version:
                    raise CacheError(f"line {number}: the record has no version; pass one")
                if ex.version not in filed:
                    filed[ex.version] = local_cache_version(ex.version)
                ver = filed[ex.version]
            batch.setdefault(ver, []).append((content_key(ex.paper), ex))
            if sum(len(v) for v in batch.values()) >= commit_every:
                total += sum(self.put_many(v, rows) for v, rows in batch.items())
                batch = {}
        total += sum(self.put_many(v, rows) for v, rows in batch.items())
        return total

    def count(self, version: str | None = None) -> int:
        """Rows in the cache (of one version, or all)."""
        if version is None:
            return self.conn.execute("SELECT count(*) FROM extractions").fetchone()[0]
        return self.conn.execute(
            "SELECT count(*) FROM extractions WHERE version = ?", [version]).fetchone()[0]

    def versions(self) -> dict[str, int]:
        """Rows per pipeline version."""
        rows = self.conn.execute("SELECT version, count(*) FROM extractions GROUP BY version")
        return dict(rows.fetchall())

    def prune(self, keep_version: str) -> int:
        """Delete every row of another pipeline version; returns how many were deleted."""
        with self.conn:
            cur = self.conn.execute("DELETE FROM extractions WHERE version != ?", [keep_version])
        self.conn.execute("VACUUM")
        return cur.rowcount


@dataclass
class _Entry:
    paper: Paper
    key: str
    extraction: Extraction | None


class CachedExtractor:
    """An :class:`~kg.extract.base.Extractor` that answers from the cache and extracts the rest.

    Same `name`, `version` and output as `inner`, in the same order; `stats` counts hits and
    misses over the object's lifetime.
    """

    def __init__(self, inner: Extractor, cache_dir: str | os.PathLike, *,
                 commit_every: int = 256, max_gap: int = 4096) -> None:
        self.inner = inner
        self.cache = ExtractionCache(cache_dir)
        self.commit_every = commit_every
        self.max_gap = max_gap
        self.stats = CacheStats()
        #: What the rows are filed under: `version` plus the code fingerprint (see module doc).
        self.cache_version = cache_version(inner)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return self.inner.version

    def extract(
        self, papers: Iterable[Paper], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Yield one Extraction per paper, in input order: cached ones as they come, the others
        from `inner` (with these `batch_size` and `n_process`), stored as they are produced."""
        version = self.cache_version
        entries = self._lookup(iter(papers), version)
        pending: list[tuple[str, Extraction]] = []
        try:
            while True:
                order: deque[_Entry] = deque()
                state = {"started": False, "exhausted": False}

                def misses() -> Iterator[Paper]:
                    state["started"] = True
                    gap = 0
                    for entry in entries:
                        order.append(entry)
                        if entry.extraction is None:
                            gap = 0
                            yield entry.paper
                        else:
                            gap += 1
                            if gap >= self.max_gap:
                                return
                    state["exhausted"] = True

                produced = self.inner.extract(misses(), batch_size=batch_size, n_process=n_process)
                try:
                    for ex in produced:
                        while order and order[0].extraction is not None:
                            yield order.popleft().extraction
                        if not order:
                            raise ExtractionError(
                                f"extractor {self.inner.name!r} returned more extractions than papers")
                        entry = order.popleft()
                        if ex.paper.id != entry.paper.id:
                            raise ExtractionError(
                                f"extractor {self.inner.name!r} returned {ex.paper.id!r} where "
                                f"{entry.paper.id!r} was expected: output out of order")
                        self.stats.misses += 1
                        pending.append((entry.key, ex))
                        if len(pending) >= self.commit_every:
                            self.cache.put_many(version, pending)
                            pending = []
                        yield ex
                finally:
                    close = getattr(produced, "close", None)
                    if close:
                        close()
                for entry in order:
                    if entry.extraction is None:
                        raise ExtractionError(
                            f"extractor {self.inner.name!r} returned no extraction for {entry.paper.id!r}")
                    yield entry.extraction
                if state["exhausted"]:
                    return
                if not state["started"]:
                    raise ExtractionError(f"extractor {self.inner.name!r} did not read its input")
        finally:
            # Runs on normal end, on error and when the consumer stops early: what was
            # extracted is kept.
            if pending:
                self.cache.put_many(version, pending)

    def _lookup(self, papers: Iterator[Paper], version: str) -> Iterator[_Entry]:
        """Papers with their content keys and cached extractions, looked up in batches."""
        while True:
            batch = []
            for paper in papers:
                batch.append(paper)
                if len(batch) >= _LOOKUP_BATCH:
                    break
            if not batch:
                return
            keys = [content_key(p) for p in batch]
            # The batch is read and decoded with the collector off: it makes many small
            # containers and no cycles, and each collection would walk everything the build
            # holds (a third of the time of a hit); what it made is collected afterwards.
            with collector.paused():
                found = self.cache.get_many(version, list(set(keys)))
                entries = [_Entry(paper, key, None if record is None else _decode(record, paper))
                           for paper, key in zip(batch, keys)
                           for record in [found.get(key)]]
            del found
            for entry in entries:
                if entry.extraction is not None:
                    self.stats.hits += 1
                yield entry


def _encode(ex: Extraction) -> bytes:
    """The extraction JSON without what the key already pins (id, title, abstract)."""
    record = ex.to_json()
    for k in ("id", "title", "abstract"):
        record.pop(k, None)
    return zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8"), 1)


def _decode(record: dict[str, Any], paper: Paper) -> Extraction:
    """A cached extraction for `paper`, carrying the paper object as read now (its metadata)."""
    ex = Extraction.from_json({**record, "id": paper.id, "title": paper.title,
                               "abstract": paper.abstract})
    ex.paper = paper
    return ex
