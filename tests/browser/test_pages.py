"""Every page of the table of contents, opened in a real browser with no internet.

For each page: HTTP 200, no console error, no request leaving 127.0.0.1, math typeset by the
vendored MathJax (no raw TeX left on the page), every image loaded, saved widgets drawn.
A full-page screenshot of each page is written to ``_build/screenshots/`` for inspection.
"""

from __future__ import annotations

import pytest
from booksite import toc_docnames

pytestmark = pytest.mark.browser

PAGES = toc_docnames()


@pytest.mark.parametrize("docname", PAGES)
def test_page_loads_without_errors(visit, docname):
    report = visit(docname)
    assert report.status == 200, f"{report.url} answered {report.status}"
    assert not report.console_errors, "console errors:\n" + "\n".join(report.console_errors)
    assert not report.http_errors, "failed requests:\n" + "\n".join(report.http_errors)
    assert not report.external_requests, (
        "the page tries to reach the internet (blocked):\n" + "\n".join(report.external_requests)
    )
    assert report.screenshot is not None and report.screenshot.stat().st_size > 0


@pytest.mark.parametrize("docname", PAGES)
def test_math_is_typeset(visit, docname):
    math = visit(docname).math
    assert not math["untypeset"], f"math left untypeset: {math['untypeset'][:5]}"
    assert not math["errors"], f"MathJax could not typeset: {math['errors'][:5]}"
    assert not math["raw_tex"], f"raw TeX visible on the page: {math['raw_tex'][:5]}"


@pytest.mark.parametrize("docname", PAGES)
def test_images_load(visit, docname):
    broken = [image["src"] for image in visit(docname).images if not image["ok"]]
    assert not broken, f"images that did not load: {broken}"


@pytest.mark.parametrize("docname", PAGES)
def test_saved_widgets_are_drawn(visit, docname):
    widgets = visit(docname).widgets
    assert widgets["drawn"] >= widgets["views"], (
        f"{widgets['views']} saved widget views, only {widgets['drawn']} drawn"
    )
    assert widgets["failed"] == 0, "the widget manager reported a rendering error"


def test_some_page_has_math_images_and_widgets(visit):
    """Guard against the checks above passing vacuously on a book that shows none of them."""
    reports = [visit(docname) for docname in PAGES]
    assert any(r.math["nodes"] for r in reports), "no page has math"
    assert any(r.images for r in reports), "no page has an image"
    assert any(r.widgets["views"] for r in reports), "no page has a saved widget"
