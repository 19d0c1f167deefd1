#!/usr/bin/env bash
# Which elements move while a page starts, and when (issue 16): serves a
# built site with deploy/nginx.conf on a free loopback port and runs
# bench/layout-shifts.mjs (Lighthouse mobile profile, one cold load a page).
#   bench/layout-shifts.sh SITE_DIR [PATH...]   (default /search?q=科技 and /favourites)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
[ $# -gt 0 ] || gk_die "usage: bench/layout-shifts.sh SITE_DIR [PATH...]"
site="$(cd "$1" && pwd)"
shift
[ -f "$site/index.html" ] || gk_die "no built site in $site"
gk_serve_site "$site"
gk_log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/layout-shifts.mjs "$GK_URL" "$@"
