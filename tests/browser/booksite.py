"""What the browser tests share: the book's root folder, its table of contents, page settling."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def toc_docnames(toc_file: Path = ROOT / "_toc.yml") -> list[str]:
    """Return the documents of the table of contents, in reading order."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(str(Path(entry["file"]).with_suffix("")))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key))

    for key in ("parts", "chapters", "sections"):
        walk(toc.get(key))
    return names


def chapter_docnames() -> list[str]:
    """Return the TOC documents that are chapters of the course (``chapters/...``)."""
    return [name for name in toc_docnames() if name.startswith("chapters/")]


def settle(page, timeout_ms: int = 15_000) -> None:
    """Wait until the page has fetched what it loads lazily (fonts, widget code), if it can.

    "networkidle" is a heuristic; on a busy machine it can come late. Going on without it is
    safe: whatever failed to load is reported by the listeners, and the checks themselves look
    at the result (typeset math, loaded images, drawn widgets).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightTimeout:
        pass
