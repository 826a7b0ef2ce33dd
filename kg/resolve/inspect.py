"""Looking at resolved entities in a built graph: what ``kg entities`` prints.

:func:`graph_entities` lists the entity nodes of a graph with their names, aliases and counts;
:func:`check_aliases` says what each line of an alias file would change in that graph (which
nodes a ``=`` line would merge, which node a ``!=`` line would split), so a user can write the
file against a graph and see its effect before rebuilding with ``kg build --aliases``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

import networkx as nx

from kg.graph.schema import ENTITY_LABELS
from kg.resolve.aliases import AliasRule, AliasTable
from kg.resolve.normalise import compact, entity_key

EntityRow = dict[str, Any]


def _label(attrs: dict) -> str | None:
    label = str(attrs.get("labels", "")).strip(":").split(":")[0]
    return label if label in ENTITY_LABELS else None


def graph_entities(
    graph: nx.MultiDiGraph, *, labels: Iterable[str] | None = None, min_papers: int = 0
) -> list[EntityRow]:
    """Entity nodes as rows (id, label, name, paper_count, mention_count, aliases), most
    papers first, then most mentions, then name."""
    wanted = {l.lower() for l in labels} if labels else None
    rows = []
    for node, attrs in graph.nodes(data=True):
        label = _label(attrs)
        if label is None or (wanted and label.lower() not in wanted):
            continue
        papers = _int(attrs.get("paper_count"))
        if papers < min_papers:
            continue
        aliases = attrs.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        rows.append({
            "id": str(node),
            "label": label,
            "name": str(attrs.get("name") or attrs.get("label") or node),
            "paper_count": papers,
            "mention_count": _int(attrs.get("mention_count")),
            "aliases": sorted(str(a) for a in aliases),
        })
    rows.sort(key=lambda r: (-r["paper_count"], -r["mention_count"], r["name"].lower(), r["id"]))
    return rows


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _node_index(rows: list[EntityRow]) -> dict[str, set[str]]:
    """compact key → ids of the nodes whose id or one of whose aliases has that key."""
    index: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        index[compact(r["id"])].add(r["id"])
        for alias in r["aliases"]:
            key = entity_key(r["label"], alias)
            if key:
                index[compact(key)].add(r["id"])
    return index


def check_aliases(graph: nx.MultiDiGraph, table: AliasTable) -> list[dict[str, Any]]:
    """One finding per alias-file pair: the nodes each side names, and what a rebuild with the
    file would do (``merge``, ``split``, ``none`` when the graph already agrees, or
    ``not in graph``)."""
    index = _node_index(graph_entities(graph))
    findings = []
    rules: list[AliasRule] = sorted(table.same + table.different, key=lambda r: (r.line, r.a, r.b))
    for rule in rules:
        a = sorted(index.get(compact(rule.a), ()))
        b = sorted(index.get(compact(rule.b), ()))
        if not a or not b:
            effect = "not in graph"
        elif rule.same:
            effect = "none" if set(a) == set(b) and len(a) == 1 else "merge"
        else:
            effect = "split" if set(a) & set(b) else "none"
        findings.append({
            "source": rule.source, "line": rule.line, "a": rule.a, "b": rule.b,
            "same": rule.same, "nodes_a": a, "nodes_b": b, "effect": effect,
        })
    return findings
