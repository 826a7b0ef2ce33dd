"""`kg build`, `kg extract` and `kg stats` through click's CliRunner, on real files."""

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphio import read_graph

LISTING = """new

Get trending papers in your email inbox!

Subscribe

Mar 14

FedHyper: A Universal Learning Rate Scheduler for Federated Learning

We propose FedHyper, a hypergradient-based learning rate scheduler for federated learning. Experiments on CIFAR-10 show that FedHyper outperforms FedAvg by 3% in accuracy. Code is at https://github.com/abc/fedhyper.

Mar 13

Cluster-Aware DINO for Speaker Verification

We adopt the self-distillation with no labels (DINO) framework for speaker verification. DINO is trained on VoxCeleb and reaches an equal error rate of 1.2%.
"""


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def listing(tmp_path):
    path = tmp_path / "listing.txt"
    path.write_text(LISTING, encoding="utf-8")
    return path


def build(runner, *args):
    return runner.invoke(main, ["build", *map(str, args), "--extractor", "rules"])


def test_build_writes_graphml_and_summary(runner, listing, tmp_path):
    out = tmp_path / "g.graphml"
    result = build(runner, listing, "-o", out)
    assert result.exit_code == 0, result.output
    graph = read_graph(out)
    papers = [n for n, d in graph.nodes(data=True) if d["labels"] == ":Paper"]
    assert len(papers) == 2
    assert "paper entries: 2" in result.output
    assert "distinct papers: 2" in result.output
    assert "Paper: 2" in result.output


def test_same_paper_in_two_files_is_one_node(runner, listing, tmp_path):
    copy = tmp_path / "again.txt"
    copy.write_text(LISTING, encoding="utf-8")
    out = tmp_path / "g.graphml"
    result = build(runner, listing, copy, "-o", out)
    assert result.exit_code == 0, result.output
    assert "paper entries: 4" in result.output
    assert "distinct papers: 2" in result.output
    graph = read_graph(out)
    paper = next(d for _, d in graph.nodes(data=True) if d.get("title", "").startswith("FedHyper"))
    assert {s.rsplit(":", 1)[0] for s in paper["sources"]} == {str(listing), str(copy)}


def test_second_build_gives_the_same_graph(runner, listing, tmp_path):
    a, b = tmp_path / "a.graphml", tmp_path / "b.graphml"
    assert build(runner, listing, "-o", a).exit_code == 0
    assert build(runner, listing, "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_cached_rebuild_says_whether_it_was_incremental(runner, listing, tmp_path):
    cache, more = tmp_path / "cache", tmp_path / "more.txt"
    more.write_text(LISTING.replace("FedHyper", "FedLater").replace("DINO", "NINO"), encoding="utf-8")
    first = build(runner, listing, "--cache", cache, "-o", tmp_path / "1.graphml")
    assert first.exit_code == 0, first.output
    assert "build: full (no build state yet); build state stored" in first.output
    again = build(runner, listing, more, "--cache", cache, "-o", tmp_path / "2.graphml")
    assert "build: incremental, 2 papers reused from the build state, 2 new" in again.output
    # another output file than last time: written in full
    assert f"graphml: written in full (the last build wrote {tmp_path / '1.graphml'})" in again.output
    full = build(runner, listing, more, "--cache", cache, "--no-incremental", "-o", tmp_path / "3.graphml")
    assert "build: full (incremental builds turned off); build state stored" in full.output
    assert (tmp_path / "2.graphml").read_bytes() == (tmp_path / "3.graphml").read_bytes()


def test_cached_rebuild_patches_the_graphml_file(runner, listing, tmp_path):
    cache, more, out = tmp_path / "cache", tmp_path / "more.txt", tmp_path / "g.graphml"
    more.write_text(LISTING.replace("FedHyper", "FedLater").replace("DINO", "NINO"), encoding="utf-8")
    assert build(runner, listing, "--cache", cache, "-o", out).exit_code == 0
    again = build(runner, listing, more, "--cache", cache, "-o", out)
    assert again.exit_code == 0, again.output
    assert "graphml: patched: 2 papers added, 0 old papers rewritten" in again.output
    graph = read_graph(out)
    titles = {d.get("title") for _, d in graph.nodes(data=True) if d["labels"] == ":Paper"}
    assert any(t.startswith("FedLater") for t in titles) and len(titles) == 4


def test_build_writes_other_formats_straight_from_memory(runner, listing, tmp_path):
    graphml, gexf, folder = tmp_path / "g.graphml", tmp_path / "g.gexf", tmp_path / "import"
    assert build(runner, listing, "-o", graphml).exit_code == 0
    graph = read_graph(graphml)
    result = build(runner, listing, "-f", "csv", "-o", folder)
    assert result.exit_code == 0, result.output
    assert f"wrote csv {folder}" in result.output
    assert (folder / "import.sh").exists()
    # one row per node across the per-label files, the same nodes as the GraphML build
    rows = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1
               for f in (folder / "nodes").glob("*.csv"))
    assert rows == graph.number_of_nodes()
    assert build(runner, listing, "-o", gexf).exit_code == 0  # the suffix picks the format
    assert gexf.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "gexf" in gexf.read_text(encoding="utf-8")[:400]


def test_bad_json_line_names_file_and_line(runner, tmp_path):
    bad = tmp_path / "papers.jsonl"
    bad.write_text('{"title": "A", "abstract": "B."}\n{"title": oops}\n', encoding="utf-8")
    result = build(runner, bad, "-o", tmp_path / "g.graphml")
    assert result.exit_code == 2
    assert f"{bad}:2" in result.output
    assert not (tmp_path / "g.graphml").exists()


def test_skip_errors_counts_and_lists_the_bad_record(runner, tmp_path):
    bad = tmp_path / "papers.jsonl"
    bad.write_text('{"title": "A paper", "abstract": "We study graphs."}\n{"title": oops}\n'
                   '{"title": "", "abstract": ""}\n', encoding="utf-8")
    result = build(runner, bad, "-o", tmp_path / "g.graphml", "--skip-errors")
    assert result.exit_code == 0, result.output
    assert "records skipped: 2" in result.output
    assert f"{bad}:2" in result.output and f"{bad}:3" in result.output


def test_missing_file_is_an_error(runner, tmp_path):
    result = build(runner, tmp_path / "nope.txt", "-o", tmp_path / "g.graphml")
    assert result.exit_code == 2
    assert "nope.txt" in result.output


def test_extract_writes_design_jsonl(runner, tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text(json.dumps({"id": "scierc:X1", "title": "",
                                  "abstract": "We evaluate BERT on SQuAD and report F1."}) + "\n")
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(main, ["extract", str(papers), "-o", str(out), "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["id"] == "scierc:X1"
    for ent in record["entities"]:
        assert record[ent["field"]][ent["start"]:ent["end"]] == ent["text"]
        assert ent["label"] in {"Method", "Dataset", "Task", "Metric"}
        assert ent["key"].startswith(ent["label"].lower() + ":")


def test_stats_counts_labels(runner, listing, tmp_path):
    out = tmp_path / "g.graphml"
    assert build(runner, listing, "-o", out).exit_code == 0
    result = runner.invoke(main, ["stats", str(out), "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["nodes"]["Paper"] == 2
    assert stats["relationship_total"] == sum(stats["relationships"].values())


def test_every_command_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in main.commands:
        assert f"kg {name}" in readme, f"`kg {name}` is not documented in README.md"
