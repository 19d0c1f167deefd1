#!/usr/bin/env bash
# The long tasks of a page's start and what fills them (issue 16): serves a
# built site with deploy/nginx.conf on a free loopback port and runs
# bench/start-trace.mjs (Lighthouse mobile profile, one traced cold load a
# page). Prints the load average: on a busy machine every task is longer.
#   bench/start-trace.sh SITE_DIR [PATH...]   (default / and an article)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
[ $# -gt 0 ] || gk_die "usage: bench/start-trace.sh SITE_DIR [PATH...]"
site="$(cd "$1" && pwd)"
shift
[ -f "$site/index.html" ] || gk_die "no built site in $site"
gk_serve_site "$site"
gk_log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/start-trace.mjs "$GK_URL" "$@"
gk_log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
