"""The site as a reader uses it, at a phone width (390 px) and a laptop width (1280 px).

* Navigation: the sidebar drawer opens on a phone and its chapter links work; on a laptop the
  sidebar button collapses the sidebar; the intro page lists every chapter.
* Layout: no page is wider than the screen; code cells fit the column on a laptop; display
  equations wider than the column scroll inside themselves.
* Figures: notebook figures are saved at twice their page size (sharp on retina screens) and are
  never shown so small that their smallest text drops under 9 px.

Screenshots of every page at both widths go to ``_build/screenshots/<width>/``.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from booksite import ROOT, chapter_docnames, settle, toc_docnames

pytestmark = pytest.mark.browser

PAGES = toc_docnames()
WIDTHS = (390, 1280)
# The smallest text calcml draws is matplotlib's "small" (10 pt x 0.833) at 100 dpi: 11.6 px at
# a figure's page size. It must stay >= 9 px as displayed.
SMALLEST_TEXT_PX = 10 * 0.833 * 100 / 72
MIN_TEXT_PX = 9.0
SCREENSHOTS = ROOT / "_build" / "screenshots"

_MEASURE_JS = r"""
async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await new Promise((r) => setTimeout(r, 200));
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > window.innerWidth + 1) {
    for (const el of document.querySelectorAll(".bd-article *")) {
      const box = el.getBoundingClientRect();
      if (box.right > window.innerWidth + 1 && box.width > 0) {
        let p = el.parentElement, clipped = false;
        while (p) {
          const o = getComputedStyle(p).overflowX;
          if (o === "auto" || o === "scroll" || o === "hidden") { clipped = true; break; }
          p = p.parentElement;
        }
        if (!clipped) wide.push(el.tagName.toLowerCase() + "." + el.className + " " +
                                Math.round(box.right) + "px");
      }
      if (wide.length > 5) break;
    }
  }
  const figures = [];
  for (const img of document.querySelectorAll(".bd-article .cell_output img")) {
    if (img.closest(".jupyter-widgets")) continue;
    try { await img.decode(); } catch (e) {}
    const page = parseFloat(img.style.width) || parseFloat(img.getAttribute("width")) ||
      img.naturalWidth;
    figures.push({src: img.getAttribute("src"), natural: img.naturalWidth, page: page,
                  shown: img.getBoundingClientRect().width});
  }
  const code = [];
  for (const pre of document.querySelectorAll(".bd-article .cell_input div.highlight pre")) {
    if (pre.scrollWidth > pre.clientWidth + 1) {
      const longest = Math.max(...pre.textContent.split("\n").map((l) => l.length));
      code.push(longest + " chars: " + pre.textContent.split("\n")[0].slice(0, 60));
    }
  }
  const math = [];
  for (const m of document.querySelectorAll(".bd-article mjx-container[display='true']")) {
    const box = m.getBoundingClientRect();
    const article = document.querySelector(".bd-article").getBoundingClientRect();
    if (box.right > article.right + 1) math.push(m.textContent.slice(0, 60));
  }
  return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, wide, figures, code,
          math};
}
"""


@pytest.fixture(scope="module")
def sized(browser, base_url):
    """Open a page at a viewport width once; return its measurements (and save a screenshot)."""
    contexts, cache = {}, {}

    def _open(docname: str, width: int) -> dict:
        if (docname, width) in cache:
            return cache[docname, width]
        if width not in contexts:
            ctx = browser.new_context(viewport={"width": width, "height": 900})
            ctx.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(base_url) else route.abort()
                ),
            )
            contexts[width] = ctx
        page = contexts[width].new_page()
        page.goto(f"{base_url}{docname}.html", wait_until="load")
        settle(page)
        result = page.evaluate(_MEASURE_JS)
        folder = SCREENSHOTS / str(width)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{docname.replace('/', '__')}.png"), full_page=True)
        page.close()
        cache[docname, width] = result
        return result

    yield _open
    for ctx in contexts.values():
        ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("docname", PAGES)
def test_page_is_no_wider_than_the_screen(sized, docname, width):
    m = sized(docname, width)
    assert m["scrollWidth"] <= m["innerWidth"], (
        f"{docname} lays out at {m['scrollWidth']} px on a {width} px screen; too wide: {m['wide']}"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("docname", PAGES)
def test_figure_text_stays_legible(sized, docname, width):
    """No figure is shrunk so far that its smallest text is under 9 px on the screen."""
    small = [
        f"{f['src']}: shown at {f['shown']:.0f} of {f['page']:.0f} px "
        f"(text {SMALLEST_TEXT_PX * f['shown'] / f['page']:.1f} px)"
        for f in sized(docname, width)["figures"]
        if SMALLEST_TEXT_PX * f["shown"] / f["page"] < MIN_TEXT_PX
    ]
    assert not small, "\n".join(small)


@pytest.mark.parametrize("docname", PAGES)
def test_figures_are_saved_at_twice_their_page_size(sized, docname):
    """Retina PNGs: the file has two pixels per CSS pixel of the figure's page size."""
    blurry = [
        f"{f['src']}: {f['natural']} px file for {f['page']:.0f} px on the page"
        for f in sized(docname, 1280)["figures"]
        if f["natural"] < 1.9 * f["page"]
    ]
    assert not blurry, "figures at 1x (re-execute with tools/run_notebooks.py):\n" + "\n".join(
        blurry
    )


@pytest.mark.parametrize("docname", PAGES)
def test_code_and_equations_fit_the_column_on_a_laptop(sized, docname):
    m = sized(docname, 1280)
    assert not m["code"], "code cells that scroll sideways at 1280 px:\n" + "\n".join(m["code"])
    assert not m["math"], "display equations overflowing the column:\n" + "\n".join(m["math"])


def test_phone_drawer_opens_and_follows_a_chapter_link(browser, base_url):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = ctx.new_page()
    first, second = chapter_docnames()[:2]
    page.goto(f"{base_url}{first}.html", wait_until="load")
    dialog = page.locator("#pst-primary-sidebar-modal")
    assert not dialog.evaluate("d => d.open")
    page.locator(".primary-toggle:visible").first.click()
    page.wait_for_function(
        "() => document.querySelector('#pst-primary-sidebar-modal').open", timeout=5_000
    )
    link = dialog.locator(f'a[href$="{second.split("/")[-1]}.html"]').first
    assert link.is_visible(), "the drawer is open but does not show the next chapter"
    box = link.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= 390
    link.click()
    page.wait_for_url(f"**/{second}.html", timeout=10_000)
    # A tap leaves no tooltip covering the header's other buttons (search).
    assert page.locator(".tooltip:visible").count() == 0
    ctx.close()


def test_laptop_sidebar_button_collapses_the_sidebar(browser, base_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(f"{base_url}{chapter_docnames()[0]}.html", wait_until="load")
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    page.locator(".primary-toggle:visible").first.click()
    page.wait_for_function(
        "() => document.querySelector('#pst-primary-sidebar')"
        ".classList.contains('pst-sidebar-hidden')",
        timeout=5_000,
    )
    ctx.close()


def test_intro_page_lists_every_chapter(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    if "url=" in html and "intro.html" in html:  # Jupyter Book's redirect to the root page
        html = (site_dir / "intro.html").read_text(encoding="utf-8")
    article = html.split('<article class="bd-article">', 1)[1]
    missing = [d for d in PAGES[1:] if f'href="{d}.html"' not in article]
    assert not missing, f"the intro page's table of contents lacks {missing}"


def test_every_page_links_the_book_pdf_and_it_is_built(site_dir, base_url):
    """The download menu's ".pdf" is the whole book built with LaTeX (``make pdf``)."""
    import urllib.request

    missing = []
    for docname in PAGES:
        html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
        prefix = "../" * docname.count("/")
        if f'href="{prefix}calcml-book.pdf"' not in html or "window.print()" in html:
            missing.append(docname)
    assert not missing, f"pages without the book's PDF link: {missing}"
    with urllib.request.urlopen(f"{base_url}calcml-book.pdf", timeout=10) as response:
        pdf = response.read()
    assert pdf.startswith(b"%PDF"), "calcml-book.pdf is not a PDF: run `make pdf`"
    # pdfinfo (poppler-utils, installed with TeX Live by `make pdf`) counts its pages.
    info = subprocess.run(
        ["pdfinfo", str(site_dir / "calcml-book.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    chapters = len(chapter_docnames())
    assert pages >= 10 * chapters, f"a {pages}-page PDF for {chapters} chapters"
    log = ROOT / "_build" / "latex" / "book.log"
    if log.is_file():
        assert "There were undefined references" not in log.read_text(errors="replace")
