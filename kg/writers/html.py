"""HTML output: one self-contained page that shows the graph and lets you explore it.

The page needs no server and no network: the graph is embedded as JSON and the viewer is a
few hundred lines of plain JavaScript written for this project (a d3-style force layout with a
Barnes–Hut quadtree, drawn on a ``<canvas>``); nothing is fetched. Open it from the file.

What it shows: nodes coloured by label (legend with counts; click to hide a label), captions
(the node's display `label`) for large, selected and matching nodes, a tooltip with every
property on hover, and a details panel with the node's relationships on click. A search box
matches names, ids and aliases and shows the matches with their neighbours; "Neighbourhood"
shows only the selected node and what is within N hops of it; "min papers" hides entities
found in fewer papers. The view is mirrored in the URL fragment, so a filtered view can be
bookmarked or opened directly: ``view.html#q=bert&labels=Method,Dataset&focus=method:bert&depth=2``.

After it has drawn, the page sets ``data-node-count`` and ``data-edge-count`` on ``<body>`` to
the numbers of nodes and relationships it painted, and ``data-ready="true"``; the tests read
them from headless Chromium.

Property values: lists and None are kept (JSON), NaN and infinities become null, strings over
2,000 characters are cut (the view is for looking, not for copying abstracts out). Graphs of
more than a few thousand nodes are slow to lay out in a browser: filter them first
(``kg export --around … --depth 2`` or ``--min-papers``).
"""

from __future__ import annotations

import html
import json
import os
from typing import Any

import networkx as nx

from kg.atomic import atomic_write
from kg.writers.gexf import DEFAULT_COLOUR, PALETTE
from kg.writers.json import json_value

MAX_STRING = 2000


def _labels(attrs: dict) -> list[str]:
    raw = attrs.get("labels") or ""
    parts = raw if isinstance(raw, (list, tuple)) else str(raw).split(":")
    return [str(p).lstrip(":") for p in parts if p and str(p).lstrip(":")] or ["Node"]


def _clean(value: Any) -> Any:
    return json_value(value, MAX_STRING)


def view_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The JSON the page embeds: nodes, edges (by node index), the palette."""
    index: dict[Any, int] = {}
    nodes = []
    for i, (node, attrs) in enumerate(graph.nodes(data=True)):
        index[node] = i
        caption = attrs.get("label")
        nodes.append({
            "id": str(node),
            "l": _labels(attrs)[0],
            "c": str(caption) if caption not in (None, "") else str(node),
            "p": {k: _clean(v) for k, v in attrs.items() if k not in ("labels", "label", "id") and v is not None},
        })
    edges = []
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        rel = attrs.get("label") or str(key).split(":", 1)[0]
        edges.append({
            "s": index[u],
            "t": index[v],
            "r": str(rel),
            "p": {k: _clean(val) for k, val in attrs.items() if k != "label" and val is not None},
        })
    order = list(PALETTE)
    labels = sorted({n["l"] for n in nodes}, key=lambda lb: (order.index(lb) if lb in order else len(order), lb))
    palette = {label: PALETTE.get(label, DEFAULT_COLOUR) for label in labels}
    return {"nodes": nodes, "edges": edges, "palette": palette}


def render_html(graph: nx.MultiDiGraph, title: str | None = None) -> str:
    """The complete page for `graph` as a string."""
    data = json.dumps(view_data(graph), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # Inside <script>, "</" could close the element early; "<\/" means the same to JSON.parse.
    data = data.replace("</", "<\\/")
    title = title or f"paperkg: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships"
    return (
        _PAGE.replace("__TITLE__", html.escape(title))
        .replace("__STYLE__", _STYLE)
        .replace("__SCRIPT__", _SCRIPT)
        .replace("__DATA__", data)
    )


def write_html(graph: nx.MultiDiGraph, path: str | os.PathLike, *, title: str | None = None) -> None:
    """Write the interactive page for `graph` to `path` (atomically)."""
    page = render_html(graph, title)
    with atomic_write(path, "w") as fh:
        fh.write(page)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>__STYLE__</style>
</head>
<body data-ready="false" data-node-count="0" data-edge-count="0">
<header>
  <h1>__TITLE__</h1>
  <div class="controls">
    <input id="search" type="search" placeholder="Search names, ids, aliases" autocomplete="off">
    <label title="Also show the neighbours of the matches"><input id="with-neighbours" type="checkbox" checked> with neighbours</label>
    <label>min papers <input id="min-papers" type="number" min="0" value="0"></label>
    <label>depth <input id="depth" type="number" min="1" max="6" value="1"></label>
    <button id="focus" disabled title="Show only the selected node and its neighbourhood">Neighbourhood</button>
    <button id="relayout" title="Run the force layout again on what is shown">Re-layout</button>
    <button id="reset" title="Clear search, filters and selection">Reset</button>
  </div>
  <div id="legend"></div>
  <div id="status" role="status"></div>
</header>
<main>
  <canvas id="view" aria-label="graph view"></canvas>
  <aside id="details" hidden></aside>
  <div id="tooltip" hidden></div>
</main>
<noscript>This view needs JavaScript.</noscript>
<script type="application/json" id="kg-data">__DATA__</script>
<script>__SCRIPT__</script>
</body>
</html>
"""

_STYLE = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
header { padding: 8px 12px; border-bottom: 1px solid #ddd; background: #fafafa; }
h1 { font-size: 15px; margin: 0 0 6px; font-weight: 600; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; }
.controls input[type=search] { width: 260px; padding: 3px 6px; }
.controls input[type=number] { width: 52px; }
#legend { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 4px 10px; }
#legend label { cursor: pointer; user-select: none; }
#legend .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; }
#legend .off { opacity: .4; text-decoration: line-through; }
#status { margin-top: 4px; color: #555; }
main { position: relative; flex: 1; min-height: 300px; overflow: hidden; }
canvas { display: block; width: 100%; height: 100%; cursor: grab; background: #fff; }
#tooltip { position: absolute; pointer-events: none; max-width: 420px; background: rgba(255,255,255,.97);
  border: 1px solid #bbb; border-radius: 4px; padding: 6px 8px; box-shadow: 0 2px 8px rgba(0,0,0,.15); font-size: 12px; }
#details { position: absolute; top: 0; right: 0; bottom: 0; width: 360px; overflow: auto; background: #fff;
  border-left: 1px solid #ddd; padding: 10px 12px; font-size: 12px; }
.pill { display: inline-block; border-radius: 9px; padding: 0 7px; color: #fff; font-size: 11px; margin-right: 4px; }
.props { margin: 6px 0; border-collapse: collapse; width: 100%; }
.props td { vertical-align: top; padding: 1px 4px 1px 0; word-break: break-word; }
.props td:first-child { color: #666; white-space: nowrap; }
.rels li { margin: 1px 0; }
.rels a { cursor: pointer; color: #1a5fb4; }
.close { float: right; cursor: pointer; border: none; background: none; font-size: 16px; }
"""

_SCRIPT = r"""
(function () {
"use strict";
const DATA = JSON.parse(document.getElementById("kg-data").textContent);
const nodes = DATA.nodes, edges = DATA.edges, PALETTE = DATA.palette;
const N = nodes.length, M = edges.length;
const LABELS = Object.keys(PALETTE);

// --- graph indexes ------------------------------------------------------------------------
const incident = Array.from({length: N}, () => []);
edges.forEach((e, i) => { incident[e.s].push(i); if (e.t !== e.s) incident[e.t].push(i); });
nodes.forEach((n, i) => {
  n.i = i;
  n.deg = incident[i].length;
  n.r = 3 + Math.min(14, Math.sqrt(n.deg) * 1.7);
  const aliases = Array.isArray(n.p.aliases) ? n.p.aliases.join(" ") : "";
  n.text = (n.c + " " + n.id + " " + (n.p.name || "") + " " + aliases).toLowerCase();
  // Phyllotaxis start (as d3-force does): deterministic, evenly spread.
  const radius = 10 * Math.sqrt(0.5 + i), angle = i * Math.PI * (3 - Math.sqrt(5));
  n.x = radius * Math.cos(angle); n.y = radius * Math.sin(angle); n.vx = 0; n.vy = 0;
});
const neighbours = (i) => incident[i].map((k) => (edges[k].s === i ? edges[k].t : edges[k].s));

// --- view state ---------------------------------------------------------------------------
const state = {q: "", hidden: new Set(), focus: -1, depth: 1, minPapers: 0, withNeighbours: true};
let selected = -1, hover = -1, pendingSelect = -1;
const visible = new Uint8Array(N), matched = new Uint8Array(N);
let visibleIds = [], visibleEdges = [];
let full = null; // positions of the whole-graph layout, restored on reset

function paperCount(n) {
  const v = n.p.paper_count;
  return typeof v === "number" ? v : null;
}

function applyFilters() {
  let candidate = new Uint8Array(N);
  if (state.focus >= 0) {
    // Breadth-first over every relationship, either direction, then the other filters.
    const dist = new Int32Array(N).fill(-1);
    dist[state.focus] = 0;
    const queue = [state.focus];
    for (let h = 0; h < queue.length; h++) {
      const i = queue[h];
      if (dist[i] >= state.depth) continue;
      for (const j of neighbours(i)) if (dist[j] < 0) { dist[j] = dist[i] + 1; queue.push(j); }
    }
    for (const i of queue) candidate[i] = 1;
  } else candidate.fill(1);
  for (let i = 0; i < N; i++) {
    if (!candidate[i] || i === state.focus) continue;
    const n = nodes[i], pc = paperCount(n);
    if (state.hidden.has(n.l) || (state.minPapers > 0 && pc !== null && pc < state.minPapers)) candidate[i] = 0;
  }
  visible.fill(0); matched.fill(0);
  if (state.q) {
    for (let i = 0; i < N; i++) if (candidate[i] && nodes[i].text.includes(state.q)) { matched[i] = 1; visible[i] = 1; }
    if (state.withNeighbours)
      for (let i = 0; i < N; i++) if (matched[i]) for (const j of neighbours(i)) if (candidate[j]) visible[j] = 1;
  } else visible.set(candidate);
  visibleIds = []; for (let i = 0; i < N; i++) if (visible[i]) visibleIds.push(i);
  visibleEdges = []; for (let k = 0; k < M; k++) if (visible[edges[k].s] && visible[edges[k].t]) visibleEdges.push(k);
  if (selected >= 0 && !visible[selected]) select(-1);
}

// --- force layout (d3-force's model: many-body with Barnes–Hut, links, weak centring) --------
let alpha = 0;
const GRAVITY = 0.05, ALPHA_MIN = 0.002, ALPHA_DECAY = 1 - Math.pow(ALPHA_MIN, 1 / 300), VELOCITY_KEEP = 0.6;

function Quad(x, y, s) { this.x = x; this.y = y; this.s = s; this.m = 0; this.cx = 0; this.cy = 0; this.b = -1; this.k = null; }
function quadInsert(q, i, depth) {
  const n = nodes[i];
  if (q.m === 0) { q.b = i; q.m = 1; q.cx = n.x; q.cy = n.y; return; }
  q.cx = (q.cx * q.m + n.x) / (q.m + 1); q.cy = (q.cy * q.m + n.y) / (q.m + 1); q.m += 1;
  if (depth > 32) return; // coincident points stay lumped in one leaf
  if (q.k === null) { q.k = [null, null, null, null]; const b = q.b; q.b = -1; quadPut(q, b, depth); }
  quadPut(q, i, depth);
}
function quadPut(q, i, depth) {
  const n = nodes[i], h = q.s / 2, ix = n.x >= q.x + h ? 1 : 0, iy = n.y >= q.y + h ? 1 : 0, j = ix + 2 * iy;
  if (!q.k[j]) q.k[j] = new Quad(q.x + ix * h, q.y + iy * h, h);
  quadInsert(q.k[j], i, depth + 1);
}
function repel(q, n, strength) {
  if (q.m === 0 || (q.k === null && q.b === n.i && q.m === 1)) return;
  let dx = q.cx - n.x, dy = q.cy - n.y, d2 = dx * dx + dy * dy;
  if (q.k === null || (q.s * q.s) / 0.81 < d2) {
    if (d2 < 1e-6) { dx = (n.i % 7 - 3) * 1e-3 + 1e-3; dy = (n.i % 5 - 2) * 1e-3; d2 = dx * dx + dy * dy; }
    if (d2 < 1) d2 = Math.sqrt(d2);
    const f = strength * alpha * (q.k === null && q.b === n.i ? q.m - 1 : q.m) / d2;
    n.vx += dx * f; n.vy += dy * f;
    return;
  }
  for (const c of q.k) if (c) repel(c, n, strength);
}
function tick() {
  const ids = visibleIds;
  if (!ids.length) return;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const i of ids) { const n = nodes[i]; if (n.x < x0) x0 = n.x; if (n.y < y0) y0 = n.y; if (n.x > x1) x1 = n.x; if (n.y > y1) y1 = n.y; }
  const root = new Quad(x0, y0, Math.max(x1 - x0, y1 - y0, 1) * 1.0001);
  for (const i of ids) quadInsert(root, i, 0);
  for (const i of ids) repel(root, nodes[i], -45);
  const count = new Map();
  for (const k of visibleEdges) { const e = edges[k]; count.set(e.s, (count.get(e.s) || 0) + 1); count.set(e.t, (count.get(e.t) || 0) + 1); }
  for (const k of visibleEdges) {
    const e = edges[k]; if (e.s === e.t) continue;
    const s = nodes[e.s], t = nodes[e.t], cs = count.get(e.s), ct = count.get(e.t);
    let dx = t.x + t.vx - s.x - s.vx, dy = t.y + t.vy - s.y - s.vy;
    let l = Math.sqrt(dx * dx + dy * dy) || 1e-3;
    l = (l - (24 + s.r + t.r)) / l * alpha / Math.min(cs, ct);
    dx *= l; dy *= l;
    const bias = cs / (cs + ct);
    t.vx -= dx * bias; t.vy -= dy * bias; s.vx += dx * (1 - bias); s.vy += dy * (1 - bias);
  }
  for (const i of ids) {
    const n = nodes[i];
    if (n.fixed) { n.vx = 0; n.vy = 0; continue; }
    n.vx -= n.x * GRAVITY * alpha; n.vy -= n.y * GRAVITY * alpha;
    n.vx *= VELOCITY_KEEP; n.vy *= VELOCITY_KEEP;
    n.x += n.vx; n.y += n.vy;
  }
  alpha += (0 - alpha) * ALPHA_DECAY;
}
let animating = false;
function animate() {
  if (animating) return;
  animating = true;
  const step = () => {
    const t0 = performance.now();
    while (alpha > ALPHA_MIN && performance.now() - t0 < 30) tick();
    draw();
    if (alpha > ALPHA_MIN) requestAnimationFrame(step);
    else { animating = false; if (full === null && state.focus < 0 && !state.q && visibleIds.length === N) saveFull(); }
  };
  requestAnimationFrame(step);
}
function relayout(strength) { alpha = strength; animate(); }
function saveFull() { full = nodes.map((n) => [n.x, n.y]); }

// --- drawing ------------------------------------------------------------------------------
const canvas = document.getElementById("view"), ctx = canvas.getContext("2d");
let k = 1, tx = 0, ty = 0, W = 0, H = 0, dpr = 1;

function resize() {
  dpr = window.devicePixelRatio || 1;
  W = canvas.clientWidth || 800; H = canvas.clientHeight || 600;
  canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
}
function fit() {
  if (!visibleIds.length) { k = 1; tx = W / 2; ty = H / 2; return; }
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const i of visibleIds) { const n = nodes[i]; x0 = Math.min(x0, n.x - n.r); y0 = Math.min(y0, n.y - n.r); x1 = Math.max(x1, n.x + n.r); y1 = Math.max(y1, n.y + n.r); }
  const pad = 40, right = selected >= 0 ? 360 : 0;
  k = Math.min((W - right - 2 * pad) / Math.max(x1 - x0, 1), (H - 2 * pad) / Math.max(y1 - y0, 1), 2.5);
  k = Math.max(k, 0.02);
  tx = (W - right) / 2 - k * (x0 + x1) / 2; ty = H / 2 - k * (y0 + y1) / 2;
}
const colour = (n) => PALETTE[n.l] || "#888";
function shorten(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }

function draw() {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  ctx.translate(tx, ty); ctx.scale(k, k);
  const focusSet = new Set();
  const centre = hover >= 0 ? hover : selected;
  if (centre >= 0) { focusSet.add(centre); for (const j of neighbours(centre)) focusSet.add(j); }
  const arrows = k > 0.9 && visibleEdges.length < 4000;
  for (const idx of visibleEdges) {
    const e = edges[idx], s = nodes[e.s], t = nodes[e.t];
    const lit = centre >= 0 && (e.s === centre || e.t === centre);
    ctx.strokeStyle = e.r === "OUTPERFORMS" ? (lit ? "rgba(200,30,40,.95)" : "rgba(225,87,89,.7)")
                    : (lit ? "rgba(40,40,40,.8)" : "rgba(130,130,130,.28)");
    ctx.lineWidth = (lit || e.r === "OUTPERFORMS" ? 1.6 : 0.8) / k;
    ctx.beginPath(); ctx.moveTo(s.x, s.y); ctx.lineTo(t.x, t.y); ctx.stroke();
    if (arrows && e.s !== e.t) {
      const dx = t.x - s.x, dy = t.y - s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      const ux = dx / d, uy = dy / d, ax = t.x - ux * (t.r + 1), ay = t.y - uy * (t.r + 1), a = 5 / Math.sqrt(k);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.beginPath(); ctx.moveTo(ax, ay);
      ctx.lineTo(ax - ux * a - uy * a * 0.5, ay - uy * a + ux * a * 0.5);
      ctx.lineTo(ax - ux * a + uy * a * 0.5, ay - uy * a - ux * a * 0.5); ctx.fill();
    }
  }
  let painted = 0;
  for (const i of visibleIds) {
    const n = nodes[i];
    ctx.globalAlpha = centre >= 0 && !focusSet.has(i) ? 0.35 : 1;
    ctx.fillStyle = colour(n);
    ctx.beginPath(); ctx.arc(n.x, n.y, n.r, 0, 2 * Math.PI); ctx.fill();
    if (matched[i] || i === selected || i === state.focus) {
      ctx.lineWidth = 2.5 / k; ctx.strokeStyle = i === selected ? "#000" : "#f28e2b"; ctx.stroke();
    } else { ctx.lineWidth = 0.8 / k; ctx.strokeStyle = "#fff"; ctx.stroke(); }
    painted++;
  }
  ctx.globalAlpha = 1;
  // Captions in screen space, so they stay readable at any zoom.
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = "11px system-ui, sans-serif"; ctx.textBaseline = "middle";
  ctx.lineJoin = "round";
  const few = visibleIds.length <= 80;
  const ranked = visibleIds.filter((i) => nodes[i].l !== "Paper" && nodes[i].l !== "Claim").sort((a, b) => nodes[b].deg - nodes[a].deg).slice(0, 25);
  const captioned = new Set(ranked);
  for (const i of visibleIds) {
    const n = nodes[i];
    if (!(few || captioned.has(i) || focusSet.has(i) || matched[i] || i === state.focus || n.r * k >= 10)) continue;
    const sx = n.x * k + tx + n.r * k + 3, sy = n.y * k + ty;
    if (sx < -200 || sx > W + 10 || sy < -10 || sy > H + 10) continue;
    const text = shorten(n.c, i === hover || i === selected ? 90 : 36);
    ctx.strokeStyle = "rgba(255,255,255,.9)"; ctx.lineWidth = 3; ctx.strokeText(text, sx, sy);
    ctx.fillStyle = "#222"; ctx.fillText(text, sx, sy);
  }
  document.body.dataset.nodeCount = String(painted);
  document.body.dataset.edgeCount = String(visibleEdges.length);
}

// --- panels -------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [a, v] of Object.entries(attrs || {})) { if (a === "style") e.style.cssText = v; else e.setAttribute(a, v); }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
function pill(label) { return el("span", {class: "pill", style: "background:" + (PALETTE[label] || "#888")}, label); }
function fmt(v, n) {
  const text = typeof v === "string" ? v : Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null) ? v.join(", ") : JSON.stringify(v);
  return shorten(text, n);
}
function propTable(p, n) {
  const t = el("table", {class: "props"});
  for (const [key, v] of Object.entries(p)) t.append(el("tr", null, el("td", null, key), el("td", null, fmt(v, n))));
  return t;
}
const tooltip = document.getElementById("tooltip");
function showTooltip(i, mx, my) {
  if (i < 0) { tooltip.hidden = true; return; }
  const n = nodes[i];
  tooltip.replaceChildren(el("div", null, pill(n.l), el("b", null, shorten(n.c, 120))),
    el("div", {style: "color:#666"}, n.id + " \u00b7 " + n.deg + " relationships"), propTable(n.p, 160));
  tooltip.hidden = false;
  const box = tooltip.getBoundingClientRect();
  tooltip.style.left = Math.min(mx + 14, W - box.width - 4) + "px";
  tooltip.style.top = Math.min(my + 14, H - box.height - 4) + "px";
}
const details = document.getElementById("details");
function select(i) {
  selected = i;
  document.getElementById("focus").disabled = i < 0;
  writeHash();
  if (i < 0) { details.hidden = true; return; }
  const n = nodes[i];
  const list = el("ul", {class: "rels"});
  const rows = incident[i].map((kk) => edges[kk]).sort((a, b) => (a.r + nodes[a.s === i ? a.t : a.s].c).localeCompare(b.r + nodes[b.s === i ? b.t : b.s].c));
  for (const e of rows.slice(0, 400)) {
    const other = e.s === i ? e.t : e.s, arrow = e.s === i ? "\u2192 " : "\u2190 ";
    const a = el("a", {title: nodes[other].id}, shorten(nodes[other].c, 70));
    a.addEventListener("click", () => { select(other); draw(); });
    list.append(el("li", null, arrow + e.r + " ", pill(nodes[other].l), a, visible[other] ? null : " (hidden)"));
  }
  const close = el("button", {class: "close", title: "Close"}, "\u00d7");
  close.addEventListener("click", () => { select(-1); draw(); });
  details.replaceChildren(close, el("div", null, pill(n.l)), el("h3", {style: "margin:4px 0"}, n.c),
    el("div", {style: "color:#666"}, n.id), propTable(n.p, 2000),
    el("h4", {style: "margin:8px 0 2px"}, incident[i].length + " relationships"), list);
  details.hidden = false;
}

// --- controls and URL fragment -------------------------------------------------------------
const $ = (id) => document.getElementById(id);
const legend = $("legend");
const labelCount = {};
for (const n of nodes) labelCount[n.l] = (labelCount[n.l] || 0) + 1;
function drawLegend() {
  legend.replaceChildren(...LABELS.map((label) => {
    const item = el("label", {class: state.hidden.has(label) ? "off" : "", title: "Show or hide " + label + " nodes"},
      el("span", {class: "swatch", style: "background:" + PALETTE[label]}), label + " (" + labelCount[label] + ")");
    item.addEventListener("click", (ev) => { ev.preventDefault();
      if (state.hidden.has(label)) state.hidden.delete(label); else state.hidden.add(label);
      update(true); });
    return item;
  }));
}
function status() {
  let text = visibleIds.length + " of " + N + " nodes \u00b7 " + visibleEdges.length + " of " + M + " relationships";
  if (state.q) { let m = 0; for (let i = 0; i < N; i++) m += matched[i]; text += " \u00b7 " + m + " match" + (m === 1 ? "" : "es") + " for \u201c" + state.q + "\u201d"; }
  if (state.focus >= 0) text += " \u00b7 within " + state.depth + " of " + shorten(nodes[state.focus].c, 40);
  $("status").textContent = text;
}
function writeHash() {
  const parts = [];
  if (state.q) parts.push("q=" + encodeURIComponent(state.q));
  if (state.hidden.size) parts.push("labels=" + LABELS.filter((l) => !state.hidden.has(l)).join(","));
  if (state.focus >= 0) parts.push("focus=" + encodeURIComponent(nodes[state.focus].id), "depth=" + state.depth);
  if (state.minPapers > 0) parts.push("minPapers=" + state.minPapers);
  if (!state.withNeighbours) parts.push("neighbours=0");
  if (selected >= 0) parts.push("select=" + encodeURIComponent(nodes[selected].id));
  try { history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search); } catch (e) { /* file: URLs in some browsers */ }
}
function readHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  state.q = (params.get("q") || "").trim().toLowerCase();
  const shown = params.get("labels");
  state.hidden = new Set(shown === null ? [] : LABELS.filter((l) => !shown.split(",").includes(l)));
  const focus = params.get("focus");
  state.focus = focus === null ? -1 : nodes.findIndex((n) => n.id === focus);
  state.depth = Math.max(1, parseInt(params.get("depth") || "1", 10) || 1);
  state.minPapers = Math.max(0, parseInt(params.get("minPapers") || "0", 10) || 0);
  state.withNeighbours = params.get("neighbours") !== "0";
  const pick = params.get("select");
  pendingSelect = pick === null ? -1 : nodes.findIndex((n) => n.id === pick);
  $("search").value = state.q; $("depth").value = state.depth; $("min-papers").value = state.minPapers;
  $("with-neighbours").checked = state.withNeighbours;
}
function update(layout) {
  applyFilters(); drawLegend(); status(); writeHash();
  const partial = visibleIds.length < N;
  if (!partial && full) nodes.forEach((n, i) => { n.x = full[i][0]; n.y = full[i][1]; });
  if (layout && partial && visibleIds.length <= 600) { relayoutSync(0.6); }
  fit(); draw();
}
function relayoutSync(strength) {
  alpha = strength;
  const t0 = performance.now();
  while (alpha > ALPHA_MIN && performance.now() - t0 < 400) tick();
  if (alpha > ALPHA_MIN) animate();
}

$("search").addEventListener("input", (ev) => { state.q = ev.target.value.trim().toLowerCase(); update(true); });
$("with-neighbours").addEventListener("change", (ev) => { state.withNeighbours = ev.target.checked; update(true); });
$("min-papers").addEventListener("change", (ev) => { state.minPapers = Math.max(0, parseInt(ev.target.value, 10) || 0); update(true); });
$("depth").addEventListener("change", (ev) => { state.depth = Math.max(1, parseInt(ev.target.value, 10) || 1); if (state.focus >= 0) update(true); });
$("focus").addEventListener("click", () => { if (selected >= 0) { state.focus = selected; update(true); } });
$("relayout").addEventListener("click", () => { relayout(1); });
$("reset").addEventListener("click", () => { state.q = ""; state.hidden.clear(); state.focus = -1; state.minPapers = 0;
  $("search").value = ""; $("min-papers").value = 0; select(-1); update(false); });
document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") { select(-1); draw(); } });
window.addEventListener("resize", () => { resize(); draw(); });

// --- pointer: hover, click, drag a node, pan, zoom ------------------------------------------
function nodeAt(mx, my) {
  const x = (mx - tx) / k, y = (my - ty) / k;
  let best = -1, bestD = Infinity;
  for (const i of visibleIds) {
    const n = nodes[i], dx = n.x - x, dy = n.y - y, d = dx * dx + dy * dy, r = n.r + 3 / k;
    if (d <= r * r && d < bestD) { best = i; bestD = d; }
  }
  return best;
}
let drag = null;
canvas.addEventListener("mousedown", (ev) => {
  const i = nodeAt(ev.offsetX, ev.offsetY);
  drag = {i, x: ev.offsetX, y: ev.offsetY, moved: false, tx, ty};
  if (i >= 0) nodes[i].fixed = true;
  canvas.style.cursor = "grabbing";
});
canvas.addEventListener("mousemove", (ev) => {
  if (drag) {
    const dx = ev.offsetX - drag.x, dy = ev.offsetY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (drag.i >= 0) { const n = nodes[drag.i]; n.x = (ev.offsetX - tx) / k; n.y = (ev.offsetY - ty) / k; }
    else { tx = drag.tx + dx; ty = drag.ty + dy; }
    tooltip.hidden = true; draw(); return;
  }
  const i = nodeAt(ev.offsetX, ev.offsetY);
  if (i !== hover) { hover = i; draw(); }
  showTooltip(i, ev.offsetX, ev.offsetY);
  canvas.style.cursor = i >= 0 ? "pointer" : "grab";
});
window.addEventListener("mouseup", () => {
  if (!drag) return;
  if (drag.i >= 0) nodes[drag.i].fixed = false;
  if (!drag.moved) { select(drag.i); draw(); }
  drag = null; canvas.style.cursor = "grab";
});
canvas.addEventListener("mouseleave", () => { hover = -1; tooltip.hidden = true; draw(); });
canvas.addEventListener("wheel", (ev) => {
  ev.preventDefault();
  const f = Math.exp(-ev.deltaY * 0.0015), nk = Math.min(40, Math.max(0.01, k * f));
  tx = ev.offsetX - (ev.offsetX - tx) * nk / k; ty = ev.offsetY - (ev.offsetY - ty) * nk / k; k = nk; draw();
}, {passive: false});

// --- first paint ----------------------------------------------------------------------------
resize();
readHash();
applyFilters();
// Lay the whole graph out before the first paint (up to ~1.5 s; a bigger graph keeps settling
// on screen), so the page opens settled and the first paint is the real view.
visibleIds = nodes.map((n) => n.i);
visibleEdges = edges.map((e, idx) => idx);
alpha = 1;
const t0 = performance.now();
while (alpha > ALPHA_MIN && performance.now() - t0 < 1500) tick();
if (alpha <= ALPHA_MIN) saveFull();
update(true);
if (pendingSelect >= 0 && visible[pendingSelect]) { select(pendingSelect); draw(); }
if (alpha > ALPHA_MIN) animate();

// A small read-only handle for scripts that embed or test the page.
window.kgView = {
  shown: () => visibleIds.map((i) => nodes[i].id),
  positionOf: (id) => { const n = nodes.find((m) => m.id === id); return n && visible[n.i] ? {x: n.x * k + tx, y: n.y * k + ty} : null; },
  select: (id) => { select(nodes.findIndex((n) => n.id === id)); draw(); },
  search: (q) => { state.q = String(q).trim().toLowerCase(); $("search").value = state.q; update(true); },
};
document.body.dataset.ready = "true";
})();
"""
