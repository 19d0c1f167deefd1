#!/usr/bin/env bash
# Lighthouse (lighthouse@12 from package-lock.json, headless /usr/bin/chromium),
# mobile form factor with its default simulated throttling (slow 4G, 4x CPU
# slowdown), all four categories, on the home page and the original notice,
# served by nginx with deploy/nginx.conf on a free loopback port (PAGES=all adds
# the search results and 我的收藏, issue 16; PAGES="search favs" picks pages by
# name). Checks the
# budget of issue 7: performance >= 95, accessibility 100, best practices 100,
# SEO >= 90, LCP <= 1.5 s, total blocking time <= 50 ms; exits non-zero when a
# page misses it. RUNS=N runs each page N times and reports the median run
# (by performance score).
#   bench/lighthouse.sh            sets up, builds dist/ and measures it
#   bench/lighthouse.sh SITE_DIR   measures an existing build (no setup, no build)
# Reports go to target/lighthouse/<page>.json; the scores are printed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"

if [ $# -gt 0 ]; then
    site="$(cd "$1" && pwd)"
else
    bash scripts/setup
    bash scripts/build-site
    site="$GK_DIST"
fi
[ -f "$site/index.html" ] || gk_die "no built site in $site"
[ -x node_modules/.bin/lighthouse ] || gk_die "lighthouse missing: run npm ci (it is in package-lock.json)"

gk_serve_site "$site"
base="${GK_URL%/}"

out="$GK_TARGET/lighthouse"
mkdir -p "$out"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
status=0
printf '%-8s %5s %5s %5s %5s %8s %6s %6s %6s %6s\n' page perf a11y bp seo LCP/ms TBT/ms CLS FCP/ms TTI/ms
# name=path pairs; PAGES=all adds the pages without a static page;
# PAGES="search favs" (names, space-separated) measures only those.
pages=("home=/" "article=/article/kjj1-2023-00026")
every=("${pages[@]}" "search=/search?q=%E7%A7%91%E6%8A%80" "favs=/favourites")
case "${PAGES:-}" in
    "") ;;
    all) pages=("${every[@]}") ;;
    *)
        pages=()
        for want in $PAGES; do
            found=""
            for page in "${every[@]}"; do
                [ "${page%%=*}" = "$want" ] && found="$page"
            done
            [ -n "$found" ] || gk_die "PAGES: no page named $want (home, article, search, favs)"
            pages+=("$found")
        done
        ;;
esac
for page in "${pages[@]}"; do
    name="${page%%=*}" path="${page#*=}"
    reports=()
    for run in $(seq 1 "${RUNS:-1}"); do
        gk_log "lighthouse $base$path (run $run)"
        npx --no-install lighthouse "$base$path" \
            --form-factor=mobile \
            --chrome-flags="--headless --no-sandbox --disable-gpu" \
            --output=json --output-path="$out/$name-$run.json" --quiet
        reports+=("$out/$name-$run.json")
    done
    node bench/lighthouse-report.mjs "$name" "${reports[@]}" || status=1
done
exit $status
