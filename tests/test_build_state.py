"""kg.build_state: incremental rebuilds from the stored state, and every fallback to a full build.

The contract: whatever path a build takes, its GraphML bytes are those of a full build of the
same input with a fresh cache folder.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from kg import build_state
from kg.build_state import STATE_FILE
from kg.cache import CachedExtractor
from kg.extract import load_extractor
from kg.resolve import AliasTable
from kg.run import build, extract_resolved
from kg.writers.graphml import write_graphml

SEEDS = sorted((Path(__file__).resolve().parents[1] / "data" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def rules():
    return load_extractor("rules")


_ACRONYMS = [("Graph Convolutional Networks", "GCN"), ("Long Short-Term Memory", "LSTM"),
             ("Residual Attention Network", "RAN")]


def rows(start: int, n: int, **extra) -> list[dict]:
    """Papers whose entities merge across papers: the first six define the acronyms that the
    later ones only use, so the later papers' entities depend on the earlier papers' counts."""
    out = []
    for i in range(start, start + n):
        long_form, acronym = _ACRONYMS[i % 3]
        # the long form is the entity's name, and only the stored counts tie the acronym to it
        name = f"{long_form} ({acronym})" if i < 6 else acronym
        again = long_form if i < 6 else "the model"
        out.append({
            "id": f"p{i}", "title": f"Learning for Task {i % 4}",
            "abstract": (f"We train {name} on CIFAR-10 and ImageNet. {again} outperforms VGG "
                         f"by 3% accuracy on Image Classification. We also use BERT{i % 5} "
                         f"and {again}."),
            "authors": [f"Author {i}"], **extra})
    return out


def jsonl(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def graphml(sources: list[str], extractor, cache: Path | None, **kw) -> tuple[bytes, object]:
    ex = CachedExtractor(extractor, cache) if cache is not None else extractor
    graph, summary = build(sources, ex, **kw)
    out = io.BytesIO()
    write_graphml(graph, out)
    return out.getvalue(), summary


def reference(sources: list[str], extractor, tmp_path: Path, **kw) -> bytes:
    """A full build with a fresh cache folder."""
    folder = tmp_path / f"ref-{len(list(tmp_path.iterdir()))}"
    data, summary = graphml(sources, extractor, folder, **kw)
    assert summary.state == "full" and summary.reused == 0
    return data


def test_rebuild_with_new_papers_is_incremental_and_byte_identical(tmp_path, rules):
    cache = tmp_path / "cache"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 12))
    extra = jsonl(tmp_path / "extra.jsonl", rows(12, 5))
    first, summary = graphml([base], rules, cache)
    assert summary.state == "full" and "no build state yet" in summary.state_note
    assert (cache / STATE_FILE).is_file()

    again, summary = graphml([base, extra], rules, cache)
    assert summary.state == "incremental" and summary.reused == 12 and summary.papers == 17
    assert any("incremental, 12 papers reused" in line for line in summary.lines())
    assert {"state.load", "state.check", "state.save"} <= set(summary.timings)
    assert again == reference([base, extra], rules, tmp_path)
    # the stored records came from extractions, not from the cache: the same bytes as a
    # build that reads every paper from the warm cache
    (cache / STATE_FILE).unlink()
    hits, summary = graphml([base, extra], rules, cache)
    assert summary.state == "full" and hits == again
    # the new state covers all 17: the same input again reuses everything
    same, summary = graphml([base, extra], rules, cache)
    assert summary.state == "incremental" and summary.reused == 17 and same == again
    # and no temporary files are left in the cache folder
    assert not [f for f in os.listdir(cache) if f.endswith(".tmp")]


def test_only_the_new_papers_are_extracted_and_added(tmp_path, rules, monkeypatch):
    from kg.resolve import Resolver

    cache = tmp_path / "cache"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 10))
    extra = jsonl(tmp_path / "extra.jsonl", rows(10, 3))
    graphml([base], rules, cache)
    added: list[str] = []
    real = Resolver.add
    monkeypatch.setattr(Resolver, "add", lambda self, ex: added.append(ex.paper.id) or real(self, ex))
    cached = CachedExtractor(rules, cache)
    extractions, _, summary = extract_resolved([base, extra], cached)
    assert len(list(extractions)) == 13
    assert added == ["p10", "p11", "p12"]
    assert cached.stats.hits + cached.stats.misses == 3  # the old papers never reach the cache


def test_seed_listings_in_three_steps(tmp_path, rules):
    """Real listings, two incremental steps in a row (the state of an incremental build is
    itself resumable)."""
    cache = tmp_path / "cache"
    graphml([str(SEEDS[0])], rules, cache)
    _, second = graphml([str(s) for s in SEEDS[:3]], rules, cache)
    assert second.state == "incremental"
    data, summary = graphml([str(s) for s in SEEDS], rules, cache)
    assert summary.state == "incremental" and summary.reused == second.papers < summary.papers
    assert summary.duplicates  # the listings share papers: merged as in a full build
    assert data == reference([str(s) for s in SEEDS], rules, tmp_path)


def test_duplicates_of_old_papers_merge_as_in_a_full_build(tmp_path, rules):
    """Duplicate records are merged in the second pass from what was read this time, so a
    later record of an old paper (new authors, a source) needs no full build."""
    cache = tmp_path / "cache"
    old = rows(0, 8)
    base = jsonl(tmp_path / "base.jsonl", old + [dict(old[2], authors=["Someone Else"])])
    graphml([base], rules, cache)
    extra = jsonl(tmp_path / "extra.jsonl",
                  rows(8, 3) + [dict(old[5], authors=["Late Author"], published="2024-01-01")])
    data, summary = graphml([base, extra], rules, cache)
    assert summary.state == "incremental" and summary.duplicates == 2
    assert data == reference([base, extra], rules, tmp_path)


def _changes(tmp_path: Path) -> dict[str, list[dict]]:
    old = rows(0, 10)
    new = rows(10, 3)
    return {
        "removed": old[:4] + old[5:] + new,
        "changed abstract": old[:3] + [dict(old[3], abstract="We study GANs (GAN) now.")] + old[4:] + new,
        "changed authors": old[:6] + [dict(old[6], authors=["Other Person"])] + old[7:] + new,
        "changed date": old[:6] + [dict(old[6], published="2020-02-02")] + old[7:] + new,
        "reordered": [old[1], old[0]] + old[2:] + new,
        "new paper first": new[:1] + old + new[1:],
        "fewer papers": old[:7],
    }


@pytest.mark.parametrize("change", list(_changes(Path("."))))
def test_any_other_change_falls_back_to_a_full_build(tmp_path, rules, change):
    cache = tmp_path / "cache"
    graphml([jsonl(tmp_path / "base.jsonl", rows(0, 10))], rules, cache)
    src = jsonl(tmp_path / "now.jsonl", _changes(tmp_path)[change])
    data, summary = graphml([src], rules, cache)
    assert summary.state == "full" and summary.reused == 0, summary.state_note
    assert summary.state_note and summary.papers == len(_changes(tmp_path)[change])
    assert not summary.skipped and summary.entries == summary.papers  # counted once, not twice
    assert any(line.startswith("build: full (") for line in summary.lines())
    assert data == reference([src], rules, tmp_path)
    # the fallback stored a fresh state: the same input again is incremental
    _, summary = graphml([src], rules, cache)
    assert summary.state == "incremental"


def test_another_alias_file_or_extractor_version_falls_back(tmp_path, rules):
    cache = tmp_path / "cache"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 10))
    extra = jsonl(tmp_path / "extra.jsonl", rows(10, 2))
    graphml([base], rules, cache)
    aliases = AliasTable.from_lines(["method: VGG = Residual Networks"])
    data, summary = graphml([base, extra], rules, cache, aliases=aliases)
    assert summary.state == "full" and "alias" in summary.state_note
    assert data == reference([base, extra], rules, tmp_path, aliases=aliases)
    # ... and back without the alias file: the state now is the aliased one's
    _, summary = graphml([base, extra], rules, cache)
    assert summary.state == "full"

    class Renamed:  # the same extraction under another version: its state is not this one's
        name, version, cache_version = rules.name, "other-1", "other-1"

        def extract(self, papers, **kw):
            return rules.extract(papers, **kw)

    _, summary = graphml([base, extra], Renamed(), cache)
    assert summary.state == "full" and "extractor version" in summary.state_note


def test_a_change_of_the_resolver_code_changes_the_key(monkeypatch):
    key = build_state.state_key("v1", None)
    assert key == build_state.state_key("v1", None)
    assert key != build_state.state_key("v2", None)
    assert key != build_state.state_key("v1", AliasTable.from_lines(["method: A B = C D"]))
    monkeypatch.setattr(build_state, "code_digest", lambda: "edited")
    assert key != build_state.state_key("v1", None)


def _corrupt(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        del data[len(data) * 2 // 3:]
    elif how == "empty":
        data = bytearray()
    elif how == "garbage":
        data = bytearray(b"not a state at all\n" * 40)
    elif how == "record byte":  # inside the records region: only its digest can tell
        data[len(data) // 3] ^= 0x01
    elif how == "tail byte":  # inside the resolver's counts
        data[-200] ^= 0x01
    elif how == "header length":
        data[len(build_state._MAGIC) + 3] ^= 0xFF
    elif how == "header":  # a digit of the key
        data[data.index(b'"key"') + 12] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "empty", "garbage", "record byte", "tail byte",
                                 "header length", "header"])
def test_a_damaged_state_gives_a_full_build_with_a_note(tmp_path, rules, how):
    cache = tmp_path / "cache"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 10))
    extra = jsonl(tmp_path / "extra.jsonl", rows(10, 2))
    graphml([base], rules, cache)
    _corrupt(cache / STATE_FILE, how)
    data, summary = graphml([base, extra], rules, cache)
    assert summary.state == "full" and summary.state_note
    assert data == reference([base, extra], rules, tmp_path)
    _, summary = graphml([base, extra], rules, cache)  # and the state is whole again
    assert summary.state == "incremental"


def test_turned_off_or_stdin_or_no_cache(tmp_path, rules, monkeypatch):
    cache = tmp_path / "cache"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 6))
    graphml([base], rules, cache)
    extractions, _, summary = extract_resolved([base], CachedExtractor(rules, cache),
                                               incremental=False)
    list(extractions)
    assert summary.state == "full" and "turned off" in summary.state_note
    stdin = io.TextIOWrapper(io.BytesIO(Path(base).read_bytes()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    _, summary = graphml(["-"], rules, cache)
    assert summary.state == "" and "stdin" in summary.state_note
    assert "build: full (stdin is among the sources: no build state)" in summary.lines()
    _, summary = graphml([base], rules, None)
    assert summary.state == "" and not any(line.startswith("build:") for line in summary.lines())


def test_a_failed_build_leaves_the_previous_state_and_no_temporary_file(tmp_path, rules):
    cache = tmp_path / "cache"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 6))
    graphml([base], rules, cache)
    before = (cache / STATE_FILE).read_bytes()

    class Failing:
        name, version, cache_version = rules.name, rules.version, CachedExtractor(rules, cache).cache_version

        def extract(self, papers, **kw):
            for i, ex in enumerate(rules.extract(papers, **kw)):
                if i == 1:
                    raise RuntimeError("extractor crashed")
                yield ex

    bad = jsonl(tmp_path / "more.jsonl", rows(100, 4))
    with pytest.raises(RuntimeError):
        graphml([base, bad], Failing(), cache)
    assert (cache / STATE_FILE).read_bytes() == before
    assert sorted(os.listdir(cache)) == sorted([STATE_FILE, "extractions.sqlite",
                                                *[f for f in os.listdir(cache) if "sqlite-" in f]])


def test_paper_digest_covers_every_field():
    from dataclasses import fields

    from kg.models import Paper

    paper = Paper(id="a", title="t", abstract="x", authors=["A"], published="2020", url="u",
                  categories=["cs.LG"], sources=["f:1"], meta={"k": 1})
    digest = build_state.paper_digest(paper)
    for f in fields(Paper):
        value = getattr(paper, f.name)
        other = Paper(**{**vars(paper), f.name: value + ["z"] if isinstance(value, list)
                         else {"k": 2} if isinstance(value, dict) else str(value) + "z"})
        assert build_state.paper_digest(other) != digest, f.name


def test_kg_extract_output_is_the_same_incremental_or_full(tmp_path, rules):
    """`kg extract --cache` goes through the same state: the same JSONL either way."""
    from click.testing import CliRunner

    from kg.cli.extract import command

    base = jsonl(tmp_path / "base.jsonl", rows(0, 8))
    extra = jsonl(tmp_path / "extra.jsonl", rows(8, 3))
    runner = CliRunner()
    outputs = []
    for cache, sources in (("c1", [base]), ("c1", [base, extra]), ("c2", [base, extra])):
        out = tmp_path / f"{cache}-{len(sources)}.jsonl"
        result = runner.invoke(command, [*sources, "-o", str(out), "--extractor", "rules",
                                         "--cache", str(tmp_path / cache)])
        assert result.exit_code == 0, result.output
        outputs.append((out.read_bytes(), result.output))
    assert "build: incremental, 8 papers reused" in outputs[1][1]
    assert "build: full (no build state yet)" in outputs[2][1]
    assert outputs[1][0] == outputs[2][0]


def test_a_state_that_cannot_be_stored_leaves_the_build_whole(tmp_path, rules, monkeypatch):
    cache = tmp_path / "cache"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 6))
    extra = jsonl(tmp_path / "extra.jsonl", rows(6, 2))
    graphml([base], rules, cache)
    expected = reference([base, extra], rules, tmp_path)
    real = os.replace

    def refuse(src, dst):
        if str(dst).endswith(STATE_FILE):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(build_state.os, "replace", refuse)
    data, summary = graphml([base, extra], rules, cache)
    assert summary.state == "incremental" and "No space left" in summary.state_error
    assert any("cannot store the build state" in line for line in summary.lines())
    assert data == expected
    assert not [f for f in os.listdir(cache) if f.endswith(".tmp")]

    def no_temp(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(build_state.tempfile, "mkstemp", no_temp)
    data, summary = graphml([base, extra], rules, cache)
    assert summary.state == "" and "Permission denied" in summary.state_note
    assert data == expected


def test_the_stored_resolver_counts_are_those_of_the_papers_read(tmp_path, rules):
    """The state holds the resolver as a full build leaves it before finish(): the same
    counts as adding every paper again, and finish() then gives the same resolution."""
    from kg.readers import read_papers
    from kg.resolve import Resolver

    cache = tmp_path / "cache"
    base = jsonl(tmp_path / "base.jsonl", rows(0, 10))
    graphml([base], rules, cache)
    key = build_state.state_key(CachedExtractor(rules, cache).cache_version, None)
    stored = build_state.load_state(cache, key)
    assert stored.count == 10
    loaded = stored.resolver(None)
    fresh = Resolver()
    for ex in rules.extract(read_papers([base])):
        fresh.add(ex)

    def counts(resolver):
        return {k: v for k, v in vars(resolver).items() if k != "aliases"}

    assert counts(loaded) == counts(fresh) and counts(fresh)["_papers"]
    assert loaded.finish().entities == fresh.finish().entities
