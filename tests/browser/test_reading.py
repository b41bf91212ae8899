"""The site as a reader uses it: navigation at a phone width (390 px) and a laptop width.

* The sidebar drawer opens on a phone and its chapter links work; on a laptop the sidebar
  button collapses the sidebar; the intro page lists every chapter; every page links the
  book's PDF, which is built.

The per-page layout checks (no page wider than the screen, legible and retina figures, code
that fits) are in test_pages.py, which opens every page once per width.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from booksite import ROOT, chapter_docnames, toc_docnames

pytestmark = pytest.mark.browser

PAGES = toc_docnames()


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
