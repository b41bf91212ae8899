"""Execute notebooks in place and save their outputs (the outputs the book shows and nbval checks).

Usage: ``python tools/run_notebooks.py chapters/04_hessian.ipynb [more.ipynb ...]``
(``make notebooks`` runs it on every notebook). Each notebook runs in a fresh kernel with its own
folder as the working directory; widget state is saved so the website can draw the widgets.

Two settings make the saved outputs fit the website:

* matplotlib figures are saved as PNGs with twice the pixels of their size on the page
  (IPython's "retina" format; the page size goes in the output's metadata), so they are sharp on
  high-density screens. PNG, not SVG: nbval compares SVG text but never PNGs.
* ``CALCML_STATIC_EXPLORERS=1``: calcml's explorers precompute their figures at a set of slider
  positions and link them in the browser, so they move on the static website
  (see :class:`calcml.widgets.Explorer`). Opened in Jupyter, they recompute live.
"""

import os
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
        extra_arguments=["--InlineBackend.figure_formats=retina"],
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    os.environ["CALCML_STATIC_EXPLORERS"] = "1"  # inherited by the kernels
    for name in sys.argv[1:]:
        print(f"{name}: {run(Path(name)):.1f} s", flush=True)
