#!/usr/bin/env bash
# Lighthouse (lighthouse@12 from package-lock.json, headless /usr/bin/chromium)
# accessibility score of the home page and the original notice, served by
# nginx with deploy/nginx.conf on a free loopback port.
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

port=$(gk_free_port)
dir="$GK_TARGET/nginx-lighthouse"
gk_nginx_config "$dir" "$port" "$site"
mapfile -t args < <(gk_nginx_args "$dir" "daemon on;")
nginx "${args[@]}"
trap 'nginx "${args[@]}" -s stop' EXIT
base="http://127.0.0.1:$port"
gk_wait_http "$base/" "$(cat "$dir/nginx.pid")"

out="$GK_TARGET/lighthouse"
mkdir -p "$out"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
status=0
for page in "home=/" "article=/article/kjj1-2023-00026"; do
    name="${page%%=*}" path="${page#*=}"
    gk_log "lighthouse $base$path"
    npx --no-install lighthouse "$base$path" \
        --only-categories=accessibility \
        --chrome-flags="--headless --no-sandbox --disable-gpu" \
        --output=json --output-path="$out/$name.json" --quiet
    node -e '
        const r = require(process.argv[1]);
        const score = Math.round(r.categories.accessibility.score * 100);
        const failed = Object.values(r.audits)
            .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
            .map((a) => `    failed: ${a.id} (${a.title})`);
        console.log(`${process.argv[2].padEnd(8)} ${String(score).padStart(3)}  ${r.finalDisplayedUrl}  (lighthouse ${r.lighthouseVersion})`);
        if (failed.length) console.log(failed.join("\n"));
        process.exit(score === 100 ? 0 : 3);
    ' "$out/$name.json" "$name" || status=1
done
exit $status
