#!/usr/bin/env bash
# When /search?q=… and /favourites show the app's page on the throttled
# mobile profile (issue 16, the boot module's early requests): serves a
# built site with deploy/nginx.conf on a free loopback port and runs
# bench/early-requests.mjs (RUNS cold loads a page, default 5). Prints the
# load average.
#   bench/early-requests.sh SITE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
[ $# -eq 1 ] || gk_die "usage: bench/early-requests.sh SITE_DIR"
site="$(cd "$1" && pwd)"
[ -f "$site/index.html" ] || gk_die "no built site in $site"
gk_serve_site "$site"
gk_log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/early-requests.mjs "$GK_URL" "${RUNS:-5}"
gk_log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
