#!/usr/bin/env bash
# Whether two gongkai binaries write the same files for the same feed: a
# fresh build of a generated N-notice feed (JSON Lines) by each, then
# `diff -r` of the bundles (and of the sites, with SITE=1). The
# `.gongkai/` folders (record of owned files: times) are left out.
#
#   bench/same-output.sh OLD_BIN NEW_BIN [N]     # N = 10000 (default)
#
# Environment: SITE=1 also --site (a minimal shell); DOCS=1 also the
# Word/PDF files; EXTRA="..." more build options. Exit 0: identical.
set -euo pipefail

old="$1" new="$2" N="${3:-10000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
gen="${GEN:-$target_dir/${PROFILE:-cli}/examples/gen_feed}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$gen" "$N" --jsonl > "$work/feed.jsonl"
export SOURCE_DATE_EPOCH=1700000000
for side in old new; do
  bin="$old"
  [ "$side" = new ] && bin="$new"
  opts=(--out "$work/$side/out")
  [ "${DOCS:-0}" = 1 ] || opts+=(--no-docs)
  if [ "${SITE:-0}" = 1 ]; then
    mkdir -p "$work/$side/site"
    cat > "$work/$side/site/index.html" <<'HTML'
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>gongkai</title></head>
<body><div data-gongkai></div></body></html>
HTML
    opts+=(--site "$work/$side/site")
  fi
  # shellcheck disable=SC2206
  opts+=(${EXTRA:-})
  "$bin" build "$work/feed.jsonl" "${opts[@]}" > "$work/$side.log" 2>&1 \
    || { echo "$side: build failed"; tail -n 20 "$work/$side.log"; exit 2; }
done
if diff -r --exclude=.gongkai "$work/old" "$work/new" > "$work/diff" 2>&1; then
  echo "same output: $(find "$work/new" -type f -not -path '*/.gongkai/*' | wc -l) files, N=$N"
else
  echo "outputs differ:"; head -n 20 "$work/diff"; exit 1
fi
