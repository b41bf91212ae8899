"""Fixtures for the real-browser tests of the built website.

The site in ``_build/html`` (built by ``make book``) is served by a thread of this process on
127.0.0.1 and a free port, and opened in Debian's Chromium driven by Playwright (never
``playwright install``: the browser comes from apt). Every request that leaves 127.0.0.1 is
blocked and recorded, so the pages are tested exactly as a classroom without internet sees them.

Environment:
``CALCML_SITE``      the built site to test (default ``_build/html``);
``CALCML_CHROMIUM``  the browser executable (default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from booksite import ROOT, settle

SITE = Path(os.environ.get("CALCML_SITE", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("CALCML_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# Console messages of level "error" that are known to be harmless, each with why.
# Only *errors* fail a page; warnings are kept in the report but do not fail it (the widget
# manager's JSON-schema validator, ajv, warns "strict mode: use allowUnionTypes ..." on every
# page with widgets: a note about its own schema, not about our content).
CONSOLE_ERROR_ALLOWLIST = [
    # (message pattern, source-URL pattern). Chromium may ask for /favicon.ico on its own; the
    # book defines no favicon, so that request 404s. It is the browser's guess, not a link of
    # ours (the book's links are all tested in test_site.py).
    (re.compile(r"^Failed to load resource: .*404"), re.compile(r"/favicon\.ico$")),
]
HTTP_ERROR_ALLOWLIST = [re.compile(r"/favicon\.ico$")]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A page closed while a file was still being sent: normal for a browser, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make book` first", pytrace=False)
    return SITE


@pytest.fixture(scope="session")
def base_url(site_dir):
    """Serve the built site on 127.0.0.1 and a free port for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does it)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _offline_context(browser, base_url, width: int):
    """A browser context `width` px wide in which nothing but the local server can be reached.

    Requests to anywhere else are aborted and recorded in ``ctx.external_requests``.
    """
    ctx = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
    ctx.external_requests = []

    def only_local(route):
        url = route.request.url
        if url.startswith(base_url) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            ctx.external_requests.append(url)
            route.abort()

    ctx.route("**/*", only_local)
    return ctx


@pytest.fixture(scope="session")
def context(browser, base_url):
    """A laptop-width (1280 px) browser context that reaches nothing but the local server."""
    ctx = _offline_context(browser, base_url, 1280)
    yield ctx
    ctx.close()


@dataclass
class PageReport:
    """What one page did when it was opened in the browser at one width.

    ``layout`` holds the measurements of ``_LAYOUT_JS``; ``accessibility`` the axe-core
    violations (at 1280 px only; None at other widths).
    """

    docname: str
    url: str
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: list[dict] = field(default_factory=list)
    widgets: dict = field(default_factory=dict)
    layout: dict = field(default_factory=dict)
    accessibility: list[dict] | None = None
    screenshot: Path | None = None


# Runs in the page once it has loaded: waits for MathJax and the widget manager, then measures.
_INSPECT_JS = r"""
async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const mathNodes = () => Array.from(document.querySelectorAll(".math"));
  if (mathNodes().length && window.MathJax && window.MathJax.startup) {
    await window.MathJax.startup.promise;
  }
  const views = document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]').length;
  const drawn = () => document.querySelectorAll(".jupyter-widgets").length;
  for (let i = 0; views && drawn() < views && i < 150; i++) await sleep(100);
  if (window.MathJax && window.MathJax.startup) await window.MathJax.startup.promise;

  // Visible text outside code, looking for TeX that MathJax did not typeset.
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight";
  const article = document.querySelector("article") || document.body;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const raw = [];
  const tex = /\\\(|\\\)|\\\[|\\\]|\$\$|\\(begin|frac|partial|nabla|mathbf|sum)\b/;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    if (tex.test(node.textContent)) raw.push(node.textContent.trim().slice(0, 120));
  }
  const math = {
    nodes: mathNodes().length,
    untypeset: mathNodes().filter((n) => !n.querySelector("mjx-container"))
      .map((n) => n.textContent.trim().slice(0, 80)),
    errors: Array.from(document.querySelectorAll("mjx-merror"))
      .map((n) => n.getAttribute("data-mjx-error") || n.textContent),
    raw_tex: raw,
  };

  const images = [];
  for (const img of Array.from(document.images)) {
    img.loading = "eager";
    let decoded = true;
    try { await img.decode(); } catch (e) { decoded = false; }
    images.push({src: img.getAttribute("src"), ok: decoded && img.complete && img.naturalWidth > 0,
                 alt: img.getAttribute("alt")});
  }
  const failed = Array.from(document.querySelectorAll("article *")).filter(
    (el) => el.children.length === 0 && /Error rendering Jupyter widget|Could not render/
      .test(el.textContent || "")).length;
  return {math, images, widgets: {views, drawn: drawn(), failed}};
}
"""


# Runs after _INSPECT_JS: what overflows the screen, each figure's sizes, code that scrolls.
_LAYOUT_JS = r"""
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
    // explorers' figures too; a static explorer's hidden frames (not shown) are skipped
    if (img.closest(".jupyter-widgets") && img.getBoundingClientRect().width === 0) continue;
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


@pytest.fixture(scope="session")
def visit(browser, context, base_url):
    """Open a page once per width and session; return its cached :class:`PageReport`.

    Each opening checks everything at once: console, requests, math, images, widgets, the
    layout and (at 1280 px) accessibility with axe-core, and saves a full-page screenshot (JPEG)
    to ``_build/screenshots/<width>/``.
    """
    from axe_playwright_python.sync_playwright import Axe

    reports: dict[tuple[str, int], PageReport] = {}
    contexts = {1280: context}
    axe = Axe()

    def _visit(docname: str, width: int = 1280) -> PageReport:
        if (docname, width) in reports:
            return reports[docname, width]
        if width not in contexts:
            contexts[width] = _offline_context(browser, base_url, width)
        ctx = contexts[width]
        report = PageReport(docname=docname, url=f"{base_url}{docname}.html")
        page = ctx.new_page()

        def on_console(message):
            text = f"{message.text} ({message.location.get('url', '')})"
            if message.type == "error":
                source = message.location.get("url", "")
                if not any(
                    m.search(message.text) and u.search(source) for m, u in CONSOLE_ERROR_ALLOWLIST
                ):
                    report.console_errors.append(text)
            elif message.type == "warning":
                report.console_warnings.append(text)

        def on_response(response):
            if response.status >= 400 and not any(
                p.search(response.url) for p in HTTP_ERROR_ALLOWLIST
            ):
                report.http_errors.append(f"{response.status} {response.url}")

        def on_page_error(error):
            report.console_errors.append(f"uncaught: {error}")

        def on_request_failed(request):
            report.http_errors.append(f"failed {request.url}")

        listeners = {
            "console": on_console,
            "pageerror": on_page_error,
            "response": on_response,
            "requestfailed": on_request_failed,
        }
        for event, listener in listeners.items():
            page.on(event, listener)
        before = len(ctx.external_requests)
        response = page.goto(report.url, wait_until="load")
        report.status = response.status if response else None
        settle(page)
        measured = page.evaluate(_INSPECT_JS)
        settle(page)
        report.math = measured["math"]
        report.images = measured["images"]
        report.widgets = measured["widgets"]
        report.layout = page.evaluate(_LAYOUT_JS)
        report.external_requests = ctx.external_requests[before:]
        # What the page did is recorded; axe's own requests (it re-reads the style sheets
        # from the site's root) are not the page's.
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
        if width == 1280:
            report.accessibility = axe.run(page).response["violations"]
        folder = SCREENSHOTS / str(width)
        folder.mkdir(parents=True, exist_ok=True)
        # JPEG: a tall page encodes in about half the time of a PNG, and it is for looking at
        report.screenshot = folder / f"{docname.replace('/', '__')}.jpg"
        page.screenshot(path=str(report.screenshot), full_page=True, type="jpeg", quality=80)
        page.close()
        reports[docname, width] = report
        return report

    yield _visit
    for width, ctx in contexts.items():
        if width != 1280:
            ctx.close()
