"""Parallel extraction: the same records as one process, in input order, bounded read-ahead."""

from __future__ import annotations

import os
import re
from typing import Iterable, Iterator

import pytest

from kg.models import Extraction, Mention, Paper
from kg.parallel import ParallelExtractor


class Capitals:
    """Every capitalised word is a Method; records which process extracted each paper."""

    name = "capitals"
    version = "1"

    def __init__(self, fail_on: str | None = None) -> None:
        self.fail_on = fail_on

    def extract(self, papers: Iterable[Paper], *, batch_size: int = 64,
                n_process: int = 1) -> Iterator[Extraction]:
        assert n_process == 1, "workers run the inner extractor in one process"
        for paper in papers:
            if paper.id == self.fail_on:
                raise ValueError(f"cannot extract {paper.id}")
            ents = [Mention(label="Method", text=m.group(), field="abstract", start=m.start(),
                            end=m.end(), key=f"method:{m.group().lower()}")
                    for m in re.finditer(r"\b[A-Z]\w+", paper.abstract)]
            paper.meta["pid"] = os.getpid()
            yield Extraction(paper=paper, entities=ents, version=self.version)


def papers(n: int) -> list[Paper]:
    return [Paper(id=f"p{i}", title=f"T{i}", abstract=f"We use Net{i} with Adam{i % 3}.")
            for i in range(n)]


def records(extractions: list[Extraction]) -> list[dict]:
    return [r.to_json() for r in extractions]


@pytest.mark.parametrize("n_process,chunk_size", [(2, 1), (2, 7), (3, 50), (2, 1000)])
def test_same_output_in_input_order(n_process, chunk_size):
    expected = records(list(Capitals().extract(papers(103))))
    par = ParallelExtractor(Capitals(), chunk_size=chunk_size)
    got = list(par.extract(papers(103), n_process=n_process, batch_size=4))
    assert records(got) == expected


def test_work_is_done_in_other_processes():
    got = list(ParallelExtractor(Capitals(), chunk_size=5).extract(papers(40), n_process=2))
    pids = {ex.paper.meta["pid"] for ex in got}
    assert os.getpid() not in pids and len(pids) == 2


def test_one_process_runs_inline():
    got = list(ParallelExtractor(Capitals()).extract(papers(3), n_process=1))
    assert {ex.paper.meta["pid"] for ex in got} == {os.getpid()}


def test_a_worker_error_reaches_the_caller():
    par = ParallelExtractor(Capitals(fail_on="p17"), chunk_size=4)
    with pytest.raises(ValueError, match="cannot extract p17"):
        list(par.extract(papers(40), n_process=2))


def test_input_is_read_a_bounded_way_ahead():
    pulled = 0

    def source():
        nonlocal pulled
        for p in papers(500):
            pulled += 1
            yield p

    ahead = 0
    gen = ParallelExtractor(Capitals(), chunk_size=10).extract(source(), n_process=2)
    for done, _ in enumerate(gen, 1):
        ahead = max(ahead, pulled - done)
    assert done == 500
    assert ahead <= 2 * 2 * 10 + 10


def test_spawned_workers_give_the_same_output():
    par = ParallelExtractor(Capitals(), chunk_size=8, start_method="spawn")
    got = list(par.extract(papers(30), n_process=2))
    assert records(got) == records(list(Capitals().extract(papers(30))))


def test_name_and_version_are_the_inner_ones():
    par = ParallelExtractor(Capitals())
    assert (par.name, par.version) == ("capitals", "1")


def test_jobs_2_builds_the_graph_of_jobs_1_with_the_rules_pipeline():
    import json
    from pathlib import Path

    from kg.extract import load_extractor
    from kg.run import build

    def state(graph):
        return dict(graph.nodes(data=True)), sorted(
            (u, v, k, json.dumps(d, sort_keys=True, default=str))
            for u, v, k, d in graph.edges(keys=True, data=True))

    source = [str(Path(__file__).resolve().parents[1] / "data" / "seeds" / "004_b0f1f230b39cbbb7.txt")]
    par = ParallelExtractor(load_extractor("rules"), chunk_size=8)
    one, summary = build(source, par, jobs=1)
    two, _ = build(source, par, jobs=2)
    assert summary.papers > 40 and state(one) == state(two)


def test_no_papers_start_no_pool(monkeypatch):
    import multiprocessing

    started = []
    real = multiprocessing.get_context

    def counting(method=None):
        started.append(method)
        return real(method)

    monkeypatch.setattr("kg.parallel.mp.get_context", counting)
    assert list(ParallelExtractor(Capitals()).extract(iter([]), n_process=2)) == []
    assert started == []
    assert len(list(ParallelExtractor(Capitals()).extract(papers(3), n_process=2))) == 3
    assert len(started) == 1
