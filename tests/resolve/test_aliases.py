"""Alias files: syntax, keys, and errors that name the file and line."""

import pytest

from kg.errors import InputError
from kg.resolve import AliasTable

GOOD = """\
# corrections for the sample graph
dataset: ImageNet-1k = ImageNet          # what everyone means
Method: DINO != DINOv2
method: GPT-4 = GPT4 = gpt-4-0613

task: SR = super-resolution
metric: top-1 accuracy != top-5 accuracy != accuracy
"""


def test_parse_good_file(tmp_path):
    path = tmp_path / "aliases.txt"
    path.write_text(GOOD, encoding="utf-8")
    table = AliasTable.from_file(path)
    same = {(r.a, r.b, r.line) for r in table.same}
    different = {(r.a, r.b, r.line) for r in table.different}
    assert ("dataset:imagenet-1k", "dataset:imagenet", 2) in same
    assert ("method:gpt-4", "method:gpt-4-0613", 4) in same
    assert ("task:sr", "task:super-resolution", 6) in same
    assert ("method:dino", "method:dino-v2", 3) in different
    # a chain of != keeps every pair apart
    assert {(a, b) for a, b, line in different if line == 7} == {
        ("metric:top-1-accuracy", "metric:top-5-accuracy"),
        ("metric:top-1-accuracy", "metric:accuracy"),
        ("metric:top-5-accuracy", "metric:accuracy"),
    }
    # "GPT-4 = GPT4": the same key already, nothing to record
    assert not any(r.a == r.b for r in table.same)
    assert all(r.source == str(path) for r in table.same + table.different)


@pytest.mark.parametrize("line,message", [
    ("ImageNet = ImageNet-1k", "expected 'label: name"),
    ("model: A = B", "unknown label"),
    ("method: A = B != C", "not both or neither"),
    ("method: A B", "not both or neither"),
    ("method: A = ", "empty name"),
    ("method: our method = LoRA", "generic phrase"),
    ("dataset: CIFAR10 != CIFAR-10", "cannot be told apart"),
])
def test_bad_lines_name_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.txt"
    path.write_text("# header\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        AliasTable.from_file(path)
    assert err.value.source == str(path)
    assert err.value.line == 3
    assert message in str(err.value)


def test_contradiction_through_a_chain():
    lines = ["method: A1 = B1", "method: B1 = C1", "method: A1 != C1"]
    with pytest.raises(InputError) as err:
        AliasTable.from_lines(lines, source="x.txt")
    assert err.value.line == 3
    assert "also declared the same" in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as err:
        AliasTable.from_file(tmp_path / "nope.txt")
    assert "nope.txt" in str(err.value)


def test_labels_by_name_or_prefix_in_any_case():
    table = AliasTable.from_lines(["DATASET: COCO = MS COCO", "dataset: VOC = PASCAL VOC"])
    assert [r.a.split(":")[0] for r in table.same] == ["dataset", "dataset"]
    assert len(table) == 2
