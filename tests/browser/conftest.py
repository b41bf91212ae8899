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


@pytest.fixture(scope="session")
def context(browser, base_url):
    """A browser context in which nothing but the local server can be reached."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    ctx.external_requests = []

    def only_local(route):
        url = route.request.url
        if url.startswith(base_url) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            ctx.external_requests.append(url)
            route.abort()

    ctx.route("**/*", only_local)
    yield ctx
    ctx.close()


@dataclass
class PageReport:
    """What one page did when it was opened in the browser."""

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


@pytest.fixture(scope="session")
def visit(context, base_url):
    """Open a page once per session; return its cached :class:`PageReport`."""
    reports: dict[str, PageReport] = {}

    def _visit(docname: str) -> PageReport:
        if docname in reports:
            return reports[docname]
        report = PageReport(docname=docname, url=f"{base_url}{docname}.html")
        page = context.new_page()

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

        page.on("console", on_console)
        page.on("pageerror", lambda error: report.console_errors.append(f"uncaught: {error}"))
        page.on("response", on_response)
        page.on("requestfailed", lambda r: report.http_errors.append(f"failed {r.url}"))
        before = len(context.external_requests)
        response = page.goto(report.url, wait_until="load")
        report.status = response.status if response else None
        settle(page)
        measured = page.evaluate(_INSPECT_JS)
        settle(page)
        report.math = measured["math"]
        report.images = measured["images"]
        report.widgets = measured["widgets"]
        report.external_requests = context.external_requests[before:]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        report.screenshot = SCREENSHOTS / f"{docname.replace('/', '__')}.png"
        page.screenshot(path=str(report.screenshot), full_page=True)
        page.close()
        reports[docname] = report
        return report

    return _visit
