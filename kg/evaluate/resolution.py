"""How well entity resolution groups mentions: agreement and collisions on SciREX `salient`.

Each SciREX paper lists its salient entities: a canonical `name`, a `label`, and every mention
(``[field, start, end]``). A *gold entity* is a (label, name) pair, the same across papers
("ImageNet" in two papers is one entity). All gold mentions of the corpus (the `entities` spans
and the salient mentions) go through the resolver as extractions with their titles and
abstracts, so acronym definitions count as they do in a build. Then, over the salient mentions:

* **agreement**: of all pairs of mentions of the same gold entity (within and across papers),
  the share that get the same canonical key (split into pairs within one paper and across);
* **collisions**: of all pairs of mentions of different gold entities, the share that get the
  same key.

A mention whose text is generic gets no key and agrees with nothing. Pairs are counted from
group sizes (``n·(n−1)/2`` per group), never enumerated.

Two more views: ``entity_agreement``/``entity_collisions`` count pairs of *papers* instead of
mentions (each paper's mentions of a gold entity vote for one key: do two papers about the
same thing link to the same node?), and ``baseline_*`` are the figures for lower-cased text,
what a graph without resolution would get.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, Iterable

from kg.errors import InputError
from kg.evaluate.gold import read_gold
from kg.graph.schema import ENTITY_LABELS
from kg.models import Extraction, Mention, Paper
from kg.resolve import AliasTable, Resolver
from kg.resolve.normalise import entity_key

GoldPaper = dict[str, Any]


def gold_papers(gold: str | os.PathLike | Iterable[GoldPaper | Paper]) -> list[GoldPaper]:
    """Gold papers as dicts, from a JSONL path, dicts, or Papers whose `meta` has the gold keys."""
    if isinstance(gold, (str, os.PathLike)):
        gold = read_gold(gold)
    out = []
    for p in gold:
        if isinstance(p, Paper):
            out.append({"id": p.id, "title": p.title, "abstract": p.abstract, **p.meta})
        else:
            out.append(p)
    return out


def _text(paper: GoldPaper, field: str, start: int, end: int) -> str:
    return (paper.get(field) or "")[start:end]


def gold_extraction(paper: GoldPaper) -> Extraction:
    """The paper as an extraction whose mentions are all its gold spans (salient included)."""
    p = Paper(id=str(paper.get("id", "")), title=paper.get("title", ""),
              abstract=paper.get("abstract", ""))
    mentions = [
        Mention(label=e["label"], text=_text(paper, e["field"], e["start"], e["end"]),
                field=e["field"], start=e["start"], end=e["end"])
        for e in paper.get("entities", [])
        if e.get("label") in ENTITY_LABELS
    ]
    for s in paper.get("salient", []):
        for field, start, end in s["mentions"]:
            mentions.append(Mention(label=s["label"], text=_text(paper, field, start, end),
                                    field=field, start=start, end=end))
    return Extraction(paper=p, entities=mentions)


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def _scores(rows: list[tuple[str, str, str]]) -> dict[str, float | int]:
    """rows: (gold entity, paper, key) per salient mention; "" keys never agree."""
    gold = Counter(g for g, _, _ in rows)
    gold_paper = Counter((g, p) for g, p, _ in rows)
    keyed = [(g, p, k) for g, p, k in rows if k]
    key = Counter(k for _, _, k in keyed)
    gold_key = Counter((g, k) for g, _, k in keyed)
    gold_paper_key = Counter((g, p, k) for g, p, k in keyed)
    n = len(rows)
    same = _pairs(gold.values())
    same_within = _pairs(gold_paper.values())
    agree = _pairs(gold_key.values())
    agree_within = _pairs(gold_paper_key.values())
    different = n * (n - 1) // 2 - same
    collide = _pairs(key.values()) - agree
    return {
        "mentions": n,
        "gold_entities": len(gold),
        "keys": len(key),
        "unkeyed_mentions": n - len(keyed),
        "same_entity_pairs": same,
        "different_entity_pairs": different,
        "agreement": _share(agree, same, 1.0),
        "agreement_within_paper": _share(agree_within, same_within, 1.0),
        "agreement_across_papers": _share(agree - agree_within, same - same_within, 1.0),
        "collisions": _share(collide, different, 0.0),
        "colliding_pairs": collide,
    }


def _entity_scores(rows: list[tuple[str, str, str]]) -> dict[str, float]:
    """Pairs of papers: each (gold entity, paper) takes the key most of its mentions got."""
    votes: dict[tuple[str, str], Counter[str]] = {}
    for g, p, k in rows:
        votes.setdefault((g, p), Counter())[k] += 1
    units = []
    for (g, _), c in votes.items():
        k = min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        units.append((g, k))
    gold = Counter(g for g, _ in units)
    key = Counter(k for _, k in units if k)
    gold_key = Counter((g, k) for g, k in units if k)
    same = _pairs(gold.values())
    agree = _pairs(gold_key.values())
    different = len(units) * (len(units) - 1) // 2 - same
    return {
        "entity_agreement": _share(agree, same, 1.0),
        "entity_collisions": _share(_pairs(key.values()) - agree, different, 0.0),
    }


def _share(part: int, whole: int, empty: float) -> float:
    return part / whole if whole else empty


def evaluate_resolution(
    gold: str | os.PathLike | Iterable[GoldPaper | Paper], *, aliases: AliasTable | None = None,
    details: bool = False,
) -> dict[str, Any]:
    """Agreement and collisions of the resolver on the `salient` entities of a SciREX gold file
    (a path, the papers as dicts, or Papers from :func:`kg.evaluate.gold.read_gold`). With
    `details`, also the most split gold entities and the largest collisions."""
    papers = gold_papers(gold)
    resolver = Resolver(aliases=aliases)
    extractions = [gold_extraction(p) for p in papers]
    for ex in extractions:
        resolver.add(ex)
    resolution = resolver.finish()

    rows: list[tuple[str, str, str]] = []
    base_rows: list[tuple[str, str, str]] = []
    texts: list[str] = []
    for paper, ex in zip(papers, extractions):
        table = resolution.keys_of(ex)
        for s in paper.get("salient") or []:
            entity = f"{s['label']}:{' '.join(s['name'].split())}"
            for field, start, end in s["mentions"]:
                text = _text(paper, field, start, end)
                key = entity_key(s["label"], text)
                rows.append((entity, ex.paper.id, table.get(key, "") if key else ""))
                base_rows.append((entity, ex.paper.id, f"{s['label']}:{text.lower()}"))
                texts.append(text)
    if not rows:
        raise InputError(str(gold) if isinstance(gold, (str, os.PathLike)) else "<gold>",
                         "no salient entities to evaluate")
    result: dict[str, Any] = {"papers": len(papers), **_scores(rows), **_entity_scores(rows)}
    base = {**_scores(base_rows), **_entity_scores(base_rows)}
    for name in ("keys", "agreement", "collisions", "entity_agreement", "entity_collisions"):
        result[f"baseline_{name}"] = base[name]
    if details:
        result["details"] = _details(rows, texts)
    return result


def evaluate_section(papers: list[Paper], extractions: list[Extraction]) -> dict[str, Any] | None:
    """The ``resolution`` section of ``kg eval``: None unless the gold papers have `salient`
    entities. Scores the resolver on the gold mentions; the extractions are not used."""
    if not any(p.meta.get("salient") for p in papers):
        return None
    result = evaluate_resolution(papers)
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def _details(rows: list[tuple[str, str, str]], texts: list[str], top: int = 25) -> dict[str, Any]:
    by_gold: dict[str, Counter[str]] = {}
    by_key: dict[str, Counter[str]] = {}
    for (g, _, k), text in zip(rows, texts):
        by_gold.setdefault(g, Counter())[f"{text} -> {k or '-'}"] += 1
        if k:
            by_key.setdefault(k, Counter())[g] += 1

    def missed(c: Counter[str]) -> int:
        keys = Counter(item.rsplit(" -> ", 1)[1] for item in c.elements())
        n = sum(keys.values())
        return n * (n - 1) // 2 - sum(v * (v - 1) // 2 for k, v in keys.items() if k != "-")

    split = sorted(by_gold.items(), key=lambda kv: (-missed(kv[1]), kv[0]))[:top]
    merged = sorted(
        ((k, c) for k, c in by_key.items() if len(c) > 1),
        key=lambda kv: (-(_pairs([sum(kv[1].values())]) - _pairs(kv[1].values())), kv[0]),
    )[:top]
    return {
        "split": [{"entity": g, "missed_pairs": missed(c), "mentions": dict(c)} for g, c in split],
        "collisions": [{"key": k, "entities": dict(c)} for k, c in merged],
    }
