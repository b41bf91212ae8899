/* Loaded on pages with saved widgets, between require.js and the widget manager (embed-amd.js);
   see nb_ipywidgets_js in _config.yml. */
(function () {
  // embed-amd.js defines these AMD modules and takes its public path (where its fonts and code
  // chunks are) from the module's URL: map them onto the copy served by this site
  // (_static/html-manager/, vendored by tools/vendor_js.sh), not a CDN.
  var local = document.currentScript.src.replace(/[^/]*$/, "") + "html-manager/";
  window.requirejs.config({
    paths: {
      "@jupyter-widgets/base": local + "base",
      "@jupyter-widgets/controls": local + "controls",
      "@jupyter-widgets/html-manager": local + "html-manager",
      "@jupyter-widgets/html-manager/dist/libembed-amd": local + "libembed-amd",
    },
  });

  // Accessibility (axe, serious/critical): the drawn widgets give a slider's handle no
  // accessible name and an Image widget no alt text. Name each handle after the slider's
  // description and describe widget images as what they are: a saved snapshot.
  function label(root) {
    root.querySelectorAll(".widget-slider, .jupyter-widget-slider").forEach(function (slider) {
      var text = slider.querySelector(".widget-label, .widget-label-basic");
      var name = (text && text.textContent.trim()) || "value";
      slider.querySelectorAll('[role="slider"]:not([aria-label])').forEach(function (handle, i) {
        handle.setAttribute("aria-label", i ? name + " (upper)" : name);
      });
    });
    root.querySelectorAll("img.widget-image:not([alt])").forEach(function (img) {
      img.setAttribute("alt", "Picture drawn by an interactive widget, as saved in the notebook");
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    setTimeout(function () {
      pending = false;
      label(document);
    }, 50);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
