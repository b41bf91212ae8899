"""A newcomer's installs work: the pip-only install of calcml, and the README's steps without make.

Both build a fresh virtual environment (pip installs from its local cache), so they are marked
slow; ``make test`` runs them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from freshenv import FreshVenv, copy_repository

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

LIBRARY_CHECK = """
import sys
import numpy as np
import calcml
from calcml.widgets import submit, vector_checker

assert np.allclose(calcml.grad(lambda x, y: x * y)(1.0, 2.0), [2.0, 1.0])
heavy = [name for name in ("nbclient", "jupyter_book", "sklearn", "tqdm") if name in sys.modules]
assert not heavy, heavy
print("ok")
"""


def _bash_block_after(heading: str) -> list[str]:
    """The command lines of the first ```bash block after `heading` in the README."""
    start = README.index(heading)
    block = re.search(r"```bash\n(.*?)```", README[start:], re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.slow
def test_pip_install_of_the_built_wheel_with_the_widgets_extra(tmp_path):
    line = next(li for li in README.splitlines() if li.startswith('pip install "calcml[widgets] @'))
    repository = re.search(r"git\+(\S+)\"", line).group(1)
    assert repository in (ROOT / "_config.yml").read_text(encoding="utf-8")

    venv = FreshVenv(tmp_path, ROOT)
    wheels = tmp_path / "wheels"
    venv.run(venv.python, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT))
    (wheel,) = wheels.glob("calcml-*.whl")
    venv.run(venv.python, "-m", "pip", "install", "-q", f"calcml[widgets] @ {wheel.as_uri()}")
    assert venv.run(venv.python, "-c", LIBRARY_CHECK).stdout.strip() == "ok"

    installed = venv.run(venv.python, "-m", "pip", "list", "--format=freeze").stdout.lower()
    assert "calcml==" in installed and "ipywidgets==" in installed
    for absent in ("nbclient", "jupyter-book", "scikit-learn", "tqdm"):
        assert f"{absent}==" not in installed, f"{absent} is not part of calcml[widgets]"
    # the licences travel with the package
    licences = venv.run(
        venv.python,
        "-c",
        "from importlib.metadata import metadata, files; "
        "print(metadata('calcml')['License-Expression']); "
        "print(sorted(f.name for f in files('calcml') if 'LICENSE' in f.name))",
    ).stdout.split("\n")
    assert licences[0] == "MIT" and licences[1] == "['LICENSE', 'LICENSE-CONTENT']"

    # without the grade extra, the grader says what to install instead of a traceback
    notebook = str(ROOT / "exercises" / "01_partial_derivatives.ipynb")
    grade = venv.run(str(venv.path / "bin" / "calcml-grade"), notebook, check=False)
    assert grade.returncode != 0
    assert "calcml[grade]" in grade.stdout + grade.stderr
    assert "Traceback" not in grade.stderr


@pytest.mark.slow
def test_the_readme_steps_without_make_run_a_notebook(tmp_path):
    lines = _bash_block_after("Without make")
    assert lines[0] == "python3 -m venv .venv"
    assert lines[-1] == ".venv/bin/jupyter lab"
    repo = copy_repository(tmp_path / "repo")
    venv = FreshVenv(tmp_path, repo, path=repo / ".venv", create=False)
    for line in lines[:-1]:
        venv.run("bash", "-c", line)
    # the last line starts a server; check it would, then run a chapter in that environment
    assert venv.run(".venv/bin/jupyter", "lab", "--version").stdout.strip()
    venv.run(
        ".venv/bin/jupyter",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--output-dir",
        str(tmp_path / "out"),
        "chapters/01_partial_derivatives.ipynb",
    )
    assert (tmp_path / "out" / "01_partial_derivatives.ipynb").stat().st_size > 10_000
