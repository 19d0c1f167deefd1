#!/usr/bin/env bash
# `gongkai build` at province scale: a fresh build of N notices, then three
# incremental rebuilds (one notice added, then one changed, then one
# deleted: each a single change from the build before it), each
# with its wall time, CPU time, peak RSS (/usr/bin/time -v) and the files
# and bytes it wrote.
#
#   bench/build-scale.sh [N]          # N = 10000 (default), 100000, 1000000
#
# Environment:
#   PROFILE=cli        cargo profile of the CLI (cli: opt-level 3)
#   DOCS=0             1: also the Word/PDF files (default: --no-docs)
#   SITE=1             0: without the static pages (--site)
#   EXTRA="..."        more `gongkai build` options (e.g. --precompress, --no-hant)
#   WORK=DIR           where the feed and the output go (default: a new
#                      folder under $TMPDIR, removed at the end unless KEEP=1)
#   BIN=PATH           a gongkai binary to measure instead of building one
#                      (e.g. main's, to compare before and after)
#   BUILD=0            use the binaries already built (no cargo build)
#   EDITS="add change delete"   the rebuilds to run, in order (EDITS= : none;
#                               add-old: an added notice dated mid-list)
#
# The feed is written as JSON Lines by `gen_feed N --jsonl` item by item
# (about 3.7 KB a notice: 3.7 GB at 10^6), so check `df -h` first: a
# 100,000-notice bundle with its site takes several GB. Figures:
# bench/README.md, "Build at scale".
set -euo pipefail

N="${1:-10000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
profile="${PROFILE:-cli}"

if [ "${BUILD:-1}" = 1 ]; then
  cargo build --profile "$profile" -p gongkai-cli --bin gongkai --example gen_feed \
    --target-dir "$target_dir" >&2
fi
bin="${BIN:-$target_dir/$profile/gongkai}"
gen="$target_dir/$profile/examples/gen_feed"

if [ -n "${WORK:-}" ]; then
  work="$WORK"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  [ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
fi

opts=(--out "$work/out")
[ "${DOCS:-0}" = 1 ] || opts+=(--no-docs)
if [ "${SITE:-1}" = 1 ]; then
  mkdir -p "$work/site"
  # The least shell the static-page step accepts (site.rs `Shell::parse`).
  cat > "$work/site/index.html" <<'HTML'
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>gongkai</title></head>
<body><div data-gongkai></div></body></html>
HTML
  opts+=(--site "$work/site")
fi
# shellcheck disable=SC2206
opts+=(${EXTRA:-})

echo "N=$N, $(uptime | sed 's/.*load average/load average/'), $(df -h "$work" | awk 'NR==2 {print $4 " free on " $6}')"
gen_start=$(date +%s.%N)
"$gen" "$N" --jsonl > "$work/feed.jsonl"
echo "feed: $(du -h "$work/feed.jsonl" | cut -f1) in $(echo "$(date +%s.%N) - $gen_start" | bc | cut -c1-5) s"

# One timed build: a line of figures. $1 names the run.
run() {
  local name="$1" log="$work/$1.log" time="$work/$1.time"
  sync
  if ! /usr/bin/time -v -o "$time" "$bin" build "$work/feed.jsonl" "${opts[@]}" > "$log" 2>&1; then
    echo "$name: build failed"; tail -n 20 "$log"; exit 1
  fi
  local wall user sys rss
  wall=$(grep 'Elapsed (wall' "$time" | awk '{print $NF}')
  user=$(grep 'User time' "$time" | awk '{print $NF}')
  sys=$(grep 'System time' "$time" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$time" | awk '{print $NF}')
  printf '%-8s wall %8s  user %7s s  sys %7s s  peak RSS %6d MB  load %s\n' \
    "$name" "$wall" "$user" "$sys" $((rss / 1024)) "$(cut -d' ' -f1 /proc/loadavg)"
  # gongkai's own lines: what each folder got, and the phase split.
  grep -E '^(bundle|site|articles): |^built ' "$log" | sed 's/^/         /'
}

run fresh
sizes="output: $(du -sh "$work/out" | cut -f1) bundle ($(find "$work/out" -type f | wc -l) files)"
if [ "${SITE:-1}" = 1 ]; then
  sizes+=", $(du -sh "$work/site" | cut -f1) site ($(find "$work/site" -type f | wc -l) files)"
fi
echo "$sizes"
# Each rebuild is one notice's change from the build before it.
edits=()
for edit in ${EDITS-add change delete}; do
  edits+=(--edit "$edit")
  "$gen" "$N" --jsonl "${edits[@]}" > "$work/feed.jsonl"
  run "$edit"
done
