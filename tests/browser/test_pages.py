"""Every page of the table of contents, opened in a real browser with no internet.

Each page is opened once at a laptop width (1280 px) and once at a phone width (390 px); the
tests below read what those openings recorded (see ``visit`` in conftest.py):

* At 1280 px: HTTP 200, no console error, no request leaving 127.0.0.1, math typeset by the
  vendored MathJax (no raw TeX left on the page), every image loaded, saved widgets drawn, no
  serious or critical accessibility violation (axe-core, which ships inside the
  axe-playwright-python package; lesser violations are printed), code cells and display
  equations that fit the column, figures saved at twice their page size (sharp on retina).
* At both widths: no page wider than the screen, and no figure (explorers' figures included)
  shrunk so far that its smallest text drops under 9 px.

Full-page screenshots of every page at both widths go to ``_build/screenshots/<width>/``.
"""

from __future__ import annotations

import pytest
from booksite import toc_docnames

pytestmark = pytest.mark.browser

# Every page of the table of contents: the intro, the notation page, chapters, exercises and
# solutions (all are read as chapters of the book).
PAGES = toc_docnames()
WIDTHS = (390, 1280)
FAILING_IMPACTS = {"serious", "critical"}
# The smallest text calcml draws is matplotlib's "small" (10 pt x 0.833) at 100 dpi: 11.6 px at
# a figure's page size. It must stay >= 9 px as displayed.
SMALLEST_TEXT_PX = 10 * 0.833 * 100 / 72
MIN_TEXT_PX = 9.0


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


def _describe(violation: dict) -> str:
    targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])[:5]]
    return (
        f"[{violation['impact']}] {violation['id']}: {violation['help']} "
        f"({len(violation.get('nodes', []))} elements, e.g. {targets})"
    )


@pytest.mark.parametrize("docname", PAGES)
def test_no_serious_accessibility_violations(visit, docname):
    violations = visit(docname).accessibility
    for violation in violations:
        if violation["impact"] not in FAILING_IMPACTS:
            print(f"{docname}: {_describe(violation)}")
    failing = [_describe(v) for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"{docname}:\n" + "\n".join(failing)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("docname", PAGES)
def test_page_is_no_wider_than_the_screen(visit, docname, width):
    m = visit(docname, width).layout
    assert m["scrollWidth"] <= m["innerWidth"], (
        f"{docname} lays out at {m['scrollWidth']} px on a {width} px screen; too wide: {m['wide']}"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("docname", PAGES)
def test_figure_text_stays_legible(visit, docname, width):
    """No figure is shrunk so far that its smallest text is under 9 px on the screen."""
    small = [
        f"{f['src']}: shown at {f['shown']:.0f} of {f['page']:.0f} px "
        f"(text {SMALLEST_TEXT_PX * f['shown'] / f['page']:.1f} px)"
        for f in visit(docname, width).layout["figures"]
        if SMALLEST_TEXT_PX * f["shown"] / f["page"] < MIN_TEXT_PX
    ]
    assert not small, "\n".join(small)


@pytest.mark.parametrize("docname", PAGES)
def test_figures_are_saved_at_twice_their_page_size(visit, docname):
    """Retina PNGs: the file has two pixels per CSS pixel of the figure's page size."""
    blurry = [
        f"{f['src']}: {f['natural']} px file for {f['page']:.0f} px on the page"
        for f in visit(docname).layout["figures"]
        if f["natural"] < 1.9 * f["page"]
    ]
    assert not blurry, "figures at 1x (re-execute with tools/run_notebooks.py):\n" + "\n".join(
        blurry
    )


@pytest.mark.parametrize("docname", PAGES)
def test_code_and_equations_fit_the_column_on_a_laptop(visit, docname):
    m = visit(docname).layout
    assert not m["code"], "code cells that scroll sideways at 1280 px:\n" + "\n".join(m["code"])
    assert not m["math"], "display equations overflowing the column:\n" + "\n".join(m["math"])
