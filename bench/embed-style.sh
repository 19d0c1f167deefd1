#!/usr/bin/env bash
# Builds the site, serves it with deploy/nginx.conf on a free loopback port and
# measures the style cost of the in-page host shield (bench/embed-style.mjs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
bash scripts/setup
bash scripts/build-site
port=$(gk_free_port)
dir="$GK_TARGET/nginx-bench-embed"
gk_nginx_config "$dir" "$port" "$GK_DIST"
mapfile -t args < <(gk_nginx_args "$dir" "daemon on;")
nginx "${args[@]}"
trap 'nginx "${args[@]}" -s stop' EXIT
gk_wait_http "http://127.0.0.1:$port/" "$(cat "$dir/nginx.pid")"
node bench/embed-style.mjs "http://127.0.0.1:$port/" "${RUNS:-11}"
