"""The five sample captures in data/seeds, against counts made by hand (reading each file:
a title line, then its abstract line, after the page furniture at the top)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from kg.models import Skipped
from kg.readers import ReadStats, dedupe, read_papers
from kg.readers.listing import parse

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"

# file -> (paper entries counted by hand, line of the first title, first title, last title)
HAND_COUNTS = {
    "000_b381da6d294fff40.txt": (73, 11, "FedHyper: A Universal and Robust Learning Rate "
                                 "Scheduler for Federated Learning with Hypergradient Descent",
                                 "Less is more: Summarizing Patch Tokens for efficient "
                                 "Multi-Label Class-Incremental Learning"),
    "001_3304936232099191.txt": (58, 11, "Model Breadcrumbs: Scaling Multi-Task Model Merging "
                                 "with Sparse Masks",
                                 "Studying Large Language Model Generalization with Influence "
                                 "Functions"),
    "002_4b676b0b5988efc2.txt": (63, 11, "Global Convergence of Sub-gradient Method for Robust "
                                 "Matrix Recovery: Small Initialization, Noisy Measurements, and "
                                 "Over-parameterization",
                                 "Applying Spatiotemporal Attention to Identify Distracted and "
                                 "Drowsy Driving with Vision Transformers"),
    # no blank lines; the first title is glued to "Subscribe"
    "003_5eaaf6d3536e8bfe.txt": (197, 3, "Fair Densities via Boosting the Sufficient Statistics "
                                 "of Exponential Families",
                                 "Active Testing: Sample-Efficient Model Evaluation"),
    "004_b0f1f230b39cbbb7.txt": (52, 11, "Weak-to-Strong Generalization: Eliciting Strong "
                                 "Capabilities With Weak Supervision",
                                 "Shrinking Class Space for Enhanced Certainty in "
                                 "Semi-Supervised Learning"),
}
TOTAL_ENTRIES = 443  # sum of the above
DISTINCT_PAPERS = 402  # distinct titles among them (`sort -u` of the title lines)


@pytest.fixture(scope="module")
def seed_papers():
    stats, skipped = ReadStats(), []
    papers = list(read_papers([str(SEEDS)], stats=stats, skipped=skipped))
    return papers, stats, skipped


@pytest.mark.parametrize("name", sorted(HAND_COUNTS))
def test_each_file_matches_the_hand_count(name, seed_papers):
    count, first_line, first_title, last_title = HAND_COUNTS[name]
    papers = [p for p in seed_papers[0] if Path(p.sources[0].rsplit(":", 1)[0]).name == name]
    assert len(papers) == count
    assert papers[0].title == first_title
    assert papers[0].sources[0].endswith(f"{name}:{first_line}")
    assert papers[-1].title == last_title


def test_titles_and_abstracts_are_the_page_lines_exactly(seed_papers):
    files = {p: p.read_text(encoding="utf-8").split("\n") for p in SEEDS.glob("*.txt")}
    for paper in seed_papers[0]:
        path, line = paper.sources[0].rsplit(":", 1)
        lines = files[Path(path)]
        title_line = lines[int(line) - 1]
        assert title_line in (paper.title, "Subscribe" + paper.title)
        following = [x for x in lines[int(line):] if x.strip()]
        assert following[0] == paper.abstract  # the whole abstract, nothing cut or added
        assert len(paper.abstract) > 400


def test_no_furniture_or_stray_line_is_read(seed_papers):
    papers, stats, skipped = seed_papers
    assert skipped == [] and stats.notes == 0 and stats.skipped == 0
    furniture = {"new", "Subscribe", "Mar 14", "Mar 11", "Mar 12",
                 "byAK and the research community"}
    assert not any(p.title in furniture or p.title.startswith("Get trending") for p in papers)
    assert not any(p.title.startswith("Subscribe") for p in papers)


def test_totals_and_duplicates_across_files(seed_papers):
    papers, stats, _ = seed_papers
    assert stats.files == 5 and stats.entries == TOTAL_ENTRIES == len(papers)
    assert {Path(k).name: v for k, v in stats.per_file.items()} == {
        k: v[0] for k, v in HAND_COUNTS.items()}
    merged = list(dedupe(copy.deepcopy(papers), stats=stats))
    assert stats.papers == len(merged) == DISTINCT_PAPERS
    assert stats.duplicates == TOTAL_ENTRIES - DISTINCT_PAPERS
    # "Towards Exact Computation of Inductive Bias" is listed in all five files
    towards = [p for p in merged if p.title == "Towards Exact Computation of Inductive Bias"]
    assert len(towards) == 1
    assert {Path(s.rsplit(":", 1)[0]).name for s in towards[0].sources} == set(HAND_COUNTS)
    assert sum(len(p.sources) for p in merged) == TOTAL_ENTRIES


def _variants(lines: list[str]) -> dict[str, list[str]]:
    """Other layouts of the same capture: what another copy of the page could look like."""
    content = [x for x in lines if x.strip()]
    glued: list[str] = []
    for x in content:  # every title glued to an abstract that ends a sentence
        if glued and len(glued[-1]) > 400 > len(x) and glued[-1].endswith((".", '."', ".)")):
            glued[-1] += x
        else:
            glued.append(x)
    noisy: list[str] = []
    for x in content:
        noisy += [x] + (["Submitted by akhaliq", "Upvote", "42", "Mar 14, 2024", "·"]
                        if len(x) > 400 else [])
    return {
        "no blank lines": content,
        "two blank lines": [y for x in content for y in (x, "", "")],
        "titles glued to abstracts": glued,
        "other furniture": noisy,
        "indented, CR left": ["  " + x + " \r" for x in lines],
    }


@pytest.mark.parametrize("variant", sorted(_variants([])))
def test_other_layouts_of_the_samples_give_the_same_entries(variant):
    for path in sorted(SEEDS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        expected = [(e.title, e.abstract) for e in parse(lines)]
        notes: list[int] = []
        got = parse(_variants(lines)[variant], note=lambda line, _: notes.append(line))
        assert [(e.title, e.abstract) for e in got] == expected, path.name
        assert notes == []
