"""Small graphs in the DESIGN.md schema for the export and writer tests.

`sample_graph()` is what `kg build` makes of three papers (built with the real builder).
`awkward_graph()` is the same graph with values that formats trip over: None, an empty string, empty and
mixed-type lists, a list element holding ``;``, quotes, commas, line breaks, non-ASCII text,
markup, NaN, a dict, a bool, an int past 32 bits, and an attribute whose type varies.
"""

from __future__ import annotations

from kg.graph.builder import build_graph
from kg.models import Claim, Comparison, Extraction, Mention, Paper
from tests.graph.helpers import fedhyper_extraction


def _mention(text: str, label: str, needle: str, role: str = "used", sentence: int = 0, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(label=label, text=needle, field="abstract", start=start, end=start + len(needle),
                   key=f"{label.lower()}:{needle.lower()}", role=role, confidence=0.85, sentence=sentence)


def second_extraction() -> Extraction:
    abstract = ("We study BERT fine-tuning for question answering. "
                "BERT outperforms FedAvg on SQuAD in F1.")
    paper = Paper(id="arxiv:2401.00002", title="Fine-tuning BERT, revisited", abstract=abstract,
                  authors=["Grace Hopper"], published="2024-02-01", sources=["b.txt:7"])
    s1 = abstract.index("BERT outperforms")
    claim = Claim(text=abstract[s1:], field="abstract", start=s1, end=len(abstract), kind="comparative",
                  about=["method:bert", "method:fedavg", "dataset:squad"], confidence=0.7, sentence=1)
    return Extraction(
        paper=paper,
        entities=[
            _mention(abstract, "Method", "BERT"),
            _mention(abstract, "Task", "question answering"),
            _mention(abstract, "Method", "BERT", sentence=1, nth=1),
            _mention(abstract, "Method", "FedAvg", sentence=1),
            _mention(abstract, "Dataset", "SQuAD", sentence=1),
            _mention(abstract, "Metric", "F1", sentence=1),
        ],
        claims=[claim],
        comparisons=[Comparison(method="method:bert", baseline="method:fedavg", claim=0,
                                dataset="dataset:squad", metric="metric:f1")],
        version="test-1",
    )


def third_extraction() -> Extraction:
    abstract = "We release FedBench and evaluate FedAvg on CIFAR-10 for federated learning."
    paper = Paper(id="paper:3f2a", title="Another look at FedAvg", abstract=abstract, sources=["c.txt:1"])
    return Extraction(
        paper=paper,
        entities=[
            _mention(abstract, "Dataset", "FedBench", role="proposed"),
            _mention(abstract, "Method", "FedAvg"),
            _mention(abstract, "Dataset", "CIFAR-10"),
            _mention(abstract, "Task", "federated learning"),
        ],
        version="test-1",
    )


def sample_graph():
    """Three papers, eight node labels, every relationship type of the schema."""
    return build_graph([fedhyper_extraction(), second_extraction(), third_extraction()])


def awkward_graph():
    """`sample_graph()` with values that formats handle badly (see the module docstring)."""
    g = sample_graph()
    paper = g.nodes["arxiv:2401.00001"]
    paper["abstract"] = 'Line one, with "quotes";\nline two — naïve résumé <b>&amp;</b> </script>'
    paper["categories"] = []
    paper["published"] = None
    paper["url"] = ""
    paper["meta"] = {"venue": "ICML", "pages": [1, 2]}
    paper["citations"] = 2**40
    paper["open_access"] = True
    fedhyper = g.nodes["method:fedhyper"]
    fedhyper["aliases"] = ["FedHyper", "Fed;Hyper", None, "Fed, \"Hyper\""]
    fedhyper["score"] = float("nan")
    fedhyper["rank"] = 1          # int here …
    g.nodes["method:fedavg"]["rank"] = "first"  # … text there: a mixed-type attribute
    g.nodes["method:bert"]["scores"] = [1, 2.5]  # ints and floats in one list
    g.nodes["method:bert"]["mixed"] = ["a", 1]   # strings and ints in one list
    edge = g.edges["arxiv:2401.00002", "method:bert", "USES"]
    edge["note"] = None
    edge["weights"] = [0.5, 0.25]
    return g
