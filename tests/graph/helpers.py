"""Hand-made extractions that exercise every part of the schema."""

from kg.models import Claim, CodeLink, Comparison, Extraction, Mention, Paper

TITLE = "FedHyper: A Universal Learning Rate Scheduler"
ABSTRACT = (
    "We propose FedHyper for federated learning. "
    "FedHyper outperforms FedAvg on CIFAR-10 in accuracy. "
    "Code: https://github.com/ABC/fedhyper"
)


def mention(label, text, field="abstract", role="used", sentence=0, source=ABSTRACT, key=None, nth=0):
    base = TITLE if field == "title" else source
    start = -1
    for _ in range(nth + 1):
        start = base.index(text, start + 1)
    return Mention(label=label, text=text, field=field, start=start, end=start + len(text),
                   key=key or f"{label.lower()}:{text.lower()}", role=role, confidence=0.9,
                   sentence=sentence)


def fedhyper_extraction(paper_id="arxiv:2401.00001", sources=("a.txt:3",)) -> Extraction:
    paper = Paper(id=paper_id, title=TITLE, abstract=ABSTRACT, authors=["Ada Lovelace", "Alan Turing"],
                  published="2024-01-02", sources=list(sources))
    s1 = ABSTRACT.index("FedHyper outperforms")
    s1_end = ABSTRACT.index("accuracy.") + len("accuracy.")
    return Extraction(
        paper=paper,
        entities=[
            mention("Method", "FedHyper", field="title", role="proposed"),
            mention("Method", "FedHyper", role="proposed"),
            mention("Method", "FedHyper", sentence=1, nth=1),
            mention("Task", "federated learning"),
            mention("Method", "FedAvg", sentence=1),
            mention("Dataset", "CIFAR-10", sentence=1),
            mention("Metric", "accuracy", sentence=1),
        ],
        claims=[Claim(text=ABSTRACT[s1:s1_end], field="abstract", start=s1, end=s1_end,
                      kind="comparative", about=["method:fedhyper", "method:fedavg", "dataset:cifar-10"],
                      confidence=0.8, sentence=1)],
        comparisons=[Comparison(method="method:fedhyper", baseline="method:fedavg", claim=0,
                                dataset="dataset:cifar-10", metric="metric:accuracy")],
        code=[CodeLink(url="https://github.com/ABC/fedhyper", host="github.com", owner="ABC",
                       name="fedhyper", start=ABSTRACT.index("https"), end=len(ABSTRACT), sentence=2)],
        version="test-1",
    )
