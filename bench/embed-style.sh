#!/usr/bin/env bash
# Builds the site, serves it with deploy/nginx.conf on a free loopback port and
# measures the style cost of the in-page host shield (bench/embed-style.mjs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
bash scripts/setup
bash scripts/build-site
gk_serve_site "$GK_DIST"
node bench/embed-style.mjs "$GK_URL" "${RUNS:-11}"
