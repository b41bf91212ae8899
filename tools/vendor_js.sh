#!/usr/bin/env bash
# Vendor the JavaScript the built book needs, so every page works with no internet:
#   MathJax 3 (math), require.js + @jupyter-widgets/html-manager (saved widget states).
# Versions are pinned in package.json / package-lock.json; `npm ci` installs exactly those
# into node_modules/ (gitignored). The files the site serves are copied into _vendor/
# (gitignored), which _config.yml lists in html_static_path (NOT _static/: Jupyter Book
# injects every *.js found in _static/ into every page).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

rm -rf _vendor
mkdir -p _vendor/mathjax _vendor/requirejs _vendor/html-manager

# MathJax 3: the es5 build (tex-chtml.js and the components/fonts it loads on demand).
cp -R node_modules/mathjax/es5/. _vendor/mathjax/

cp node_modules/requirejs/require.js _vendor/requirejs/require.js

# The widget manager: embed-amd.js plus the chunks and font files it loads relative to itself.
find node_modules/@jupyter-widgets/html-manager/dist -maxdepth 1 -type f ! -name '*.map' \
  -exec cp {} _vendor/html-manager/ \;

# html-manager 1.0.6 typesets widget labels with MathJax 2's `MathJax.Hub.Queue`, which
# throws under MathJax 3; call MathJax 3's typesetPromise instead. Fail if the code changed.
python3 - <<'PY'
import pathlib
old = 'MathJax.Hub.Queue(["Typeset",MathJax.Hub,e])'
new = '(MathJax.typesetPromise?MathJax.typesetPromise([e]).catch(function(){}):MathJax.Hub.Queue(["Typeset",MathJax.Hub,e]))'
for path in pathlib.Path("_vendor/html-manager").glob("*.js"):
    text = path.read_text(encoding="utf-8")
    if old in text:
        path.write_text(text.replace(old, new), encoding="utf-8")
        print(f"patched MathJax 2 call in {path}")
text = pathlib.Path("_vendor/html-manager/embed-amd.js").read_text(encoding="utf-8")
assert "MathJax.Hub.Queue([" not in text.replace(new, ""), "unpatched MathJax.Hub.Queue call left"
PY

echo "vendored JavaScript into _vendor/ ($(du -sh _vendor | cut -f1))"
