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


def test_one_website_address_shared_by_readme_config_and_package():
    import tomllib
    import yaml

    root = Path(__file__).resolve().parents[1]
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    site, repository = config["html"]["baseurl"], config["repository"]["url"]
    assert site.startswith("https://") and site.endswith("/")
    assert f"<{site}>" in README  # the README gives the address, as a link
    assert project["urls"] == {"Homepage": site, "Source": repository}
    assert f"git+{repository}" in README  # the pip-only install line


def test_readme_states_no_stale_test_count():
    assert not re.search(r"\b\d{3,} (tests|passed)\b", README)
