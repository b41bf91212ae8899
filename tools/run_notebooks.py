"""Execute notebooks in place and save their outputs (the outputs the book shows and nbval checks).

Usage: ``python tools/run_notebooks.py chapters/04_hessian.ipynb [more.ipynb ...]``
(``make notebooks`` runs it on every notebook). Each notebook runs in a fresh kernel with its own
folder as the working directory; widget state is saved so the website can draw the widgets.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path) -> float:
    """Execute `path` in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        store_widget_state=True,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name in sys.argv[1:]:
        print(f"{name}: {run(Path(name)):.1f} s", flush=True)
