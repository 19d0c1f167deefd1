#!/usr/bin/env bash
# Builds the site, serves it with deploy/nginx.conf on a free loopback port
# and measures the time to the first list render (median of 20 cold loads, and the bytes transferred by then).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
bash scripts/setup
bash scripts/build-site
gk_serve_site "$GK_DIST"
node bench/first-render.mjs "$GK_URL" "${RUNS:-20}"
