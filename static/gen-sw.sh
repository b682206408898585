#!/bin/sh
# Trunk post_build hook: writes sw.js with the precache list of the hashed build, and a
# Content-Security-Policy meta tag whose script hashes allow exactly Trunk's inline loader.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}"
cd "$dir"
# The loading shell shows the default example (the app's own text for a first visit).
python3 - index.html "$TRUNK_SOURCE_DIR/crates/stageplay/gallery/guide-basic.Dockerfile" <<'PY'
import html, re, sys
path, example = sys.argv[1], sys.argv[2]
page = open(path, encoding="utf-8").read()
text = html.escape(open(example, encoding="utf-8").read(), quote=False)
page, n = re.subn(r'(<pre[^>]*id="?shell-text"?[^>]*>)(</pre>)', lambda m: m.group(1) + text + m.group(2), page, count=1)
if n != 1:
    sys.exit("gen-sw: no #shell-text in index.html")
open(path, "w", encoding="utf-8").write(page)
PY
# Hash every inline <script> body for the CSP (Trunk injects one to load the wasm).
hashes=$(python3 - index.html <<'PY'
import base64, hashlib, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
out = []
for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    out.append("'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'")
print(" ".join(out))
PY
)
csp="default-src 'self'; script-src 'self' 'wasm-unsafe-eval' $hashes; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"
python3 - index.html "$csp" <<'PY'
import sys
path, csp = sys.argv[1], sys.argv[2]
html = open(path, encoding="utf-8").read()
meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}" />'
import re
# Before the first element of the head (minified markup may omit the <head> tag itself).
html, n = re.subn(r"(<(?:meta|title|link|script|style)\b)", lambda m: meta + m.group(1), html, count=1)
if n != 1:
    sys.exit("gen-sw: no head element in index.html")
open(path, "w", encoding="utf-8").write(html)
PY
files=$(find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./||' | sort)
list="[\"./\""
for f in $files; do list="$list, \"./$f\""; done
list="$list]"
version=$(cat $files | sha256sum | cut -c1-16)
sed -e "s|__VERSION__|$version|" -e "s|__PRECACHE__|$list|" "$TRUNK_SOURCE_DIR/static/sw.template.js" > sw.js
echo "gen-sw: precached $(echo "$files" | wc -l) files, version $version"
