"""`kg build`'s GraphML file, written paper by paper, and patched where a rebuild changed it.

The file lists each paper's own nodes (the paper, its claims) paper by paper, then the shared
nodes (entities, authors, repositories) sorted by id, then each paper's relationships paper by
paper (:mod:`kg.graph.parts`): the same graph as :func:`kg.writers.graphml.write_graphml` writes
for :func:`kg.run.build`'s, in another element order, built without holding the graph (memory
grows with the shared nodes, not with the papers).

With a cache folder, the build also stores ``DIR/graphml-state.bin``: where each paper's two
blocks lie in the file, the ``<key>`` table, the shared nodes' sums, the resolution's key map
and, per paper, the mention keys its blocks were resolved from. When the next build is an
incremental one (:mod:`kg.build_state`) and the file is still the one written then, it renders
only the new papers and the old papers that a changed key map resolves differently, adjusts the
shared nodes' sums (rendering again the shared nodes that changed), and copies every other
block and node from the previous file (``copy_file_range``): the
bytes are those a full build writes (tests/test_graphml_build.py). Anything else (no state,
another build, the file changed or moved, a duplicate record of an old paper that is new or
changed, a property never seen before) writes the file in full and says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import IO, Iterable

import numpy as np

from kg import collector
from kg.atomic import atomic_write
from kg.build_state import DIGEST_SIZE, paper_digest
from kg.graph.parts import PaperPart, SharedNodes, paper_part
from kg.models import Extraction
from kg.resolve import Resolution
from kg.resolve.resolver import mention_key
from kg.run import FirstPass
from kg.writers.graphml import ElementRenderer

STATE_FILE = "graphml-state.bin"
#: Bump when the layout or meaning of the stored state changes.
FORMAT = 1
_MAGIC = b"paperkg graphml state\n"
_PACKAGE = Path(__file__).resolve().parent
_CHUNK = 1 << 22


@dataclass
class OutputState:
    """What a build left about its GraphML file (pickled in ``DIR/graphml-state.bin``)."""

    key: str  # the build state's key and this code's fingerprint
    papers: bytes  # SHA-256 of the build's paper digests: the build it belongs to
    path: str
    size: int
    mtime_ns: int
    header: int  # bytes before the first node block
    node_lengths: array  # per paper, the bytes of its node block
    shared_ids: list[str]  # the shared nodes in file order (sorted), after the node blocks
    shared_lengths: array
    edge_lengths: array  # per paper, the bytes of its relationship block
    declared: tuple[dict, list[str]]
    mapping: dict[str, str]  # the resolution's key map
    names: dict[str, str]  # and its display names
    key_names: list[str]
    #: the key numbers each paper's blocks were resolved from, paper after paper; paper n's
    #: end at consulted_ends[n]
    consulted: array
    consulted_ends: array
    shared_nodes: SharedNodes
    nodes: Counter  # the papers' own nodes by label
    relationships: Counter
    duplicates: bytes  # digest of every duplicate record, see _duplicates_digest
    key_ids: dict[str, int] = field(default_factory=dict)  # key_names' inverse, not stored

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "key_ids"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.key_ids = {k: i for i, k in enumerate(self.key_names)}

    def dirty(self, changed: set[str]) -> list[int]:
        """The papers whose blocks read one of the `changed` keys, in order."""
        numbers = [self.key_ids[k] for k in changed if k in self.key_ids]
        if not numbers:
            return []
        hits = np.flatnonzero(np.isin(np.frombuffer(self.consulted, dtype=np.uint32), numbers))
        papers = np.searchsorted(np.frombuffer(self.consulted_ends, dtype=np.uint64), hits,
                                 side="right")
        return np.unique(papers).tolist()


def state_key(build_key: str) -> str:
    """The output state's key: the build state's (extractor, aliases, resolver code) and the
    code that turns records into GraphML bytes."""
    from kg.cache import code_files, files_digest

    files = set(code_files(_PACKAGE / "graph", _PACKAGE))
    files |= {_PACKAGE / "writers" / "graphml.py", Path(__file__).resolve()}
    code = files_digest(files, _PACKAGE.parent)
    return hashlib.sha256(f"format {FORMAT}\0{build_key}\0{code}".encode()).hexdigest()


def _papers_digest(digests: bytes) -> bytes:
    return hashlib.sha256(digests).digest()


def _duplicates_digest(duplicates: dict, skip: Iterable[str] = ()) -> bytes:
    """Digest of the later records of every paper except those in `skip` (the new papers):
    equal digests mean the old papers merge the same records as last time."""
    skip = set(skip)
    h = hashlib.sha256()
    for pid in sorted(duplicates):
        if pid not in skip:
            h.update(pid.encode("utf-8") + b"\0")
            for dup in duplicates[pid]:
                h.update(paper_digest(dup))
    return h.digest()


def _consulted_keys(ex: Extraction, local: dict[str, str]) -> set[str]:
    """Every key whose canonical key resolving `ex` reads (a superset is fine)."""
    keys = {k for m in ex.entities if (k := mention_key(m))}
    keys.update(local.values())
    for c in ex.claims:
        keys.update(c.about)
    for c in ex.comparisons:
        keys.update(k for k in (c.method, c.baseline, c.dataset, c.metric) if k)
    return keys


#: The properties :class:`~kg.graph.builder.GraphBuilder` writes, declared in this order at the
#: top of every file: the ``<key>`` ids then do not depend on which paper first has a property
#: (a rebuild that changes which one does still copies the old blocks). A property not listed
#: here is declared after them, on first use; a rebuild that meets one writes the file in full.
KEYS: tuple[tuple[str, type, str], ...] = (
    *((name, str, "node") for name in ("labels", "label", "id", "title", "abstract", "published",
                                       "url", "source", "sources", "authors", "categories",
                                       "text", "kind")),
    ("confidence", float, "node"), ("paper", str, "node"), ("name", str, "node"),
    ("aliases", str, "node"), ("paper_count", int, "node"), ("mention_count", int, "node"),
    ("label", str, "edge"), ("mentions", int, "edge"), ("field", str, "edge"),
    ("sentence", int, "edge"), ("start", int, "edge"), ("end", int, "edge"),
    ("text", str, "edge"), ("confidence", float, "edge"), ("version", str, "edge"),
    ("paper", str, "edge"), ("claim", str, "edge"), ("dataset", str, "edge"),
    ("metric", str, "edge"),
)


class _Render:
    """Papers' parts to GraphML bytes, with the key table and the counts they add up to."""

    def __init__(self, previous: OutputState | None = None) -> None:
        self.renderer = ElementRenderer(previous.declared if previous else None)
        if previous is None:
            for name, python_type, scope in KEYS:
                self.renderer.declare(name, python_type, scope)
        self.shared = previous.shared_nodes if previous else SharedNodes()
        self.nodes: Counter = Counter(previous.nodes) if previous else Counter()
        self.relationships: Counter = Counter(previous.relationships) if previous else Counter()
        self.key_names: list[str] = previous.key_names if previous else []
        self.key_ids: dict[str, int] = previous.key_ids if previous else {}
        self.consulted = previous.consulted if previous else array("I")
        self.consulted_ends = previous.consulted_ends if previous else array("Q")
        self.shared_ids: list[str] = []
        self.shared_lengths = array("Q")
        self.t_apply = self.t_part = self.t_render = 0.0

    def add(self, done: FirstPass, ex: Extraction, local: dict[str, str]) -> tuple[bytes, bytes]:
        """The next paper in order, as its spooled record: resolved, added to the sums and
        counts, rendered (its node block and its relationship block)."""
        self.consulted.extend(self.numbers(_consulted_keys(ex, local)))
        self.consulted_ends.append(len(self.consulted))
        part = self.part(self.apply(done.resolution, done.merged(ex), local))
        self.shared.add(part)
        self.count(part)
        return self.blocks(part)

    def redo(self, done: FirstPass, old: Resolution, ex: Extraction,
             local: dict[str, str]) -> tuple[bytes, bytes]:
        """An old paper whose keys `done.resolution` maps otherwise than `old` did: its shares
        and counts under `old` taken away, the new ones added, its blocks rendered again."""
        ex = done.merged(ex)
        old_part = self.part(self.apply(old, ex, local))
        part = self.part(self.apply(done.resolution, ex, local))
        self.shared.remove_entities(old_part)
        self.count(old_part, -1)
        self.shared.add_entities(part)
        self.count(part)
        return self.blocks(part)

    def busy(self) -> float:
        """Seconds spent resolving, building parts and rendering so far."""
        return self.t_apply + self.t_part + self.t_render

    def apply(self, resolution: Resolution, ex: Extraction, local: dict[str, str]) -> Extraction:
        t0 = time.perf_counter()
        ex = resolution.apply(ex, local)
        self.t_apply += time.perf_counter() - t0
        return ex

    def numbers(self, keys: set[str]) -> list[int]:
        ids, names = self.key_ids, self.key_names
        out = []
        for k in sorted(keys):
            i = ids.get(k)
            if i is None:
                i = ids[k] = len(names)
                names.append(k)
            out.append(i)
        return out

    def part(self, ex: Extraction) -> PaperPart:
        t0 = time.perf_counter()
        part = paper_part(ex)
        self.t_part += time.perf_counter() - t0
        return part

    def count(self, part: PaperPart, sign: int = 1) -> None:
        nodes, rels = part.counts()
        for label, n in nodes.items():
            self.nodes[label] += sign * n
        for rel, n in rels.items():
            self.relationships[rel] += sign * n

    def blocks(self, part: PaperPart) -> tuple[bytes, bytes]:
        t0 = time.perf_counter()
        r = self.renderer
        nodes = "".join([r.node(n, d) for n, d in part.nodes])
        edges = "".join([r.edge(u, v, k, d) for u, v, k, d in part.edges])
        out = (nodes.encode("utf-8", "xmlcharrefreplace"), edges.encode("utf-8", "xmlcharrefreplace"))
        self.t_render += time.perf_counter() - t0
        return out

    def shared_node(self, node_id: str, names: dict[str, str]) -> bytes:
        """One shared node's element (its length is recorded in :attr:`shared_lengths`)."""
        data = self.renderer.node(node_id, self.shared.node(node_id, names))
        data = data.encode("utf-8", "xmlcharrefreplace")
        self.shared_ids.append(node_id)
        self.shared_lengths.append(len(data))
        return data

    def shared_block(self, names: dict[str, str]) -> bytes:
        """Every shared node, in order."""
        t0 = time.perf_counter()
        data = b"".join([self.shared_node(n, names) for n in self.shared.ids()])
        self.t_render += time.perf_counter() - t0
        return data

    def render_touched(self, names: dict[str, str]) -> dict[str, bytes]:
        """The elements of the shared nodes in :attr:`SharedNodes.touched` that are still
        there (before the header is written: one may declare a key)."""
        t0 = time.perf_counter()
        shared, node = self.shared, self.renderer.node
        out = {n: node(n, shared.node(n, names)).encode("utf-8", "xmlcharrefreplace")
               for n in shared.touched if n in shared}
        self.t_render += time.perf_counter() - t0
        return out

    def patch_shared(self, previous: OutputState, rendered: dict[str, bytes], src: IO[bytes],
                     start: int, out: IO[bytes]) -> None:
        """Write the shared nodes: the `rendered` ones (:meth:`render_touched`) as they are
        now, the others copied from the previous file (`src`, its shared nodes at `start`), in
        runs."""
        t0 = time.perf_counter()
        where = {node_id: n for n, node_id in enumerate(previous.shared_ids)}
        offsets = list(accumulate(previous.shared_lengths, initial=start))
        first = end = -1  # the old nodes [first, end) to copy next

        def flush() -> None:
            if end > first:
                _copy(src, offsets[first], offsets[end] - offsets[first], out)

        for node_id in self.shared.ids():
            data = rendered.get(node_id)
            self.shared_ids.append(node_id)
            if data is not None:
                flush()
                first = end = -1
                out.write(data)
                self.shared_lengths.append(len(data))
                continue
            n = where[node_id]  # neither new nor touched: in the previous file
            self.shared_lengths.append(previous.shared_lengths[n])
            if n != end:  # not right after the run so far (a node between them went)
                flush()
                first = n
            end = n + 1
        flush()
        self.t_render += time.perf_counter() - t0


def write_build_graphml(done: FirstPass, output: str | os.PathLike) -> None:
    """Write the GraphML file of a build whose first pass is `done` (see the module notes);
    `done.summary` gets the node and relationship counts, the timings and how the file was
    written (`graphml_note`)."""
    output = Path(output)
    summary = done.summary
    clock = time.perf_counter
    t0 = clock()
    previous, why = _usable_state(done, output)
    summary.timed("graphml.load", clock() - t0)
    with collector.paused():
        patched = _patch(done, output, previous) if previous is not None else why
        if isinstance(patched, str):
            state, render = _write_full(done, output)
            summary.graphml_note = f"written in full ({patched})" if patched else "written in full"
        else:
            state, render, summary.graphml_note = patched
    summary.nodes = +(render.nodes + render.shared.counts())
    summary.relationships = +render.relationships
    summary.seconds = clock() - done.started
    if done.state_dir is None:
        return
    t0 = clock()
    try:
        _save_state(done.state_dir, state)
    except OSError as exc:
        summary.graphml_note += f"; cannot store the GraphML state: {exc}"
    summary.timed("graphml.save", clock() - t0)
    summary.seconds = clock() - done.started


def _usable_state(done: FirstPass, output: Path) -> tuple[OutputState | None, str]:
    """The stored state if this build may patch the file it describes, else (None, why)."""
    summary = done.summary
    if done.state_dir is None:
        return None, ""
    if summary.state != "incremental":
        return None, "not an incremental build"
    try:
        state = _load_state(done.state_dir)
    except FileNotFoundError:
        return None, "no GraphML state yet"
    except Exception as exc:  # a damaged pickle can raise nearly anything
        return None, f"GraphML state unreadable ({type(exc).__name__})"
    reused = summary.reused
    if state.key != state_key(done.key):
        return None, "GraphML state of another paperkg version"
    if state.papers != _papers_digest(done.digests[: reused * DIGEST_SIZE]):
        return None, "GraphML state of another build"
    if state.path != str(output.resolve()):
        return None, f"the last build wrote {state.path}"
    try:
        st = output.stat()
    except OSError:
        return None, f"{output} is gone"
    if (st.st_size, st.st_mtime_ns) != (state.size, state.mtime_ns):
        return None, f"{output} changed since the last build"
    return state, ""


def _save_state(folder: Path, state: OutputState) -> None:
    payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    with atomic_write(folder / STATE_FILE, "wb") as fh:
        fh.write(_MAGIC + hashlib.sha256(payload).digest() + payload)


def _load_state(folder: Path) -> OutputState:
    raw = (folder / STATE_FILE).read_bytes()
    digest, payload = raw[len(_MAGIC): len(_MAGIC) + 32], raw[len(_MAGIC) + 32:]
    if not raw.startswith(_MAGIC) or hashlib.sha256(payload).digest() != digest:
        raise ValueError("not a GraphML state, or damaged")
    with collector.paused():  # many small containers, no cycles
        state = pickle.loads(payload)
    if not isinstance(state, OutputState):
        raise ValueError("not a GraphML state")
    return state


def _write_full(done: FirstPass, output: Path) -> tuple[OutputState, _Render]:
    """Render every paper and write the whole file."""
    render = _Render()
    node_lengths, edge_lengths = array("Q"), array("Q")
    clock = time.perf_counter
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=output.parent) as nodes_tmp, \
            tempfile.TemporaryFile(dir=output.parent) as edges_tmp:
        t0 = clock()
        for ex, local in done.spool.records():
            nodes, edges = render.add(done, ex, local)
            nodes_tmp.write(nodes)
            edges_tmp.write(edges)
            node_lengths.append(len(nodes))
            edge_lengths.append(len(edges))
        t_read = clock() - t0 - render.busy()
        names = done.resolution.names()
        shared = render.shared_block(names)
        header = render.renderer.header().encode("utf-8")
        t0 = clock()
        with atomic_write(output, "wb") as out:
            out.write(header)
            _copy(nodes_tmp, 0, nodes_tmp.seek(0, os.SEEK_END), out)
            out.write(shared)
            _copy(edges_tmp, 0, edges_tmp.seek(0, os.SEEK_END), out)
            out.write(ElementRenderer.FOOTER.encode("utf-8"))
        t_file = clock() - t0
    _timings(done.summary, t_read, render, t_file)
    return _state_of(done, output, render, len(header), node_lengths, edge_lengths,
                     names), render


def _patch(done: FirstPass, output: Path,
           previous: OutputState) -> tuple[OutputState, _Render, str] | str:
    """Rewrite the file from the previous one: new papers and the old papers whose keys
    resolve differently now are rendered, every other block is copied. A string (why) when
    the file must be written in full after all."""
    summary, resolution = done.summary, done.resolution
    reused, total = summary.reused, done.spool.count
    clock = time.perf_counter
    t0 = clock()
    new_ids: list[str] = []
    records: dict[int, tuple[Extraction, dict[str, str]]] = {}
    for n in range(reused, total):
        records[n] = done.spool.record_at(n)
        new_ids.append(records[n][0].paper.id)
    if _duplicates_digest(done.duplicates, new_ids) != previous.duplicates:
        return "a duplicate record of an old paper is new or changed"
    old_map, new_map = previous.mapping, resolution._canonical
    changed = {k for k in old_map.keys() | new_map.keys() if old_map.get(k) != new_map.get(k)}
    dirty = previous.dirty(changed)
    summary.timed("graphml.dirty", clock() - t0)

    render = _Render(previous)
    old_resolution = Resolution(old_map, {})
    blocks: dict[int, tuple[bytes, bytes]] = {}
    t0, busy = clock(), render.busy()
    for n in dirty:
        blocks[n] = render.redo(done, old_resolution, *done.spool.record_at(n))
    for n in range(reused, total):
        blocks[n] = render.add(done, *records.pop(n))
    t_read = clock() - t0 - (render.busy() - busy)
    names = resolution.names()
    # rendered again: the shared nodes the parts changed (new ones included) and new names
    render.shared.touched.update(k for k, name in names.items() if previous.names.get(k) != name)
    rendered = render.render_touched(names)
    header = render.renderer.header().encode("utf-8")
    if render.renderer.declared[0] != previous.declared[0] or len(header) != previous.header:
        return "a property or type the last file did not have"

    t0 = clock()
    node_lengths, edge_lengths = array("Q", previous.node_lengths), array("Q", previous.edge_lengths)
    nodes_at = previous.header
    shared_at = nodes_at + sum(previous.node_lengths)
    edges_at = shared_at + sum(previous.shared_lengths)
    with open(output, "rb") as src, atomic_write(output, "wb") as out:
        out.write(header)
        _splice(src, nodes_at, previous.node_lengths, {n: b[0] for n, b in blocks.items()},
                node_lengths, out)
        render.patch_shared(previous, rendered, src, shared_at, out)
        _splice(src, edges_at, previous.edge_lengths, {n: b[1] for n, b in blocks.items()},
                edge_lengths, out)
        out.write(ElementRenderer.FOOTER.encode("utf-8"))
    _timings(summary, t_read, render, clock() - t0)
    state = _state_of(done, output, render, len(header), node_lengths, edge_lengths, names)
    note = (f"patched: {total - reused} papers added, {len(dirty)} old papers rewritten "
            f"(their entities resolved differently), {reused - len(dirty)} copied")
    return state, render, note


def _splice(src: IO[bytes], start: int, lengths: array, blocks: dict[int, bytes],
            new_lengths: array, out: IO[bytes]) -> None:
    """Write the blocks of one region: the old ones from `src` (the region starts at `start`,
    block n is `lengths[n]` long) except those in `blocks`, then the new papers' blocks;
    `new_lengths` gets the lengths written."""
    offsets = list(accumulate(lengths, initial=start))  # offsets[n]: where block n starts
    pos = start
    for n in sorted(b for b in blocks if b < len(lengths)):
        _copy(src, pos, offsets[n] - pos, out)
        out.write(blocks[n])
        new_lengths[n] = len(blocks[n])
        pos = offsets[n + 1]
    _copy(src, pos, offsets[len(lengths)] - pos, out)
    for n in sorted(b for b in blocks if b >= len(lengths)):
        out.write(blocks[n])
        new_lengths.append(len(blocks[n]))


def _copy(src: IO[bytes], offset: int, count: int, out: IO[bytes]) -> None:
    """Copy `count` bytes of `src` from `offset` to the end of `out`, in the kernel where it
    can (``copy_file_range``: no pass through Python, a reflink on filesystems that share
    blocks)."""
    if count <= 0:
        return
    out.flush()
    src_fd, out_fd = src.fileno(), out.fileno()
    with contextlib.suppress(OSError, AttributeError):
        while count > 0:
            copied = os.copy_file_range(src_fd, out_fd, count, offset)
            if copied == 0:
                break
            offset += copied
            count -= copied
    while count > 0:  # another filesystem, an old kernel: through a buffer
        block = os.pread(src_fd, min(_CHUNK, count), offset)
        if not block:
            raise OSError(f"{getattr(src, 'name', 'file')}: shorter than expected")
        out.write(block)
        offset += len(block)
        count -= len(block)


def _timings(summary, t_read: float, render: _Render, t_file: float) -> None:
    """`t_read`: the papers' loop less resolving, building and rendering (reading the records,
    merging duplicates, writing the blocks to temporary files)."""
    summary.timed("spool.read", t_read)
    summary.timed("resolve.apply", render.t_apply)
    summary.timed("graph.add", render.t_part)
    summary.timed("graphml.render", render.t_render)
    summary.timed("graphml.write", t_file)


def _state_of(done: FirstPass, output: Path, render: _Render, header: int, node_lengths: array,
              edge_lengths: array, names: dict[str, str]) -> OutputState:
    st = output.stat()
    return OutputState(
        key=state_key(done.key), papers=_papers_digest(done.digests), path=str(output.resolve()),
        size=st.st_size, mtime_ns=st.st_mtime_ns, header=header, node_lengths=node_lengths,
        shared_ids=render.shared_ids, shared_lengths=render.shared_lengths,
        edge_lengths=edge_lengths, declared=render.renderer.declared,
        mapping=done.resolution._canonical, names=names, key_names=render.key_names,
        consulted=render.consulted, consulted_ends=render.consulted_ends,
        shared_nodes=render.shared, nodes=render.nodes,
        relationships=render.relationships, duplicates=_duplicates_digest(done.duplicates),
        key_ids=render.key_ids,
    )


def build_graphml(sources: Iterable[str], extractor, output: str | os.PathLike, **options):
    """`kg build`'s main job with a GraphML file as the output: read, extract, resolve (the
    options of :func:`kg.run.first_pass`: aliases, skip_errors, jobs, batch_size, progress,
    incremental), then :func:`write_build_graphml`. Returns the run summary."""
    from kg.run import first_pass

    done = first_pass(sources, extractor, **options)
    write_build_graphml(done, output)
    return done.summary
