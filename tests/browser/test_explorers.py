"""The explorers move on the static website: dragging a slider changes the figure, no kernel.

An explorer executed for the book (``tools/run_notebooks.py``) saves its figures at a set of
slider positions in a ``Stack`` whose shown child is ``jslink``-ed to a ``SelectionSlider``
(see :class:`calcml.widgets.Explorer`). For every page whose notebook shows an explorer, this
drags each such slider in Chromium and checks that another figure is shown, and that the slider
track is wide enough to drag on a phone.
"""

from __future__ import annotations

import json
import re

import pytest
from booksite import ROOT, settle, toc_docnames

pytestmark = pytest.mark.browser

MIN_TRACK_PX = 200


def _notebooks_with_explorers() -> list[str]:
    pages = []
    for docname in toc_docnames():
        path = ROOT / f"{docname}.ipynb"
        if not path.is_file():
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if re.search(r"\w+_explorer\(", source):
            pages.append(docname)
    return pages


EXPLORER_PAGES = _notebooks_with_explorers()

# Every explorer on the page: the widget box that holds a slider and a widget image.
_EXPLORERS_JS = """
() => Array.from(document.querySelectorAll('.widget-subarea > .widget-vbox'))
  .filter((box) => box.querySelector('[role="slider"]') && box.querySelector('img.widget-image'))
  .map((box, i) => { box.dataset.explorer = String(i); return i; })
"""


def _shown_figure(page, index: int) -> str:
    return page.eval_on_selector(
        f'[data-explorer="{index}"]',
        "box => Array.from(box.querySelectorAll('img.widget-image'))"
        ".filter((img) => img.offsetParent !== null).map((img) => img.src).join(' ')",
    )


def test_some_page_has_an_explorer():
    assert EXPLORER_PAGES, "no notebook of the book shows an explorer"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("docname", EXPLORER_PAGES)
def test_dragging_a_slider_changes_the_figure(browser, base_url, docname, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(base_url) else route.abort()
        ),
    )
    page = ctx.new_page()
    page.goto(f"{base_url}{docname}.html", wait_until="load")
    settle(page)
    page.wait_for_function(
        "() => document.querySelectorAll('img.widget-image').length > 0", timeout=20_000
    )
    explorers = page.evaluate(_EXPLORERS_JS)
    assert explorers, f"{docname}: no explorer drawn"
    problems = []
    for index in explorers:
        box = page.locator(f'[data-explorer="{index}"]')
        handle = box.locator('[role="slider"]').first
        track = box.locator(".slider-container, .noUi-target").first
        handle.scroll_into_view_if_needed()
        width_px = track.bounding_box()["width"]
        if width_px < MIN_TRACK_PX:
            problems.append(f"explorer {index}: slider track {width_px:.0f} px wide")
        before = _shown_figure(page, index)
        start = handle.bounding_box()
        x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
        # Drag towards the side with more room, by a third of the track.
        direction = 1 if x < track.bounding_box()["x"] + width_px / 2 else -1
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + direction * width_px / 3, y, steps=8)
        page.mouse.up()
        page.wait_for_timeout(300)
        after = _shown_figure(page, index)
        if not after or after == before:
            problems.append(f"explorer {index}: the figure did not change when its slider moved")
        if not box.locator("text=Precomputed for this page").count():
            problems.append(f"explorer {index}: the page does not say which positions it shows")
    page.close()
    ctx.close()
    assert not problems, f"{docname} at {width} px:\n" + "\n".join(problems)
