"""The README's calcml example runs and computes what its comments say."""

import re
from pathlib import Path

import numpy as np

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_example_runs_and_its_comments_are_right():
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    names: dict = {}
    exec(compile(block, "README.md", "exec"), names)  # noqa: S102 - our own documentation
    calcml, f, model = names["calcml"], names["f"], names["model"]
    np.testing.assert_allclose(calcml.grad(f)(1.0, 2.0), [4, 5], atol=1e-9)
    np.testing.assert_allclose(calcml.hessian(f)(1.0, 2.0), [[2, 1], [1, 2]], atol=1e-7)
    assert np.all(calcml.grad(f, error=True)(1.0, 2.0).error < 1e-6)
    np.testing.assert_allclose(model.gradient()(np.array([[1.0, 2.0]])), [[2, 1]], atol=1e-8)
