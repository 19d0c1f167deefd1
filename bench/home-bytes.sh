#!/usr/bin/env bash
# Checks that the home page downloads at most the manifest and one list page
# of data, whatever the site's size: builds a bundle of N generated notices
# (default 100,000; `gen_feed`), puts it beside the app of dist/ (built by
# scripts/build-site), serves it with deploy/nginx.conf and records every
# /bundle/ request of a cold home-page load in headless Chromium.
#   bench/home-bytes.sh [N]   BUNDLE=DIR reuses a bundle built before, DIST=DIR
#                             takes the app from another build than dist/
# Needs the disk for the bundle (1.9 GB, 301,306 files for 100,000 notices
# without Word/PDF; about 3 minutes and 5.5 GB of memory to build here;
# set TMPDIR to put it elsewhere).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
n="${1:-100000}"
dist="${DIST:-$GK_DIST}"
[ -f "$dist/index.html" ] || gk_die "no built app in $dist: run scripts/build-site first"

bundle="${BUNDLE:-}"
if [ -z "$bundle" ]; then
    gk_build_cli --example gen_feed -q
    work=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-home-bytes.XXXXXX")
    gk_log "generating $n notices and building their bundle in $work"
    "$GK_TARGET/cli/examples/gen_feed" "$n" > "$work/feed.json"
    "$GK_CLI" build "$work/feed.json" --out "$work/bundle" --no-docs >&2
    bundle="$work/bundle"
fi
[ -f "$bundle/manifest.json" ] || gk_die "no manifest.json in $bundle"

# The app's files from dist/, the big bundle in place of the sample's.
site=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-home-site.XXXXXX")
for f in "$dist"/*; do
    [ "$(basename "$f")" = bundle ] || ln -s "$f" "$site/"
done
ln -s "$bundle" "$site/bundle"
gk_serve_site "$site"
trap 'nginx "${GK_SERVE_ARGS[@]}" -s stop 2>/dev/null || true; rm -rf "$GK_SERVE_DIR" "$site"' EXIT
gk_log "bundle: $(find -L "$site/bundle" -type f | wc -l) files, $(du -shL "$site/bundle" | cut -f1)"
node bench/home-bytes.mjs "$GK_URL"
