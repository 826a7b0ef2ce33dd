"""`kg eval` through click's CliRunner on small gold files, with the rules extractor."""

import json

from click.testing import CliRunner

from kg.cli import main

ABSTRACT = "We evaluate on CIFAR-10 with ResNet. Our method outperforms ResNet by 2% in accuracy."
GOLD = {
    "id": "g1", "title": "", "abstract": ABSTRACT,
    "entities": [
        {"field": "abstract", "start": 15, "end": 23, "label": "Dataset", "text": "CIFAR-10"},
        {"field": "abstract", "start": 29, "end": 35, "label": "Method", "text": "ResNet"},
    ],
    "sentences": [{"start": 0, "end": 36, "label": "method"},
                  {"start": 37, "end": len(ABSTRACT), "label": "result"}],
}


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


def test_eval_json_with_predictions(tmp_path):
    gold = write(tmp_path / "gold.jsonl", [GOLD])
    pred = write(tmp_path / "pred.jsonl", [{
        "id": "g1", "title": "", "abstract": ABSTRACT,
        "entities": [{"label": "Dataset", "text": "CIFAR-10", "field": "abstract", "start": 15,
                      "end": 23, "key": "dataset:cifar-10", "role": "used", "confidence": 0.9}],
        "claims": [{"text": ABSTRACT[37:], "field": "abstract", "start": 37, "end": len(ABSTRACT),
                    "kind": "comparative", "about": [], "confidence": 0.8}],
    }])
    result = CliRunner().invoke(main, ["eval", gold, "--pred", pred, "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["entities"]["micro"]["precision"] == 1.0
    assert scores["entities"]["micro"]["recall"] == 0.5
    assert scores["claims"]["recall"] == 1.0


def test_eval_table_runs_the_extractor(tmp_path):
    gold = write(tmp_path / "gold.jsonl", [GOLD])
    result = CliRunner().invoke(main, ["eval", gold, "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    assert "micro" in result.output and "Dataset" in result.output and "claims" in result.output


def test_eval_bad_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    result = CliRunner().invoke(main, ["eval", str(bad), "--extractor", "rules"])
    assert result.exit_code == 2
    assert "bad.jsonl:1" in result.output
