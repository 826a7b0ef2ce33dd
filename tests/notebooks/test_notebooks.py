"""Every notebook in notebooks/ runs top to bottom without an error, and is committed with outputs.

The notebooks build the sample graph from data/seeds with `kg build` when $KG_SAMPLE_GRAPH does
not exist; here it points into a temporary folder, so the first notebook builds it (through the
real pipeline) and the others reuse it.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def sample_graph_path(tmp_path_factory):
    return tmp_path_factory.mktemp("notebooks") / "sample.graphml"


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_landscape.ipynb", "02_methods_datasets.ipynb", "03_centrality.ipynb",
        "04_claims.ipynb", "05_neighbourhood.ipynb"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, sample_graph_path, monkeypatch):
    monkeypatch.setenv("KG_SAMPLE_GRAPH", str(sample_graph_path))
    nb = nbformat.read(path, as_version=4)
    # Raises CellExecutionError, with the failing cell and traceback, on the first error.
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_with_outputs(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code), "run notebooks/execute.py and commit"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs), "no figure in the notebook"
    assert not any("__" in c.source and c.source.strip().startswith("__") for c in nb.cells), "placeholder text left"
