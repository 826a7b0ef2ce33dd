"""How well entity resolution groups mentions: agreement and collisions on SciREX `salient`.

Each SciREX paper lists its salient entities: a canonical `name`, a `label`, and every mention
(``[field, start, end]``). A *gold entity* is a (label, name) pair, the same across papers
("ImageNet" in two papers is one entity). All gold mentions of the corpus (the `entities` spans
and the salient mentions) go through the resolver, as extractions with their titles and
abstracts, so acronym definitions count as they do in a build. Then, over the salient mentions:

* **agreement**: of all pairs of mentions of the same gold entity (within and across papers),
  the share that get the same canonical key;
* **collisions**: of all pairs of mentions of different gold entities, the share that get the
  same key.

Pairs are counted from group sizes (``n·(n−1)/2`` per group), never enumerated. A mention whose
text is generic gets no key and agrees with nothing. Agreement is also split into pairs within
one paper and pairs across papers; ``baseline`` gives the same figures for lower-cased text
(what an unresolved graph would do).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any, Iterable, Iterator

from kg.errors import InputError
from kg.graph.schema import ENTITY_LABELS
from kg.models import Extraction, Mention, Paper
from kg.resolve import AliasTable, Resolver
from kg.resolve.normalise import entity_key

GoldPaper = dict[str, Any]


def read_gold(path: str | os.PathLike) -> Iterator[GoldPaper]:
    """The papers of a gold JSONL file, one dict per line."""
    try:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(str(path), f"not JSON: {exc.msg}", number) from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None


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
        "agreement": agree / same if same else 1.0,
        "agreement_within_paper": agree_within / same_within if same_within else 1.0,
        "agreement_across_papers": (agree - agree_within) / (same - same_within)
        if same > same_within else 1.0,
        "collisions": collide / different if different else 0.0,
        "colliding_pairs": collide,
    }


def evaluate_resolution(
    gold: str | os.PathLike | Iterable[GoldPaper], *, aliases: AliasTable | None = None,
    details: bool = False,
) -> dict[str, Any]:
    """Agreement and collisions of the resolver on the `salient` entities of a SciREX gold file
    (a path, or the papers as dicts). With `details`, also the worst-split gold entities and the
    largest collisions, for error analysis."""
    papers = list(read_gold(gold) if isinstance(gold, (str, os.PathLike)) else gold)
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
        for s in paper.get("salient", []):
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
    result: dict[str, Any] = {"papers": len(papers), **_scores(rows)}
    result["baseline"] = {k: v for k, v in _scores(base_rows).items()
                          if k in ("agreement", "collisions", "keys")}
    if details:
        result["details"] = _details(rows, texts)
    return result


def _details(rows: list[tuple[str, str, str]], texts: list[str], top: int = 60) -> dict[str, Any]:
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
