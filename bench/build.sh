#!/usr/bin/env bash
# Times `gongkai build` on a synthetic feed of N notices (default 10,000).
#
#   bench/build.sh [N]
#
# Environment:
#   PROFILE=cli   the cargo profile of the CLI: `cli` (opt-level 3, the
#                 default, what scripts/build-site uses) or `release` (the
#                 app's size profile, opt-level "z"), to compare the two.
#   RUNS=5        hyperfine runs.
#
# Uses hyperfine when installed (apt-get install -y hyperfine), else /usr/bin/time.
set -euo pipefail

N="${1:-10000}"
RUNS="${RUNS:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

target_dir="${CARGO_TARGET_DIR:-$root/target}"
profile="${PROFILE:-cli}"

cargo build --profile "$profile" -p gongkai-cli --bin gongkai --example gen_feed --target-dir "$target_dir"
bin="$target_dir/$profile/gongkai"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed.json"
"$target_dir/$profile/examples/gen_feed" "$N" > "$feed"
echo "feed: $N notices, $(du -h "$feed" | cut -f1)"

"$bin" check "$feed" | tail -n 1

# One build to print the summary (phase timings) and warm the page cache.
"$bin" build "$feed" --out "$work/warm" | tail -n 2

if command -v hyperfine > /dev/null; then
  # `--prepare` empties the output directory so every run writes every file.
  hyperfine --runs "$RUNS" --warmup 1 \
    --prepare "rm -rf '$work/out'" \
    "'$bin' build '$feed' --out '$work/out'" \
    --command-name "fresh build, $N notices"
  hyperfine --runs "$RUNS" --warmup 1 \
    "'$bin' build '$feed' --out '$work/warm'" \
    --command-name "rebuild into an existing bundle, $N notices"
else
  echo "hyperfine not found (apt-get install -y hyperfine); using /usr/bin/time"
  rm -rf "$work/out"
  /usr/bin/time -f "fresh build: %e s elapsed, %U s user, %S s system, %M KB max RSS" \
    "$bin" build "$feed" --out "$work/out" > /dev/null
  /usr/bin/time -f "rebuild: %e s elapsed, %U s user, %S s system, %M KB max RSS" \
    "$bin" build "$feed" --out "$work/warm" > /dev/null
fi
