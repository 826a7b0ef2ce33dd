"""`kg entities` through CliRunner, on a GraphML file written by the project's writer."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.writers.graphml import write_graphml


def entity(g, key, label, name, aliases, papers, mentions):
    g.add_node(key, labels=f":{label}", label=name, id=key, name=name, aliases=aliases,
               paper_count=papers, mention_count=mentions)


@pytest.fixture
def graph_file(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("paper:1", labels=":Paper", label="A paper", id="paper:1", title="A paper")
    entity(g, "dataset:cifar-10", "Dataset", "CIFAR-10", ["CIFAR-10", "CIFAR10"], 3, 5)
    entity(g, "dataset:imagenet", "Dataset", "ImageNet", ["ImageNet"], 2, 2)
    entity(g, "dataset:imagenet-1k", "Dataset", "ImageNet-1k", ["ImageNet-1k"], 1, 1)
    entity(g, "method:dino", "Method", "DINO", ["DINO", "DINOv2"], 4, 6)
    entity(g, "task:machine-translation", "Task", "machine translation",
           ["machine translation", "neural machine translation"], 1, 2)
    g.add_edge("paper:1", "dataset:cifar-10", key="EVALUATES_ON", label="EVALUATES_ON")
    path = tmp_path / "g.graphml"
    write_graphml(g, path)
    return path


def run(*args):
    result = CliRunner().invoke(main, ["entities", *map(str, args)])
    return result


def test_lists_entities_most_papers_first(graph_file):
    result = run(graph_file)
    assert result.exit_code == 0, result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert lines[0].split()[:3] == ["papers", "mentions", "label"]
    ids = [l.split()[3] for l in lines[1:6]]
    assert ids == ["method:dino", "dataset:cifar-10", "dataset:imagenet", "task:machine-translation",
                   "dataset:imagenet-1k"]
    assert "[CIFAR10]" in result.output
    assert "paper:1" not in result.output


def test_filters_and_json(graph_file):
    result = run(graph_file, "--label", "dataset", "--min-papers", "2", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["entities"]
    assert [r["id"] for r in rows] == ["dataset:cifar-10", "dataset:imagenet"]
    assert rows[0] == {"id": "dataset:cifar-10", "label": "Dataset", "name": "CIFAR-10",
                       "paper_count": 3, "mention_count": 5, "aliases": ["CIFAR-10", "CIFAR10"]}


def test_alias_file_preview(graph_file, tmp_path):
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("dataset: ImageNet-1k = ImageNet\nmethod: DINO != DINOv2\n"
                       "dataset: CIFAR-10 = CIFAR10\ntask: parsing = tagging\n", encoding="utf-8")
    result = run(graph_file, "--aliases", aliases, "--json")
    assert result.exit_code == 0, result.output
    effects = {f["line"]: f["effect"] for f in json.loads(result.output)["aliases"]}
    assert effects == {1: "merge", 2: "split", 4: "not in graph"}  # line 3: one key, no pair


def test_bad_alias_file_is_an_input_error(graph_file, tmp_path):
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("dataset ImageNet\n", encoding="utf-8")
    result = run(graph_file, "--aliases", aliases)
    assert result.exit_code == 2
    assert f"{aliases}:1:" in result.output


def test_missing_graph(tmp_path):
    result = run(tmp_path / "none.graphml")
    assert result.exit_code != 0
    assert "none.graphml" in result.output
