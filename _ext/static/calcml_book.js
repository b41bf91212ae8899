/* Added to every page by _ext/book_offline.py.

   Sidebar buttons. pydata-sphinx-theme 0.17.1 and sphinx-book-theme 1.3.0 bind the drawer
   (phone) and the collapse (laptop) to the FIRST `.primary-toggle` / `.secondary-toggle` of the
   page, which is a copy in the site header that this theme hides; the buttons a reader sees do
   nothing (pydata-sphinx-theme issue #2451). Forward a click on any other copy to the bound one,
   which runs the themes' own handlers (open the drawer below 992 px, collapse above). */
(function () {
  "use strict";
  document.addEventListener(
    "click",
    function (event) {
      if (!event.target.closest) return;
      ["primary", "secondary"].forEach(function (side) {
        var clicked = event.target.closest("." + side + "-toggle");
        var bound = document.querySelector("." + side + "-toggle");
        if (!clicked || !bound || clicked === bound) return;
        event.preventDefault();
        event.stopPropagation();
        clicked.blur(); // a tap leaves no tooltip over the search button
        bound.click();
      });
    },
    true
  );
})();

/* Figures keep text >= 9 px on a phone. A figure's PNG carries its page size (its CSS
   size; the file has twice as many pixels) or, for older outputs, is 1:1. Its smallest text
   (matplotlib "small", 8.3 pt at 100 dpi) is 11.6 px at that size, so it may shrink with the
   column down to MIN_SCALE; below that it keeps its size and its output area scrolls. */
(function () {
  "use strict";
  var MIN_SCALE = 0.8;
  function fit(img) {
    // Sphinx writes the page size as style="width: 468px; height: 376px" (retina figures).
    var natural =
      parseFloat(img.style.width) || parseFloat(img.getAttribute("width")) || img.naturalWidth;
    if (natural) img.style.minWidth = Math.round(natural * MIN_SCALE) + "px";
  }
  function all() {
    document.querySelectorAll(".bd-article .cell_output img").forEach(function (img) {
      if (img.complete) fit(img);
      else img.addEventListener("load", function () { fit(img); }, { once: true });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();

/* Search results: Sphinx builds each result's snippet from the page's HTML, where math is still
   raw TeX ("\(\nabla f\)"). Replace each formula by a plain-text reading of it first. */
(function () {
  "use strict";
  var SYMBOLS = {
    nabla: "∇", partial: "∂", cdot: "·", times: "×", top: "ᵀ", le: "≤", leq: "≤", ge: "≥",
    geq: "≥", ne: "≠", neq: "≠", approx: "≈", to: "→", infty: "∞", sum: "Σ", in: "∈",
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", eta: "η", theta: "θ",
    lambda: "λ", mu: "μ", sigma: "σ", phi: "φ", Delta: "Δ", Sigma: "Σ",
  };
  function plain(tex) {
    return tex
      .replace(/^\\[(\[]|\\[)\]]$/g, "")
      .replace(/\\(?:mathbf|mathrm|operatorname|text|boldsymbol|mathcal)\{([^{}]*)\}/g, "$1")
      .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\([A-Za-z]+)/g, function (m, name) {
        return SYMBOLS[name] !== undefined ? SYMBOLS[name] : "";
      })
      .replace(/[{}]/g, "")
      .replace(/\\[,;!: ]/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }
  function patch() {
    if (!window.Search || !Search.htmlToText || Search.htmlToText.calcml) return;
    var original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      var doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".math").forEach(function (node) {
        node.textContent = plain(node.textContent.trim());
      });
      return original(doc.documentElement.outerHTML, anchor);
    };
    Search.htmlToText.calcml = true;
  }
  patch();
  document.addEventListener("DOMContentLoaded", patch);
})();

/* Accessibility (axe scrollable-region-focusable): a figure, output or display equation that
   scrolls sideways inside itself can be reached and scrolled with the keyboard. */
(function () {
  "use strict";
  var SCROLLERS = ".bd-article figure, .bd-article .cell_output, .bd-article div.math, " +
    ".bd-article mjx-container[display='true']";
  function mark() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
  }
  window.addEventListener("load", function () {
    mark();
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(mark);
    }
  });
  window.addEventListener("resize", function () {
    clearTimeout(mark.timer);
    mark.timer = setTimeout(mark, 200);
  });
})();
