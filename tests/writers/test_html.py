"""The HTML view: self-contained, and showing the graph when opened in headless Chromium.

Chromium is Debian's `chromium` package. Outside CI the browser tests skip, saying why, when it
is not installed; in CI (env CI set) a missing browser is a failure: `scripts/test` installs it.
"""

import html
import os
import re
import shutil
import struct
import subprocess
import zlib

import networkx as nx
import pytest

from kg.export import filter_graph
from kg.writers.gexf import PALETTE
from kg.writers.html import render_html, write_html
from tests.export.graphs import awkward_graph, sample_graph

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser(tmp_path):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not on PATH in CI (scripts/test installs Debian's chromium package)")
        pytest.skip("chromium is not on PATH (apt-get install chromium); the HTML view is not checked")

    def run(url, *args, timeout=120):
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,800",
               *args, url]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    return run


def body_attrs(dom):
    m = re.search(r"<body([^>]*)>", dom)
    assert m, dom[:500]
    return {k: html.unescape(v) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', m[1])}


def open_page(browser, path, fragment=""):
    dom = browser(path.as_uri() + fragment, "--dump-dom")
    attrs = body_attrs(dom)
    assert attrs["ready"] == "true", "the page script did not finish"
    return attrs, dom


def test_page_is_self_contained(tmp_path):
    page = render_html(awkward_graph())
    assert "<link" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"\b(fetch|XMLHttpRequest|import\s*\(|importScripts)\b", page)
    assert re.search(r"https?://", page.replace("https://github.com/ABC/fedhyper", "")) is None
    # The abstract holds "</script>": escaped inside the embedded JSON, so the element does not end early.
    data = page.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<\\/script>" in data


def test_shows_every_node_and_relationship(tmp_path, browser):
    g = sample_graph()
    path = tmp_path / "view.html"
    write_html(g, path)
    attrs, dom = open_page(browser, path)
    assert int(attrs["node-count"]) == g.number_of_nodes() == 19
    assert int(attrs["edge-count"]) == g.number_of_edges() == 28
    assert f"19 of 19 nodes · 28 of 28 relationships" in dom
    for label in ("Paper", "Method", "Dataset", "Task", "Metric", "Claim", "Repository", "Author"):
        assert f"{label} (" in dom  # legend entry with its count


def test_awkward_values_and_markup_in_text_do_not_break_the_page(tmp_path, browser):
    g = awkward_graph()
    g.nodes["method:bert"]["label"] = '<img src=x onerror="document.body.dataset.pwned=1">BERT'
    path = tmp_path / "view.html"
    write_html(g, path, title="A <b>title</b> & more")
    attrs, dom = open_page(browser, path)
    assert "pwned" not in attrs
    assert int(attrs["node-count"]) == g.number_of_nodes()
    assert "<title>A &lt;b&gt;title&lt;/b&gt; &amp; more</title>" in dom


def test_filters_in_the_url_fragment(tmp_path, browser):
    g = sample_graph()
    path = tmp_path / "view.html"
    write_html(g, path)
    methods = sum(1 for _, d in g.nodes(data=True) if d["labels"] == ":Method")
    attrs, _ = open_page(browser, path, "#labels=Method")
    assert int(attrs["node-count"]) == methods
    # The neighbourhood view agrees with the exporter's --around filter.
    around = filter_graph(g, around="method:fedhyper", depth=2)
    attrs, dom = open_page(browser, path, "#focus=method%3Afedhyper&depth=2")
    assert int(attrs["node-count"]) == around.number_of_nodes()
    assert int(attrs["edge-count"]) == around.number_of_edges()
    # Search: the matches and their neighbours.
    matches = {n for n, d in g.nodes(data=True) if "fedavg" in (d["label"] + " " + n).lower()}
    shown = matches | {m for n in matches for m in nx.all_neighbors(g, n)}
    attrs, dom = open_page(browser, path, "#q=fedavg")
    assert int(attrs["node-count"]) == len(shown)
    assert f"{len(matches)} matches for “fedavg”" in dom
    attrs, _ = open_page(browser, path, "#q=fedavg&neighbours=0")
    assert int(attrs["node-count"]) == len(matches)


def test_hover_and_click_show_the_properties(tmp_path, browser):
    """Drive the page as a person would: move onto a node, then click it."""
    g = sample_graph()
    probe = """<script>
    (function () {
      const c = document.getElementById("view"), r = c.getBoundingClientRect();
      const p = kgView.positionOf("method:fedavg");
      const at = {clientX: r.left + p.x, clientY: r.top + p.y, bubbles: true};
      c.dispatchEvent(new MouseEvent("mousemove", at));
      const tip = document.getElementById("tooltip");
      document.body.dataset.tooltip = tip.hidden ? "" : tip.textContent;
      c.dispatchEvent(new MouseEvent("mousedown", at));
      window.dispatchEvent(new MouseEvent("mouseup", at));
      const details = document.getElementById("details");
      document.body.dataset.details = details.hidden ? "" : details.textContent;
    })();
    </script></body>"""
    path = tmp_path / "view.html"
    path.write_text(render_html(g).replace("</body>", probe), encoding="utf-8")
    attrs, _ = open_page(browser, path)
    assert "FedAvg" in attrs["tooltip"] and "method:fedavg" in attrs["tooltip"]
    assert "paper_count3" in attrs["tooltip"].replace(" ", "")
    details = attrs["details"]
    assert f"{g.degree('method:fedavg')} relationships" in details
    assert "OUTPERFORMS" in details and "Another look at FedAvg" in details


def _png_pixels(data):
    """RGB(A) rows of a PNG as Chromium writes it (8-bit, no interlace)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, ihdr = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = ihdr
    assert depth == 8 and interlace == 0 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride, rows, prev = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def test_screenshot_shows_nodes_in_their_label_colours(tmp_path, browser):
    g = sample_graph()
    path = tmp_path / "view.html"
    write_html(g, path)
    shot = tmp_path / "shot.png"
    browser(path.as_uri(), f"--screenshot={shot}")
    width, height, bpp, rows = _png_pixels(shot.read_bytes())
    # Below the header (legend swatches are there too), count pixels of each label's colour.
    seen = set()
    wanted = {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)): label for label, c in PALETTE.items()}
    for row in rows[height // 4:]:
        for x in range(0, width * bpp, bpp):
            rgb = tuple(row[x:x + 3])
            if rgb in wanted:
                seen.add(wanted[rgb])
    assert seen == {"Paper", "Method", "Dataset", "Task", "Metric", "Claim", "Repository", "Author"}
