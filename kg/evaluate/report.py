"""Plain-text tables of ``kg eval`` results."""

from __future__ import annotations

from typing import Any

_COLUMNS = ("precision", "recall", "f1", "gold", "predicted", "correct")


def _is_row(value: Any) -> bool:
    return isinstance(value, dict) and {"precision", "recall", "f1"} <= value.keys()


def _row(name: str, row: dict[str, Any]) -> str:
    cells = [f"{row.get(c, 0):.3f}" if c in ("precision", "recall", "f1") else str(row.get(c, ""))
             for c in _COLUMNS]
    return f"  {name:<12}" + "".join(f"{c:>10}" for c in cells)


def format_section(name: str, result: dict[str, Any]) -> list[str]:
    """Lines for one section: a table of its P/R/F1 rows, then its other values."""
    lines = [f"{name}:"]
    rows = []
    if isinstance(result.get("labels"), dict):
        rows += [(k, v) for k, v in result["labels"].items() if _is_row(v)]
    if isinstance(result.get("micro"), dict):
        rows.append(("micro", result["micro"]))
    if _is_row(result):
        rows.append((name, result))
    rows += [(k, v) for k, v in result.items() if k not in ("labels", "micro") and _is_row(v)]
    if rows:
        lines.append(f"  {'':<12}" + "".join(f"{c:>10}" for c in _COLUMNS))
        lines += [_row(k, v) for k, v in rows]
    for key, value in result.items():
        if key in ("labels", "micro") or _is_row(value) or key in _COLUMNS:
            continue
        lines.append(f"  {key}: {value}")
    return lines


def format_report(results: dict[str, Any]) -> str:
    """The whole report: one block per section."""
    lines = [f"papers: {results.get('papers', 0)}"]
    for name, result in results.items():
        if isinstance(result, dict):
            lines += format_section(name, result)
    return "\n".join(lines)
