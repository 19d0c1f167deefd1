#!/usr/bin/env bash
# When a phone reader can see and use each control (issue 16): builds the
# site (unless a built site is given), serves it with deploy/nginx.conf on a
# free loopback port and runs bench/first-paint.mjs: cold loads on the
# Lighthouse mobile profile (150 ms RTT, 1.6 Mbit/s, CPU 4x, 390x844),
# median of RUNS (default 5) per page, then presses made as soon as the
# controls can be pressed. Prints the load average before and after: the
# figures mean little on a busy machine.
#   bench/first-paint.sh                 sets up, builds dist/ and measures it
#   bench/first-paint.sh SITE_DIR [PATH...]   measures an existing build
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"

if [ $# -gt 0 ]; then
    site="$(cd "$1" && pwd)"
    shift
else
    bash scripts/setup
    bash scripts/build-site
    site="$GK_DIST"
fi
[ -f "$site/index.html" ] || gk_die "no built site in $site"
gk_serve_site "$site"
gk_log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/first-paint.mjs "$GK_URL" "$site" --runs "${RUNS:-5}" --presses "${PRESSES:-${RUNS:-5}}" "$@"
