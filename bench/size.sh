#!/usr/bin/env bash
# Sizes of the release build's wasm and JS: raw, gzip -9 and brotli -q 11.
# Usage: bash bench/size.sh [DIST]   (default dist/, built by scripts/build-site)
set -euo pipefail
dist="${1:-$(cd "$(dirname "$0")/.." && pwd)/dist}"
printf '%-44s %10s %10s %10s\n' file raw gzip brotli
total_raw=0 total_gz=0 total_br=0
for f in "$dist"/*.wasm "$dist"/*.js; do
  [ -e "$f" ] || continue
  raw=$(wc -c < "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '%-44s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-44s %10d %10d %10d\n' "total wasm+js" "$total_raw" "$total_gz" "$total_br"
