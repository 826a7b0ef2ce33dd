"""read_papers and dedupe: sources (files, folders, globs, stdin), format choice, merging,
and every kind of bad input, with and without skip_errors."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.models import Skipped
from kg.readers import ReadStats, dedupe, read_papers

TITLE_A = "Pointer Networks"
ABS_A = ("We introduce a new neural architecture to learn the conditional probability of an "
         "output sequence with elements that are discrete tokens corresponding to positions.")
TITLE_B = "Adam: A Method for Stochastic Optimization"
ABS_B = ("We introduce Adam, an algorithm for first-order gradient-based optimization of "
         "stochastic objective functions, based on adaptive estimates of lower-order moments.")
LISTING = f"new\n\nSubscribe\n\nMar 14\n\n{TITLE_A}\n\n{ABS_A}\n\n{TITLE_B}\n\n{ABS_B}\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def titles(papers) -> list[str]:
    return [p.title for p in papers]


# --- sources -------------------------------------------------------------------------------


def test_files_folders_and_globs(tmp_path, monkeypatch):
    write(tmp_path / "a" / "one.txt", LISTING)
    write(tmp_path / "a" / "sub" / "two.jsonl", jsonl({"title": "T2", "abstract": "A2."}))
    write(tmp_path / "a" / "notes.md", "not read: no registered suffix")
    write(tmp_path / "a" / ".hidden.txt", "not read: hidden")
    write(tmp_path / "b" / "three.jsonl", jsonl({"title": "T3", "abstract": "A3."}))
    write(tmp_path / "b" / "README.md", "not read: globs keep registered suffixes only")
    monkeypatch.chdir(tmp_path)
    stats = ReadStats()
    papers = list(read_papers(["a", "b/*"], stats=stats))
    assert titles(papers) == [TITLE_A, TITLE_B, "T2", "T3"]
    assert stats.files == 3 and stats.entries == 4
    assert stats.per_file == {"a/one.txt": 2, "a/sub/two.jsonl": 1, "b/three.jsonl": 1}
    assert papers[0].sources == ["a/one.txt:7"] and papers[2].sources == ["a/sub/two.jsonl:1"]


def test_single_string_and_path_sources(tmp_path):
    path = write(tmp_path / "one.txt", LISTING)
    assert titles(read_papers(str(path))) == [TITLE_A, TITLE_B]
    assert titles(read_papers([path])) == [TITLE_A, TITLE_B]


def test_same_file_named_twice_is_read_once(tmp_path):
    path = write(tmp_path / "one.txt", LISTING)
    stats = ReadStats()
    assert len(list(read_papers([str(tmp_path), str(path)], stats=stats))) == 2
    assert stats.files == 1


@pytest.mark.parametrize("content, expected", [
    (LISTING, [TITLE_A, TITLE_B]),
    ("\n  " + jsonl({"title": "T", "abstract": "A."}), ["T"]),
])
def test_stdin_format_is_detected(monkeypatch, content, expected):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(content.encode())))
    papers = list(read_papers(["-"]))
    assert titles(papers) == expected
    assert papers[0].sources[0].startswith("<stdin>:")


def test_unknown_suffix_is_sniffed(tmp_path):
    write(tmp_path / "papers.json", jsonl({"title": "T", "abstract": "A."}))
    write(tmp_path / "capture.md", LISTING)
    found = read_papers([str(tmp_path / "papers.json"), str(tmp_path / "capture.md")])
    assert titles(found) == ["T", TITLE_A, TITLE_B]


def test_bom_and_crlf_are_fine(tmp_path):
    listing = write(tmp_path / "crlf.txt", b"\xef\xbb\xbf" + LISTING.replace("\n", "\r\n").encode())
    lines = write(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + jsonl(
        {"title": "T\u00e9", "abstract": "A."}).replace("\n", "\r\n").encode())
    papers = list(read_papers([str(listing), str(lines)]))
    assert [(p.title, p.abstract) for p in papers] == [(TITLE_A, ABS_A), (TITLE_B, ABS_B),
                                                        ("T\u00e9", "A.")]


def test_unicode_listing(tmp_path):
    title = "Schrödinger Bridges for Ünsupervised Translation — a Study of 𝛽-VAEs"
    path = write(tmp_path / "u.txt", f"Subscribe\n{title}\n{ABS_A} Über alles.\n")
    assert [(p.title, p.abstract) for p in read_papers([str(path)])] == [
        (title, f"{ABS_A} Über alles.")]


# --- dedupe --------------------------------------------------------------------------------


def test_duplicates_across_files_are_merged_with_every_source(tmp_path):
    write(tmp_path / "1.txt", LISTING)
    write(tmp_path / "2.txt", f"{TITLE_B.upper()}\n{ABS_B}\n")  # same title, other case
    write(tmp_path / "3.jsonl", jsonl(
        {"title": TITLE_A, "abstract": ABS_A, "authors": ["O. Vinyals"], "published": "2015"}))
    stats = ReadStats()
    merged = list(dedupe(read_papers([str(tmp_path)], stats=stats), stats=stats))
    assert (stats.entries, stats.papers, stats.duplicates) == (4, 2, 2)
    a, b = merged
    assert a.title == TITLE_A and a.authors == ["O. Vinyals"] and a.published == "2015"
    assert a.sources == [f"{tmp_path}/1.txt:7", f"{tmp_path}/3.jsonl:1"]
    assert b.sources == [f"{tmp_path}/1.txt:11", f"{tmp_path}/2.txt:1"]


def test_dedupe_by_title_folds_hash_ids_into_arxiv_ids(tmp_path):
    write(tmp_path / "1.txt", LISTING)
    write(tmp_path / "2.jsonl", jsonl({"id": "1506.03134", "title": "Pointer networks",
                                       "abstract": ABS_A}))
    papers = list(read_papers([str(tmp_path)]))
    assert len(list(dedupe(papers))) == 3  # by id only: the listing entry is paper:…
    merged = list(dedupe(read_papers([str(tmp_path)]), by_title=True))
    assert [p.id for p in merged] == ["arxiv:1506.03134", merged[1].id]  # first seen first
    assert merged[0].title == "Pointer networks" and merged[1].title == TITLE_B
    assert merged[0].sources == [f"{tmp_path}/2.jsonl:1", f"{tmp_path}/1.txt:7"]


# --- bad input -----------------------------------------------------------------------------

GOOD_JSONL = jsonl({"title": "Good", "abstract": "A good paper."})


def bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str, int | None]]:
    """name -> (sources, message part, line) for every kind of bad input."""
    cases = {
        "missing": ([str(tmp / "nope.txt")], "no such file or folder", None),
        "glob without match": ([str(tmp / "nothing-*.jsonl")], "matches this pattern", None),
        "binary": ([str(write(tmp / "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"))],
                   "binary file", None),
        "utf-16": ([str(write(tmp / "u16.txt", LISTING.encode("utf-16")))], "UTF-16", None),
        "empty": ([str(write(tmp / "empty.txt", b""))], "empty file", None),
        "blank": ([str(write(tmp / "blank.jsonl", "\n  \r\n\n"))], "empty file", None),
        "latin-1 listing": ([str(write(tmp / "l1.txt", LISTING.replace("Adam", "Adäm")
                                       .encode("latin-1")))], "not UTF-8", 11),
        "latin-1 jsonl": ([str(write(tmp / "l1.jsonl", GOOD_JSONL.encode() + '{"title": "Über"}\n'
                                     .encode("latin-1")))], "not UTF-8", 2),
        "malformed json": ([str(write(tmp / "m.jsonl", GOOD_JSONL + '{"title": "x",\n'))],
                           "malformed JSON", 2),
        "not an object": ([str(write(tmp / "n.jsonl", GOOD_JSONL + "\n[1, 2]\n"))],
                          "JSON array where a paper object was expected", 3),
        "no title nor abstract": ([str(write(tmp / "t.jsonl", '{"title": "", "abstract": ""}\n'
                                             + GOOD_JSONL))], "neither a title nor an abstract", 1),
        "listing without papers": ([str(write(tmp / "p.txt", "new\nSubscribe\nMar 14\nHello\n"))],
                                   "no paper found", None),
    }
    folder = tmp / "empty-folder"
    write(folder / "readme.md", "nothing readable here")
    cases["folder with nothing readable"] = ([str(folder)], "folder holds no readable file", None)
    return cases


CASES = sorted(bad_inputs(Path("/nonexistent")).keys())


@pytest.mark.parametrize("case", CASES)
def test_bad_input_raises_naming_file_and_line(tmp_path, case):
    sources, message, line = bad_inputs(tmp_path)[case]
    with pytest.raises(InputError) as err:
        list(read_papers(sources))
    assert message in err.value.reason
    assert err.value.source == sources[0]
    assert err.value.line == line
    assert str(err.value).startswith(sources[0] + (f":{line}" if line else "") + ": ")


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_skipped_and_recorded(tmp_path, case):
    sources, message, line = bad_inputs(tmp_path)[case]
    good = write(tmp_path / "good" / "good.jsonl", GOOD_JSONL)
    skipped: list[Skipped] = []
    stats = ReadStats()
    papers = list(read_papers([*sources, str(good)], skip_errors=True, skipped=skipped,
                              stats=stats))
    location = f"{sources[0]}:{line}" if line else sources[0]
    errors = [s for s in skipped if not s.reason.startswith("listing:")]  # not the notes
    assert len(errors) == 1 and errors[0].source == location and message in errors[0].reason
    assert stats.skipped == 1 and len(skipped) == 1 + stats.notes
    # the good records of the bad file and the good file are still read
    assert "Good" in titles(papers)
    assert stats.entries == len(papers)


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.txt", LISTING)
    path.chmod(0)
    if os.access(path, os.R_OK):  # running as root: permissions do not stop us, fake it
        def deny(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr("kg.readers.sources.open", deny, raising=False)
    with pytest.raises(InputError, match="cannot read: Permission denied"):
        list(read_papers([str(path)]))
    skipped: list[Skipped] = []
    assert list(read_papers([str(path)], skip_errors=True, skipped=skipped)) == []
    assert skipped == [Skipped(str(path), "cannot read: Permission denied")]


def test_stray_listing_lines_are_recorded_even_without_skip_errors(tmp_path):
    path = write(tmp_path / "x.txt", f"Trending This Week\n{TITLE_A}\n{ABS_A}\n")
    skipped: list[Skipped] = []
    stats = ReadStats()
    assert titles(read_papers([str(path)], skipped=skipped, stats=stats)) == [TITLE_A]
    assert [s.source for s in skipped] == [f"{path}:1"] and stats.notes == 1


def test_skip_errors_needs_somewhere_to_record():
    with pytest.raises(ValueError):
        list(read_papers(["x"], skip_errors=True))
