"""Local Sphinx extension: make every page of the book load cleanly with no internet.

It fixes what a browser shows on the built site, page by page (``html-page-context``):

* Inline configuration scripts that sphinx-thebe and sphinx-togglebutton register are emitted
  twice on a page (``const THEBE_JS_URL`` declared twice is a SyntaxError in the console):
  identical script entries are kept once.

It also drops, before myst-nb parses a notebook, output data of the MIME types listed in
``HIDDEN_MIME_TYPES``: machine-readable payloads that the course's grader (``calcml-grade``) reads
from saved notebooks. Each such output also carries ``text/html`` and ``text/plain``, which the page
shows; myst-nb would otherwise warn "skipping unknown output mime type" for every one (and ``-W``
fails the build). Other unknown MIME types still warn. The downloadable ``.ipynb`` is the file
as committed (Sphinx copies it from disk), payload included.

It serves ``_ext/static/``: ``calcml_book.css`` on every page (accessibility fixes found by the
axe test in ``tests/browser/test_accessibility.py``; each rule says why) and
``calcml_widgets_config.js`` on pages with widgets (points require.js at the local widget
manager, and names the drawn sliders and images for screen readers).

The JavaScript itself (MathJax 3, require.js, the widget manager, whose MathJax 2 call that
script patches for MathJax 3) is vendored by ``tools/vendor_js.sh``; this extension refuses to
build without it, because a site built without it would silently fall back to nothing (math
left as raw TeX, widgets not drawn).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

REQUIRED = (
    "mathjax/tex-chtml.js",
    "requirejs/require.js",
    "html-manager/embed-amd.js",
)


HIDDEN_MIME_TYPES = frozenset({"application/vnd.calcml.answer+json"})


def _drop_hidden_mime_types(app: Sphinx, docname: str, source: list[str]) -> None:
    """Remove grader payloads from a notebook's outputs before it is parsed."""
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    if not any(mime in source[0] for mime in HIDDEN_MIME_TYPES):
        return
    notebook = json.loads(source[0])
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data:
                for mime in HIDDEN_MIME_TYPES.intersection(data):
                    del data[mime]
    source[0] = json.dumps(notebook)


def _check_vendored(app: Sphinx) -> None:
    """Fail early if the vendored JavaScript is missing."""
    vendor = Path(app.srcdir) / "_vendor"
    missing = [name for name in REQUIRED if not (vendor / name).is_file()]
    if missing:
        raise ExtensionError(
            f"_vendor/ lacks {', '.join(missing)}: run tools/vendor_js.sh (or `make book`) "
            "to fetch the pinned JavaScript from the npm registry before building."
        )


def _script_key(script) -> tuple:
    """Identify a script entry by its file name, inline body and attributes.

    Inline scripts have ``filename`` None or ``""`` depending on who added them: same thing.
    """
    attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
    return (str(getattr(script, "filename", script) or ""), attributes)


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop repeated identical script entries (first occurrence wins)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    context["script_files"] = unique


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_THEBE_BODY = re.compile(
    r"\s*<script type=\"text/x-thebe-config\">.*?</script>\s*<script>kernelName = [^<]*</script>",
    re.S,
)


def _thebe_enabled(app: Sphinx) -> bool:
    launch = app.config.html_theme_options.get("launch_buttons", {})
    return bool(launch.get("thebe"))


def _describe(doctree) -> str:
    """Return the first paragraph of a page as plain text, for its description (<= 200 chars)."""
    if doctree is None:
        return ""
    for paragraph in doctree.findall(nodes.paragraph):
        if paragraph.next_node(nodes.math) or paragraph.next_node(nodes.literal):
            continue  # TeX or code reads badly as a plain-text summary
        text = " ".join(paragraph.astext().split())
        if len(text) > 60:
            return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "..."
    return ""


PDF = "calcml-book.pdf"
"""The book's PDF edition, built by ``make pdf`` into the site's root folder."""


def _link_the_pdf(context: dict) -> None:
    """Point the download menu's ".pdf" item at the book's PDF, not the browser's print dialog."""
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("label") == "download-pdf-button":
                button.clear()
                button.update(
                    type="link",
                    url=context["pathto"](PDF, 1),
                    text=".pdf (book)",
                    tooltip="Download the whole book as a PDF",
                    icon="fas fa-file-pdf",
                    label="download-pdf-button",
                )


def _lighten_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Make a page paint sooner and say what it is.

    * The saved widget state (up to a few MB of JSON with the explorers' figures) moves from
      the head to the end of the body: the browser paints the text before it parses it. The
      widget scripts are ``defer`` (see ``nb_ipywidgets_js`` in _config.yml), so they run after
      the page is parsed, and only pages with widgets load them (myst-nb).
    * With live code off (``launch_buttons.thebe: false``), sphinx-thebe's script, style and
      configuration are dropped: nothing on the page uses them.
    * A description and Open Graph tags (title, description, site name) for search engines and
      link previews.
    """
    scripts = context.get("script_files") or []
    state = [s for s in scripts if getattr(s, "attributes", {}).get("type") == WIDGET_STATE]
    thebe = not _thebe_enabled(app)
    kept = []
    for script in scripts:
        name = str(getattr(script, "filename", script) or "")
        body = str(getattr(script, "attributes", {}).get("body", ""))
        if script in state or (thebe and ("thebe" in name or "THEBE_JS_URL" in body)):
            continue
        kept.append(script)
    context["script_files"] = kept
    if thebe:
        context["css_files"] = [
            c for c in context.get("css_files", []) if "thebe" not in str(getattr(c, "filename", c))
        ]
        context["body"] = _THEBE_BODY.sub("", context.get("body", ""))
    for script in state:
        context["body"] = context.get("body", "") + (
            f'<script type="{WIDGET_STATE}">{script.attributes["body"]}</script>'
        )
    _link_the_pdf(context)
    title = html.escape(re.sub(r"<[^>]+>", "", context.get("title", "")), quote=True)
    site_title = app.config.html_title or ""
    site = html.escape(site_title, quote=True)
    description = html.escape(_describe(doctree) or site_title, quote=True)
    context["metatags"] = context.get("metatags", "") + (
        f'\n    <meta name="description" content="{description}" />'
        f'\n    <meta property="og:type" content="website" />'
        f'\n    <meta property="og:title" content="{title}" />'
        f'\n    <meta property="og:description" content="{description}" />'
        f'\n    <meta property="og:site_name" content="{site}" />'
    )


_CHAPTER_NUMBER = re.compile(r"^\d+\.\s+")


def _numbered_docs(app: Sphinx) -> set[str]:
    """Return the documents of the parts that `_toc.yml` marks ``numbered``."""
    site_map = getattr(app.env, "external_site_map", None)
    if site_map is None:
        return set()
    numbered: set[str] = set()
    for doc in site_map:  # the root and every file
        for subtree in site_map[doc].subtrees:
            if subtree.numbered:
                numbered.update(subtree.files())
    return numbered


def _drop_title_numbers(app: Sphinx, doctree: nodes.document) -> None:
    """Remove the "4. " a chapter's title starts with where the TOC numbers it.

    Chapter notebooks are titled "# 4. The Hessian" so that they read well in Jupyter; in the
    book the parts are ``numbered`` (for chapter-relative "Figure 4.2", "Theorem 4.1"), and
    Sphinx puts the number in front of the title itself.
    """
    if app.env.docname not in _numbered_docs(app):
        return
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        text = title.next_node(nodes.Text) if title else None
        if text is not None and _CHAPTER_NUMBER.match(text):
            new = _CHAPTER_NUMBER.sub("", str(text), count=1)
            text.parent.replace(text, nodes.Text(new))
            # sphinx-proof finds a directive's document by the section named like its title
            # (LaTeX labels would read "None:thm-..." otherwise).
            section["names"].append(new.lower())
        return


# The PDF: the notation page, the first numbered chapter LaTeX sees, gets no number, so that LaTeX's
# chapter numbers are the website's ("Chapter 4", "Figure 4.2" in both).
_LATEX_PREAMBLE = r"""
\makeatletter
\newif\ifcalcml@first \calcml@firsttrue
\let\calcml@chapter\chapter
\newcommand{\calcml@unnumbered}[1]{\calcml@chapter*{#1}\addcontentsline{toc}{chapter}{#1}}
\newcommand{\calcml@numbered}{\ifcalcml@first\global\calcml@firstfalse
  \expandafter\calcml@unnumbered\else\expandafter\calcml@chapter\fi}
\renewcommand{\chapter}{\@ifstar{\calcml@chapter*}{\calcml@numbered}}
\makeatother
"""


def _latex_preamble(app: Sphinx, config) -> None:
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + _LATEX_PREAMBLE
    config.latex_elements = elements


def setup(app: Sphinx) -> dict:
    """Register the hooks."""
    static = Path(__file__).parent / "static"
    app.connect("builder-inited", lambda app: app.config.html_static_path.append(str(static)))
    app.add_css_file("calcml_book.css")
    app.add_js_file("calcml_book.js", loading_method="defer")
    app.connect("builder-inited", _check_vendored)
    app.connect("config-inited", _latex_preamble)
    app.connect("source-read", _drop_hidden_mime_types)
    app.connect("doctree-read", _drop_title_numbers, priority=400)  # before the title is read
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _lighten_page, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
