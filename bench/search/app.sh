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
# 4b. HTTP2=1 serves it over HTTPS with HTTP/2 instead of plain HTTP/1.1.
# 5. Unless PEERS=0, FlexSearch, MiniSearch and Pagefind index the same
#    corpus (`search_bench N --peers`) and run its queries in the same
#    Chromium process, after the app (bench/search/peers.mjs).
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
        cargo build --release -p gongkai-cli --example search_bench
    gk_build_cli
    gk_log "search_bench $n --feed"
    "$GK_TARGET/release/examples/search_bench" "$n" --feed >"$work/feed.json"
    rm -rf "$site"
    gk_log "gongkai build --no-docs ($n notices)"
    /usr/bin/time -o "$work/build-time" -f '%e %M' \
        "$GK_CLI" build "$work/feed.json" --out "$site/bundle" --no-docs
    read -r secs rss <"$work/build-time"
    gk_log "gongkai build: $secs s elapsed, $rss KB peak RSS"
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

if [ "${PEERS:-1}" != 0 ] && { [ -z "${REUSE:-}" ] || [ ! -f "$work/peers/truth.json" ]; }; then
    gk_step "cargo build --release (search_bench)" \
        cargo build --release -p gongkai-cli --example search_bench
    "$GK_TARGET/release/examples/search_bench" "$n" --peers "$work/peers"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-nginx.XXXXXX")
port=$(gk_free_port)
gk_nginx_config "$dir" "$port" "$site"
# The bench's own log: each response's bytes on the wire, headers included
# (app.mjs reads it; Resource Timing counts every response's headers as 300 B).
sed -i "s#^\([[:space:]]*\)access_log .*#\1log_format gk_bytes '\$request_uri \$status \$bytes_sent';\n\1access_log $dir/logs/bytes.log gk_bytes;#" \
    "$dir/nginx.conf"
grep -q 'access_log .*gk_bytes' "$dir/nginx.conf" || gk_die "deploy/nginx.conf: no access_log line to rewrite"
scheme=http
if [ "${HTTP2:-0}" = 1 ]; then
    # HTTPS with HTTP/2, as a CDN or a TLS front would serve the site: one
    # connection, every request of a round multiplexed (HTTP/1.1 allows 6
    # at a time). A throwaway self-signed certificate; app.mjs tells
    # Chromium to accept it.
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
    sed -i "s#listen\([[:space:]]*\)127.0.0.1:$port;#listen 127.0.0.1:$port ssl http2; ssl_certificate $dir/cert.pem; ssl_certificate_key $dir/key.pem;#" \
        "$dir/nginx.conf"
    scheme=https
fi
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
url="$scheme://127.0.0.1:$port/"
for _ in $(seq 1 150); do
    curl -ksf -o /dev/null --max-time 2 "$url" && break
    kill -0 "$nginx_pid" 2>/dev/null || gk_die "nginx exited before answering $url"
    sleep 0.1
done
gk_log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
export GK_BYTES_LOG="$dir/logs/bytes.log" GK_BUNDLE_DIR="$site/bundle"
if [ -f "$work/build-time" ]; then
    GK_BUILD_SECONDS=$(cut -d' ' -f1 "$work/build-time")
    export GK_BUILD_SECONDS
fi
if [ "${PEERS:-1}" != 0 ]; then
    export GK_PEERS_DIR="$work/peers"
fi
node bench/search/app.mjs "$url"
