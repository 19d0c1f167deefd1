#!/usr/bin/env bash
# The app's own search in headless Chromium on a generated corpus:
#
#   bench/search/app.sh [N] [WORK_DIR]      N notices (default 10000)
#
# 1. `search_bench N --feed` writes the deterministic corpus as a feed;
# 2. `gongkai build --no-docs` makes its bundle (timed, with peak RSS);
# 3. `trunk build --release --features bench` makes the app with
#    `performance.measure("gk-search-lookup")` around the in-memory search
#    (left out of production builds);
# 4. nginx serves both with deploy/nginx.conf (brotli for search files,
#    as deployed) and bench/search/app.mjs runs the query set.
#
# WORK_DIR (default target/search-bench-N) keeps the feed and the site;
# REUSE=1 skips steps 1–2 when the bundle exists, REUSE=all steps 1–3.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$GK_ROOT"

n="${1:-10000}"
work="${2:-$GK_TARGET/search-bench-$n}"
site="$work/site"
mkdir -p "$work"

if [ -z "${REUSE:-}" ] || [ ! -f "$site/bundle/manifest.json" ]; then
    gk_step "cargo build --release (gongkai, search_bench)" \
        cargo build --release -p gongkai-cli --bin gongkai --example search_bench
    gk_log "search_bench $n --feed"
    "$GK_TARGET/release/examples/search_bench" "$n" --feed >"$work/feed.json"
    rm -rf "$site"
    gk_log "gongkai build --no-docs ($n notices)"
    /usr/bin/time -f 'gongkai build: %e s elapsed, %M KB peak RSS' \
        "$GK_TARGET/release/gongkai" build "$work/feed.json" --out "$site/bundle" --no-docs
    printf '    search files: %d, %s\n' "$(find "$site/bundle/search" -type f | wc -l)" \
        "$(du -sh "$site/bundle/search" | cut -f1)" >&2
fi
if [ "${REUSE:-}" != all ] || [ ! -f "$site/index.html" ]; then
    gk_step "trunk build --release --features bench" \
        trunk build --release --offline=true --skip-version-check --features bench \
        --dist "$work/app"
    find "$site" -maxdepth 1 -type f -delete
    cp -r "$work/app/." "$site/"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-nginx.XXXXXX")
port=$(gk_free_port)
gk_nginx_config "$dir" "$port" "$site"
mapfile -t args < <(gk_nginx_args "$dir" "daemon off;")
nginx -t -q "${args[@]}"
nginx "${args[@]}" &
nginx_pid=$!
stop_nginx() {
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    rm -rf "$dir"
}
trap stop_nginx EXIT
url="http://127.0.0.1:$port/"
gk_wait_http "$url" "$nginx_pid"
gk_log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/search/app.mjs "$url"
