#!/usr/bin/env bash
# Serves a built site (default dist/, from scripts/build-site) with
# deploy/nginx.conf on a free loopback port and measures 我的收藏 with large
# lists: importing 20,000 favourites and opening /favourites with 10,000
# stored (bench/favourites.mjs; figures in bench/README.md).
#   bench/favourites.sh [SITE_DIR]        RUNS=3 by default
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
site="${1:-$GK_DIST}"
[ -f "$site/index.html" ] || gk_die "no built site in $site: run scripts/build-site first"
gk_serve_site "$(cd "$site" && pwd)"
node bench/favourites.mjs "$GK_URL" "${RUNS:-3}"
