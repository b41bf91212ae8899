"""Page weight and first paint of the built website on a slow link (issue 13).

Serves a built site (default ``_build/html``) gzip-compressed, as GitHub Pages does, on
127.0.0.1 and opens pages in Debian's Chromium (Playwright, ``/usr/bin/chromium``) with the
network throttled through the DevTools protocol: 9 Mbit/s down, 9 Mbit/s up, 40 ms latency,
cache disabled. For each page it reports the bytes transferred, the number of requests, the
first contentful paint and the load event, as the median of ``--runs`` cold loads.

Usage: ``.venv/bin/python benchmarks/bench_site.py [--site DIR] [--runs N] [pages ...]``
(pages as docnames, e.g. ``chapters/04_hessian``; default: one page of each kind).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["intro", "chapters/04_hessian", "exercises/04_hessian", "exercises/09_gradient_descent"]
KIND = {"intro": "intro", "chapters": "chapter", "exercises": "exercise", "solutions": "solution"}
LINK = {"latency": 40, "downloadThroughput": 9e6 / 8, "uploadThroughput": 9e6 / 8}
COMPRESS = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".woff")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serve text files gzip-compressed when the browser accepts it (like GitHub Pages)."""

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass

    @functools.cache  # noqa: B019 - one handler class per run; the files do not change
    def _compressed(self, path: str) -> bytes:
        return gzip.compress(Path(path).read_bytes(), compresslevel=6)

    def send_head(self):
        path = self.translate_path(self.path)
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.endswith(COMPRESS) and Path(path).is_file()):
            return super().send_head()
        import io

        body = _GzipHandler._compressed(self, path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _serve(site: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def measure(browser, url: str) -> dict:
    """Load `url` once, cold, on the throttled link; return its numbers."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **LINK})
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url, wait_until="load", timeout=120_000)
    timing = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType("navigation")[0];
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          return {fcp: fcp ? fcp.startTime : null, load: nav.loadEventEnd};
        }"""
    )
    try:
        page.wait_for_load_state("networkidle", timeout=60_000)
    except Exception:  # noqa: BLE001 - report what arrived
        pass
    context.close()
    return {"bytes": sum(sizes.values()), "requests": len(sizes), **timing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", default=PAGES)
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server, base = _serve(args.site)
    print("| page | kind | transferred (gzip) | requests | first paint | load |")
    print("|---|---|---|---|---|---|")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"],
        )
        for docname in args.pages:
            runs = [measure(browser, f"{base}{docname}.html") for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in ("bytes", "requests", "load")}
            fcp = statistics.median(r["fcp"] for r in runs if r["fcp"] is not None)
            kind = KIND.get(docname.split("/")[0], "page")
            print(
                f"| {docname} | {kind} | {med['bytes'] / 1e6:.2f} MB | {med['requests']:.0f} | "
                f"{fcp / 1000:.2f} s | {med['load'] / 1000:.2f} s |",
                flush=True,
            )
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
