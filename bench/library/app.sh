#!/usr/bin/env bash
# The 政策文件库 on a generated section of N notices (default 10,000):
#
#   bench/library/app.sh [N] [WORK_DIR]
#
# 1. `gen_feed N` writes the feed (文种, 发文机关, 主题分类, relations);
# 2. `trunk build --release` makes the production app;
# 3. `gongkai build --site --no-docs --precompress` makes the bundle and the
#    static pages (timed, with peak RSS), as scripts/build-site does;
# 4. nginx serves it with deploy/nginx.conf, logging each response's bytes
#    on the wire, and bench/library/app.mjs measures the first view's
#    bytes and the time to apply a facet (bench/README.md, "政策文件库").
#
# WORK_DIR (default target/library-bench-N) keeps the feed and the site;
# REUSE=1 skips steps 1-3 when the site exists; APP_DIR=dist takes the app
# from a site scripts/build-site made instead of step 2; STATIC=0 builds
# no static pages (a GB or more of disk at 10,000 notices).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$GK_ROOT"

n="${1:-10000}"
work="${2:-$GK_TARGET/library-bench-$n}"
site="$work/site"
mkdir -p "$work"

if [ -z "${REUSE:-}" ] || [ ! -f "$site/bundle/manifest.json" ]; then
    gk_step "cargo build --profile cli (gongkai, gen_feed)" \
        gk_build_cli --example gen_feed
    "$GK_TARGET/cli/examples/gen_feed" "$n" >"$work/feed.json"
    rm -rf "$site"
    if [ -n "${APP_DIR:-}" ]; then
        # The app of a site scripts/build-site made: its files, not its data.
        [ -f "$APP_DIR/index.html" ] || gk_die "APP_DIR=$APP_DIR has no index.html"
        mkdir -p "$site"
        find "$APP_DIR" -maxdepth 1 -type f -exec cp -t "$site" {} +
    else
        gk_step "trunk build --release" \
            trunk build --release --offline=true --skip-version-check --dist "$work/app"
        cp -r "$work/app" "$site"
    fi
    # STATIC=0: no static pages (they take a GB or more at 10,000 notices);
    # /library then gets the app shell, and the data it loads is the same.
    site_args=(--site "$site")
    [ "${STATIC:-1}" = 0 ] && site_args=()
    gk_log "gongkai build ${site_args[*]} --no-docs --precompress ($n notices)"
    /usr/bin/time -o "$work/build-time" -f '%e %M' \
        "$GK_CLI" build "$work/feed.json" --out "$site/bundle" "${site_args[@]}" \
        --no-docs --precompress | tail -n 6
    read -r secs rss <"$work/build-time"
    gk_log "gongkai build: $secs s elapsed, $rss KB peak RSS"
    if [ -d "$site/static" ]; then
        printf '    static pages: %d, of which the library: %d\n' \
            "$(find "$site/static" -name '*.html' | wc -l)" "$(find "$site/static/library" -name '*.html' | wc -l)" >&2
    fi
fi
for f in library/facets.json library/index.bin zh-Hans/list/all/1.json; do
    printf '    %-26s %8d raw %8d brotli\n' "$f" "$(stat -c %s "$site/bundle/$f")" \
        "$(brotli -q 11 -c "$site/bundle/$f" | wc -c)" >&2
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-nginx.XXXXXX")
port=$(gk_free_port)
gk_nginx_config "$dir" "$port" "$site"
sed -i "s#^\([[:space:]]*\)access_log .*#\1log_format gk_bytes '\$request_uri \$status \$bytes_sent';\n\1access_log $dir/logs/bytes.log gk_bytes;#" \
    "$dir/nginx.conf"
grep -q 'access_log .*gk_bytes' "$dir/nginx.conf" || gk_die "deploy/nginx.conf: no access_log line to rewrite"
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
GK_BYTES_LOG="$dir/logs/bytes.log" node bench/library/app.mjs "$url"
