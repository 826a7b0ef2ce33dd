"""kg.models: the extraction record as DESIGN.md's JSON, and back."""

from dataclasses import asdict

from kg.models import Claim, CodeLink, Comparison, Extraction, Mention, Paper


def _extraction() -> Extraction:
    paper = Paper(id="arxiv:1", title="FedHyper: a scheduler", abstract="FedHyper beats FedAvg on CIFAR-10.")
    return Extraction(
        paper=paper,
        entities=[
            Mention(label="Method", text="FedHyper", field="title", start=0, end=8,
                    key="method:fedhyper", role="proposed", confidence=0.9, sentence=0),
            Mention(label="Dataset", text="CIFAR-10", field="abstract", start=25, end=33,
                    key="dataset:cifar-10", sentence=0),
        ],
        claims=[Claim(text="FedHyper beats FedAvg on CIFAR-10.", field="abstract", start=0, end=34,
                      kind="comparative", about=["method:fedhyper", "dataset:cifar-10"])],
        comparisons=[Comparison(method="method:fedhyper", baseline="method:fedavg", claim=0,
                                dataset="dataset:cifar-10")],
        code=[CodeLink(url="https://github.com/a/b", host="github.com", owner="a", name="b")],
        version="paperkg-test",
    )


def test_to_json_is_the_design_record_field_for_field():
    ex = _extraction()
    out = ex.to_json()
    assert list(out) == ["id", "title", "abstract", "entities", "claims", "outperforms", "code", "version"]
    # every record as dataclasses.asdict gives it (entities with `sentence` last)
    assert out["claims"] == [asdict(c) for c in ex.claims]
    assert out["outperforms"] == [asdict(c) for c in ex.comparisons]
    assert out["code"] == [asdict(c) for c in ex.code]
    first = out["entities"][0]
    assert first == {**{k: v for k, v in asdict(ex.entities[0]).items() if k != "sentence"}, "sentence": 0}
    assert list(first)[-1] == "sentence"


def test_to_json_round_trips():
    ex = _extraction()
    again = Extraction.from_json(ex.to_json())
    assert again.to_json() == ex.to_json()
    assert again.entities[0].key == "method:fedhyper"
    assert again.claims[0].about == ["method:fedhyper", "dataset:cifar-10"]
