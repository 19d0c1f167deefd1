#!/usr/bin/env bash
# `gongkai build` with the CLI built in its own profile (`cli`, opt-level 3)
# against the app's size profile (`release`, opt-level "z"): the same feed,
# runs interleaved (cli, release, cli, release, ...) so that the load of a
# shared machine hits both alike. Prints each run and the load average.
#
#   bench/build-profiles.sh [N]      # default 10,000 notices
#
# Environment:
#   RUNS=3        runs of each profile.
#   SITE=1        also render the static pages (--site, with a minimal shell).
#   TMPDIR        where the feed and the output go (/dev/shm: our code, not the disk).
set -euo pipefail

N="${1:-10000}"
RUNS="${RUNS:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

cargo build --profile cli -p gongkai-cli --bin gongkai --example gen_feed --target-dir "$target_dir"
cargo build --profile release -p gongkai-cli --bin gongkai --target-dir "$target_dir"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed.json"
"$target_dir/cli/examples/gen_feed" "$N" > "$feed"
echo "feed: $N notices, $(du -h "$feed" | cut -f1)"

site_args=()
if [ "${SITE:-0}" = 1 ]; then
  mkdir -p "$work/site"
  printf '%s\n' '<!doctype html><html lang=zh-CN><meta charset=utf-8><title>政府信息公开</title><base href=/>' \
    '</head><body><div data-gongkai data-bundle=bundle/><noscript>需要 JavaScript</noscript></div></body></html>' \
    > "$work/site/index.html"
fi

run() {
  local profile="$1" out="$work/out-$1"
  rm -rf "$out"
  if [ "${SITE:-0}" = 1 ]; then
    rm -rf "$work/site/static" "$work/site/.gongkai"
    site_args=(--site "$work/site")
  fi
  /usr/bin/time -f "$profile: %e s elapsed, %U s user, %S s system, %M KB max RSS" \
    "$target_dir/$profile/gongkai" build "$feed" --out "$out" --no-docs "${site_args[@]}" > /dev/null
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

for _ in $(seq "$RUNS"); do
  run cli
  run release
done
