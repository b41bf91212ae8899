"""Accessibility of the book's pages: axe-core (axe-playwright-python) in Debian's Chromium.

Violations of impact "serious" or "critical" fail the test; lesser ones are printed. axe-core
ships inside the axe-playwright-python package (axe.min.js), so nothing is fetched.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from booksite import settle, toc_docnames

pytestmark = pytest.mark.browser

FAILING_IMPACTS = {"serious", "critical"}
# Every page of the table of contents: the intro, the notation page, chapters, exercises and
# solutions (all are read as chapters of the book).
PAGES = toc_docnames()


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _describe(violation: dict) -> str:
    targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])[:5]]
    return (
        f"[{violation['impact']}] {violation['id']}: {violation['help']} "
        f"({len(violation.get('nodes', []))} elements, e.g. {targets})"
    )


@pytest.mark.parametrize("docname", PAGES)
def test_no_serious_accessibility_violations(context, base_url, axe, docname):
    page = context.new_page()
    page.goto(f"{base_url}{docname}.html", wait_until="load")
    settle(page)
    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }"
    )
    results = axe.run(page)
    page.close()
    violations = results.response["violations"]
    for violation in violations:
        if violation["impact"] not in FAILING_IMPACTS:
            print(f"{docname}: {_describe(violation)}")
    failing = [_describe(v) for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"{docname}:\n" + "\n".join(failing)
