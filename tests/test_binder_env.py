"""Binder gets exactly what the book needs: a fresh environment from binder/ runs every notebook.

``test_binder_environment_runs_every_notebook`` does what Binder (repo2docker) does with
``binder/``: a new virtual environment, ``pip install -r binder/requirements.txt``, then
``binder/postBuild`` (which installs calcml from the checkout), in a copy of the repository
holding only its tracked and unignored files. It adds only what Binder's base image provides
itself: the Python kernel and a notebook runner (ipykernel, nbclient, pinned as in
requirements.txt). Then every notebook of chapters/ and solutions/ runs top to bottom in that
environment's kernel (exercises/ are the solutions without their answers: same imports). A
package a notebook imports but binder/ lacks fails here. pip uses its local cache.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest
from freshenv import FreshVenv, copy_repository

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
# exercises/ are their solutions/ without the answers: same imports, same widgets, so running the
# solutions covers them (and keeps this serial test within a few minutes).
NOTEBOOK_DIRS = ("chapters", "solutions")
# Provided by Binder's base image, not by binder/: the kernel and something to run notebooks.
KERNEL_TOOLS = ("ipykernel", "nbclient", "nbformat")


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)", line.strip())
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def test_binder_pins_match_the_stack_the_outputs_were_computed_with():
    binder, main = _pins(BINDER / "requirements.txt"), _pins(ROOT / "requirements.txt")
    assert set(binder) == {
        "numpy",
        "scipy",
        "matplotlib",
        "ipywidgets",
        "scikit-learn",  # Part II's data set ships inside it
        "joblib",
        "threadpoolctl",
    }
    for name, version in binder.items():
        assert main.get(name) == version, (
            f"{name}: binder {version}, requirements.txt {main.get(name)}"
        )
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == "python-{}.{}".format(*sys.version_info[:2]), (
        f"binder/runtime.txt says {runtime}; the tests run Python {sys.version_info[:2]}"
    )


RUNNER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient

    failures = []
    for path in sys.argv[1:]:
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(Path(path).parent)}})
        try:
            with client.setup_kernel():
                argv0 = client.km.kernel_spec.argv[0]
                assert Path(argv0).resolve() == Path(sys.executable).resolve(), argv0
                for index, cell in enumerate(nb.cells):
                    client.execute_cell(cell, index)
        except Exception as error:
            failures.append(f"{path}: {type(error).__name__}: {str(error)[-1500:]}")
        print(f"{time.perf_counter() - start:6.1f} s  {path}", flush=True)
    print("\\n\\n".join(failures))
    sys.exit(1 if failures else 0)
    """
)


@pytest.mark.slow
def test_binder_environment_runs_every_notebook(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    notebooks = sorted(
        str(p.relative_to(repo)) for d in NOTEBOOK_DIRS for p in (repo / d).glob("*.ipynb")
    )
    assert notebooks, "no notebooks to run"

    venv = FreshVenv(tmp_path, repo)
    main_pins = _pins(ROOT / "requirements.txt")
    tools = [f"{name}=={main_pins[name]}" for name in KERNEL_TOOLS]

    run, python = venv.run, venv.python
    run(python, "-m", "pip", "install", "-q", "-r", "binder/requirements.txt", *tools)
    run("bash", "binder/postBuild")
    run(python, "-m", "pip", "check")
    run(python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3")
    result = run(python, "-c", RUNNER, *notebooks)
    print(result.stdout)
