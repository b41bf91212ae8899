"""Site-wide behaviour: internal links, search, launch/repository/download buttons."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from booksite import ROOT, chapter_docnames, toc_docnames

pytestmark = pytest.mark.browser

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


class _LinksAndIds(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def _parse(path: Path) -> _LinksAndIds:
    parser = _LinksAndIds()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _html_pages(site: Path) -> list[Path]:
    return sorted(
        p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_")
    )


def test_every_internal_link_resolves(site_dir, base_url):
    """Every relative link of every page answers 200 on the server, and its #anchor exists."""
    pages = _html_pages(site_dir)
    assert len(pages) >= len(toc_docnames())
    parsed: dict[Path, _LinksAndIds] = {}
    status: dict[str, int] = {}
    broken = []
    for page in pages:
        page_url = base_url + page.relative_to(site_dir).as_posix()
        for href in _parse(page).links:
            if urllib.parse.urlsplit(href).scheme or href.startswith("//"):
                continue  # external: not part of the offline site
            target = urllib.parse.urljoin(page_url, href)
            url, _, fragment = target.partition("#")
            url = url.split("?")[0]
            if url not in status:
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        status[url] = response.status
                except urllib.error.HTTPError as error:
                    status[url] = error.code
            if status[url] != 200:
                broken.append(f"{page.name}: {href} -> {status[url]}")
                continue
            if fragment:
                path = site_dir / urllib.parse.unquote(url[len(base_url) :])
                if path.is_dir():
                    path = path / "index.html"
                if path.suffix == ".html":
                    if path not in parsed:
                        parsed[path] = _parse(path)
                    if urllib.parse.unquote(fragment) not in parsed[path].ids:
                        broken.append(f"{page.name}: {href} -> no anchor #{fragment}")
    assert not broken, "broken internal links:\n" + "\n".join(sorted(set(broken)))


def _search_word(site: Path, docname: str) -> str:
    """A word of the chapter's title to search for (the longest one)."""
    html = (site / f"{docname}.html").read_text(encoding="utf-8")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    title = re.sub(r"<[^>]+>", " ", title)
    words = [w for w in re.findall(r"[A-Za-z]+", title) if len(w) >= 4]
    assert words, f"no searchable word in the title of {docname}: {title!r}"
    return max(words, key=len).lower()


def test_search_finds_a_chapter_by_a_word_in_it(site_dir, context, base_url):
    docname = chapter_docnames()[0]
    word = _search_word(site_dir, docname)
    page = context.new_page()
    page.goto(f"{base_url}search.html?q={urllib.parse.quote(word)}", wait_until="load")
    page.wait_for_function(
        "() => /found|did not match/i.test("
        "(document.querySelector('#search-results .search-summary') || {}).textContent || '')",
        timeout=20_000,
    )
    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    page.close()
    assert any(f"{docname}.html" in href for href in hrefs), (
        f"searching {word!r} did not list {docname}: {hrefs}"
    )


def _notebook_pages(site: Path) -> list[str]:
    return [d for d in toc_docnames() if (site / "_sources" / f"{d}.ipynb").is_file()]


def test_notebook_pages_have_launch_download_and_repository_buttons(site_dir, base_url):
    notebooks = _notebook_pages(site_dir)
    assert notebooks, "no page of the book is a notebook"
    repo = CONFIG["repository"]["url"].rstrip("/")
    launch = CONFIG["launch_buttons"]
    owner_repo = urllib.parse.urlsplit(repo).path.strip("/")
    branch = CONFIG["repository"].get("branch", "main")
    for docname in notebooks:
        html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
        expected = [
            f'href="{repo}"',  # repository button
            f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{owner_repo}/{branch}?urlpath=",
            f"{launch['colab_url'].rstrip('/')}/github/{owner_repo}/blob/{branch}/{docname}.ipynb",
            f'href="{"../" * docname.count("/")}_sources/{docname}.ipynb"',  # download
        ]
        if launch.get("jupyterhub_url"):
            expected.append(launch["jupyterhub_url"].rstrip("/") + "/hub/user-redirect/git-pull")
        missing = [e for e in expected if e not in html]
        assert not missing, f"{docname}: missing {missing}"
        assert 'class="search-button' in html or "search-button" in html, "no search button"
        # The downloadable notebook is the committed one, with its outputs.
        with urllib.request.urlopen(f"{base_url}_sources/{docname}.ipynb", timeout=10) as r:
            downloaded = json.loads(r.read())
        committed = json.loads((ROOT / f"{docname}.ipynb").read_text(encoding="utf-8"))
        assert downloaded == committed
