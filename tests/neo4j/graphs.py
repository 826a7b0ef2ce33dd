"""Small hand-made graphs in the schema of DESIGN.md, for the loader tests."""

from __future__ import annotations

import networkx as nx


def prov(text: str = "", sentence: int = 0, mentions: int = 1) -> dict:
    """Provenance properties as the builder puts them on every relationship."""
    return {"field": "abstract", "sentence": sentence, "start": 0, "end": len(text), "text": text,
            "mentions": mentions, "confidence": 0.9, "version": "test"}


def paper(g: nx.MultiDiGraph, pid: str, title: str, **extra) -> str:
    g.add_node(pid, labels=":Paper", label=title, id=pid, title=title, abstract=f"Abstract of {title}.",
               source="papers.jsonl", sources=["papers.jsonl:1"], authors=[], published=None, **extra)
    return pid


def entity(g: nx.MultiDiGraph, label: str, key: str, name: str, aliases: list[str]) -> str:
    g.add_node(key, labels=f":{label}", label=name, id=key, name=name, aliases=aliases,
               paper_count=0, mention_count=0)
    return key


def two_papers() -> nx.MultiDiGraph:
    """FedHyper (proposes FedHyper, beats FedAvg on CIFAR-10) and a paper that uses FedAvg."""
    g = nx.MultiDiGraph()
    p1 = paper(g, "arxiv:2301.00001", "FedHyper: A Learning Rate Scheduler for Federated Learning")
    p2 = paper(g, "arxiv:2301.00002", "Federated Averaging Revisited")
    fedhyper = entity(g, "Method", "method:fedhyper", "FedHyper", ["FedHyper", "FEDHYPER"])
    fedavg = entity(g, "Method", "method:fedavg", "FedAvg", ["FedAvg"])
    cifar = entity(g, "Dataset", "dataset:cifar-10", "CIFAR-10", ["CIFAR-10"])
    task = entity(g, "Task", "task:federated-learning", "federated learning", ["federated learning"])
    acc = entity(g, "Metric", "metric:accuracy", "accuracy", ["accuracy"])
    claim = "claim:arxiv:2301.00001:2"
    g.add_node(claim, labels=":Claim", label="FedHyper outperforms FedAvg", id=claim,
               text="FedHyper outperforms FedAvg on CIFAR-10 by 3% in accuracy.", kind="comparative",
               confidence=0.88, paper=p1)
    repo = "repo:github.com/abc/fedhyper"
    g.add_node(repo, labels=":Repository", label="abc/fedhyper", id=repo, url="https://github.com/abc/fedhyper")
    author = "author:a one"
    g.add_node(author, labels=":Author", label="A. One", id=author, name="A. One")

    g.add_edge(p1, fedhyper, key="PROPOSES", label="PROPOSES", **prov("FedHyper", 0, mentions=3))
    g.add_edge(p1, fedavg, key="USES", label="USES", **prov("FedAvg", 2))
    g.add_edge(p1, cifar, key="EVALUATES_ON", label="EVALUATES_ON", **prov("CIFAR-10", 2))
    g.add_edge(p1, task, key="ADDRESSES", label="ADDRESSES", **prov("federated learning", 0))
    g.add_edge(p1, acc, key="MEASURES", label="MEASURES", **prov("accuracy", 2))
    g.add_edge(p1, claim, key="MAKES", label="MAKES", **prov("FedHyper outperforms FedAvg", 2))
    for target in (fedhyper, fedavg, cifar, acc):
        g.add_edge(claim, target, key="ABOUT", label="ABOUT", **prov("", 2))
    g.add_edge(fedhyper, fedavg, key=f"OUTPERFORMS:{claim}", label="OUTPERFORMS", paper=p1, claim=claim,
               dataset=cifar, metric=acc, **prov("FedHyper outperforms FedAvg", 2))
    g.add_edge(p1, repo, key="HAS_CODE", label="HAS_CODE", **prov("https://github.com/abc/fedhyper", 3))
    g.add_edge(author, p1, key="WROTE", label="WROTE", field="authors", sentence=0, start=0, end=6,
               text="A. One", confidence=1.0, version="")
    g.add_edge(p2, fedavg, key="PROPOSES", label="PROPOSES", **prov("FedAvg", 0, mentions=2))
    g.add_edge(p2, task, key="ADDRESSES", label="ADDRESSES", **prov("federated learning", 0))
    set_counts(g)
    return g


def set_counts(g: nx.MultiDiGraph) -> None:
    """paper_count / mention_count of every entity, as the builder computes them."""
    for node, attrs in g.nodes(data=True):
        if "paper_count" not in attrs:
            continue
        papers = [(u, d) for u, _, d in g.in_edges(node, data=True) if g.nodes[u]["labels"] == ":Paper"]
        attrs["paper_count"] = len({u for u, _ in papers})
        attrs["mention_count"] = sum(d.get("mentions", 1) for _, d in papers)
