"""Run the notebooks top to bottom and save them with their outputs (what is committed).

    python notebooks/execute.py                  # every notebook in this folder
    python notebooks/execute.py 04_claims.ipynb  # some of them

Each notebook loads the sample graph from $KG_SAMPLE_GRAPH, else ``out/sample.graphml``, and
builds that file from ``data/seeds`` with ``kg build`` when it does not exist yet (delete it to
rebuild after the extractor changes). ``tests/notebooks/test_notebooks.py`` runs them the same
way without saving.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def execute(path: Path, *, save: bool = False, timeout: int = 900) -> nbformat.NotebookNode:
    """Execute one notebook with the working directory set to notebooks/; raise on any error."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(HERE)}})
    client.execute()
    if save:
        nbformat.write(nb, path)
    return nb


def main(names: list[str]) -> None:
    paths = [HERE / name for name in names] if names else sorted(HERE.glob("*.ipynb"))
    for path in paths:
        print(f"executing {path.name}", file=sys.stderr)
        execute(path, save=True)


if __name__ == "__main__":
    main(sys.argv[1:])
