"""Binder gets exactly what the book needs: a fresh environment from binder/ runs every notebook.

``test_binder_environment_runs_every_notebook`` does what Binder (repo2docker) does with
``binder/``: a new virtual environment, ``pip install -r binder/requirements.txt``, then
``binder/postBuild`` (which installs calcml from the checkout), in a copy of the repository
holding only its tracked and unignored files. It adds only what Binder's base image provides
itself: the Python kernel and a notebook runner (ipykernel, nbclient, pinned as in
requirements.txt). Then every chapter runs top to bottom in that environment's kernel, and
every module any notebook imports (chapters, exercises, solutions) is imported there: a package
a notebook imports but binder/ lacks fails here. (The exercise and solution notebooks
themselves run under strict nbval in the main environment, whose pins binder/ must match.)
pip uses its local cache.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from pathlib import Path

import pytest
from freshenv import FreshVenv, copy_repository

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
# The chapters run in the Binder environment; for every notebook, its imports are checked there.
RUN_DIRS = ("chapters",)
IMPORT_DIRS = ("chapters", "exercises", "solutions")
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


def notebook_imports(paths: list[Path]) -> list[str]:
    """Return what the code cells of `paths` import: ``module`` or ``module:name``."""
    import nbformat
    from IPython.core.inputtransformer2 import TransformerManager

    modules = set()
    for path in paths:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            python = TransformerManager().transform_cell(cell.source)  # magics -> calls
            for node in ast.walk(ast.parse(python)):
                if isinstance(node, ast.Import):
                    modules.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.update(f"{node.module}:{alias.name}" for alias in node.names)
    return sorted(modules)


def test_notebook_imports_are_found():
    found = notebook_imports(sorted((ROOT / "solutions").glob("*.ipynb")))
    assert {"numpy", "calcml", "calcml.widgets:submit", "calcml:autodiff"} <= set(found)
    assert "google.colab" not in found  # only named in a string, never imported


RUNNER = textwrap.dedent(
    """
    import importlib, sys, time
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient

    failures = []
    modules = sys.argv[1].split(",")
    for item in modules:  # "module" or "module:name" (from module import name)
        name, _, attribute = item.partition(":")
        try:
            module = importlib.import_module(name)
            if attribute and not hasattr(module, attribute):  # as `from name import attribute`
                importlib.import_module(f"{name}.{attribute}")
        except Exception as error:
            failures.append(f"import {item}: {type(error).__name__}: {error}")
    print(f"imported {len(modules)} modules the notebooks import", flush=True)
    for path in sys.argv[2:]:
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
        str(p.relative_to(repo)) for d in RUN_DIRS for p in (repo / d).glob("*.ipynb")
    )
    assert notebooks, "no notebooks to run"
    modules = notebook_imports(sorted(p for d in IMPORT_DIRS for p in (repo / d).glob("*.ipynb")))

    venv = FreshVenv(tmp_path, repo)
    main_pins = _pins(ROOT / "requirements.txt")
    tools = [f"{name}=={main_pins[name]}" for name in KERNEL_TOOLS]

    run, python = venv.run, venv.python
    run(python, "-m", "pip", "install", "-q", "-r", "binder/requirements.txt", *tools)
    run("bash", "binder/postBuild")
    run(python, "-m", "pip", "check")
    run(python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3")
    result = run(python, "-c", RUNNER, ",".join(modules), *notebooks)
    print(result.stdout)
