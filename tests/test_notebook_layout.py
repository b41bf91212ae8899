"""Every course notebook can be opened on Colab: its first code cell installs calcml there."""

from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p for folder in ("chapters", "exercises", "solutions") for p in (ROOT / folder).glob("*.ipynb")
)
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def test_every_chapter_has_its_exercise_and_solution_notebooks():
    toc = (ROOT / "_toc.yml").read_text()
    stems = {
        folder: sorted(p.stem for p in NOTEBOOKS if p.parent.name == folder)
        for folder in ("chapters", "exercises", "solutions")
    }
    assert len(stems["chapters"]) == 12
    assert stems["chapters"] == stems["exercises"] == stems["solutions"]
    for path in NOTEBOOKS:  # every notebook is in the book
        assert f"file: {path.parent.name}/{path.stem}\n" in toc


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_first_code_cell_installs_calcml_on_colab_only(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert 'if "google.colab" in sys.modules:' in first.source
    # the repository the launch buttons point to (_config.yml) is the one installed from
    assert f'%pip install -q "calcml[course] @ git+{REPOSITORY}"' in first.source
    # hidden on the website, where it would only distract
    assert "remove-cell" in first.metadata.get("tags", [])
    assert first.outputs == []
