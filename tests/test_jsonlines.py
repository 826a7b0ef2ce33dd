import pytest

from kg.errors import InputError
from kg.jsonlines import iter_objects


def test_objects_with_line_numbers_blank_lines_skipped(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n\n{"b": 2}\n', encoding="utf-8")
    assert list(iter_objects(path)) == [(1, {"a": 1}), (3, {"b": 2})]


@pytest.mark.parametrize("text,line,message", [
    ('{"a": 1}\n{oops}\n', 2, "not JSON"),
    ('{"a": 1}\n[1, 2]\n', 2, "JSON object per line"),
])
def test_bad_line_names_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "a.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        list(iter_objects(path))
    assert info.value.location == f"{path}:{line}"


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        list(iter_objects(tmp_path / "nope.jsonl"))
