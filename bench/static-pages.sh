#!/usr/bin/env bash
# LCP and CLS with and without the static pages (bench/static-pages.mjs):
# builds the site (skip with NO_BUILD=1), makes a copy without dist/static/
# (so nginx answers every route with index.html, as before issue 9), serves
# both with deploy/nginx.conf on free loopback ports and measures the home
# page, list page 2 and the original notice. RUNS (default 10) loads each.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
[ "${NO_BUILD:-}" = 1 ] || bash scripts/build-site
[ -d "$GK_DIST/static" ] || gk_die "no $GK_DIST/static: build the site with scripts/build-site"

work=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-static-bench.XXXXXX")
without="$work/site-without"
cp -al "$GK_DIST" "$without" 2>/dev/null || cp -a "$GK_DIST" "$without"
rm -rf "$without/static"

pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap stop EXIT
urls=()
for site in "$GK_DIST" "$without"; do
    dir="$work/nginx-$(( ${#urls[@]} ))"
    port=$(gk_free_port)
    gk_nginx_config "$dir" "$port" "$site"
    mapfile -t args < <(gk_nginx_args "$dir" "daemon off;")
    nginx -t -q "${args[@]}"
    nginx "${args[@]}" &
    pids+=($!)
    gk_wait_http "http://127.0.0.1:$port/" "$!"
    urls+=("http://127.0.0.1:$port/")
done
article=$(node -e 'const f=require("./content/feed.json");const i=f.items.find(x=>x._gov.index_no==="kjj1/2023-00026");console.log(i.id)')
node bench/static-pages.mjs "${urls[0]}" "${urls[1]}" / '/?page=2' "/article/$article" --runs "${RUNS:-10}"
