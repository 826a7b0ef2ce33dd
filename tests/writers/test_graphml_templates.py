"""The writer's per-layout templates give networkx's bytes whatever the values of one layout hold."""

import io

import networkx as nx

from kg.writers.graphml import to_graphml_graph, write_graphml


def test_one_layout_with_values_that_need_the_general_path():
    g = nx.MultiDiGraph()
    # the same names and types, element after element: one template; some values must be
    # escaped, some are empty, one brace could upset a format string
    values = ["plain", "a & b", "<tag>", "", "{0} {}", "x > y", "é ünï", "\ud800"]
    for i, text in enumerate(values):
        g.add_node(f"n{i}", labels=":Paper", label=text, n=i, f=i / 3, flag=bool(i % 2),
                   tags=[text, "t"], meta={"k": text})
    # the same names with a None or another type: layouts of their own
    g.add_node("none", labels=":Paper", label=None, n=1, f=0.5, flag=True, tags=[], meta={})
    g.add_node("int", labels=":Paper", label=7, n=1, f=0.5, flag=True, tags=(), meta={})
    for i in range(len(values) - 1):
        g.add_edge(f"n{i}", f"n{i + 1}", key=f"K{{{i}}}&", label="R", text=values[i], mentions=i)
    expected = io.BytesIO()
    nx.write_graphml(to_graphml_graph(g), expected)
    out = io.BytesIO()
    write_graphml(g, out)
    assert out.getvalue() == expected.getvalue()


def test_a_list_subclass_is_written_as_a_list():
    class Names(list):
        pass

    plain, sub = nx.MultiDiGraph(), nx.MultiDiGraph()
    for g, make in ((plain, list), (sub, Names)):
        for i in range(3):
            g.add_node(f"n{i}", labels=":Method", aliases=make([f"a{i}", "b"]))
    expected, out = io.BytesIO(), io.BytesIO()
    write_graphml(plain, expected)
    write_graphml(sub, out)
    assert out.getvalue() == expected.getvalue()
