#!/usr/bin/env bash
# What a reader of each route downloads before touching anything (issue 16):
# the JS every page loads (gk-boot.js, the boot module, wasm-bindgen's glue,
# the split loader), the main wasm module, and the chunks the boot module
# lists for the route (its page and the shared chunks it imports), each
# counted once, brotli -q 11 as scripts/build-site precompresses them, and
# the requests they take (a route whose chunks the boot module fetches as
# one pack takes one request for them all).
# A list or article page whose static page says `data-start="on-demand"`
# (docs/performance.md) fetches no wasm until the reader uses what only the
# app runs: its row says what it downloads before that ("before use") and
# what the first such use adds ("on use").
#   bash bench/route-bytes.sh [DIST]   (default dist/, built by scripts/build-site)
set -euo pipefail
dist="${1:-$(cd "$(dirname "$0")/.." && pwd)/dist}"
[ -f "$dist/index.html" ] || { echo "no built site in $dist" >&2; exit 1; }
python3 - "$dist" <<'PY'
import glob, json, os, re, subprocess, sys
dist = sys.argv[1]
def br(name):
    data = open(os.path.join(dist, name), "rb").read()
    return len(subprocess.run(["brotli", "-q", "11", "-c"], input=data, capture_output=True, check=True).stdout)
boot = [os.path.basename(p) for p in glob.glob(os.path.join(dist, "boot-*.js"))]
if len(boot) != 1:
    sys.exit(f"expected one boot-*.js in {dist}, found {boot}")
text = open(os.path.join(dist, boot[0])).read()
chunks = json.loads(re.search(r"const chunks = (\{.*?\});", text).group(1))
packs = re.search(r"const packs = (\{.*?\});", text)
packs = json.loads(packs.group(1)) if packs else {}
main_js = re.search(r'import init from "\./([\w.-]+\.js)"', text).group(1)
main_wasm = re.search(r'new URL\("\./([\w.-]+_bg\.wasm)"', text).group(1)
link = [os.path.basename(p) for p in glob.glob(os.path.join(dist, "gongkai-app-split-*.js"))]
js = ["gk-boot.js", boot[0], main_js, *link]
js_bytes = sum(br(f) for f in js)
main_bytes = br(main_wasm)
# The static page each route is read on first, if the build wrote one.
static = {"list": "static/index.html",
          "article": next(iter(sorted(os.path.relpath(p, dist) for p in glob.glob(os.path.join(dist, "static/article/*/index.html")))), None),
          "library": "static/library/index.html", "apply": "static/apply/index.html"}
def start_mode(route):
    page = static.get(route)
    page = page and os.path.join(dist, page)
    if not page or not os.path.isfile(page):
        return "now (no static page)"
    root = re.search(r'<div[^>]*class="gk-app"[^>]*>', open(page, encoding="utf-8").read())
    mode = root and re.search(r'data-start="([\w-]+)"', root.group(0))
    return mode.group(1) if mode else "now"
print(f"{'route':<12} {'JS':>8} {'main wasm':>10} {'chunks':>8} {'total':>8} {'before use':>11} {'requests':>9}  start  (brotli -q 11, bytes)")
for route in ["list", "article", "search", "favourites", "library", "apply"]:
    if route not in chunks:
        continue
    files = [packs[route][0]] if route in packs else list(dict.fromkeys(chunks[route]))
    extra = sum(br(f) for f in files)
    requests = len(js) + 1 + len(files)
    total = js_bytes + main_bytes + extra
    mode = start_mode(route)
    before = js_bytes if mode == "on-demand" else total
    print(f"{route:<12} {js_bytes:>8} {main_bytes:>10} {extra:>8} {total:>8} {before:>11} {requests:>9}  {mode}")
PY
