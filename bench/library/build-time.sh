#!/usr/bin/env bash
# What the 政策文件库 and the subscription feeds cost `gongkai build`: this
# tree's CLI against BASE's (default main) on the same feed of N notices
# (default 10,000), bench/README.md "政策文件库":
#
#   bench/library/build-time.sh [BASE] [N]
#
# 1. this tree's `gen_feed N` writes the feed (文种, 发文机关, 主题分类,
#    relations; BASE's CLI keeps those fields and ignores them);
# 2. BASE's CLI is built in a temporary git worktree with the same target
#    directory (only the workspace's own crates compile again) and copied out;
# 3. both CLIs build the feed in turn, RUNS times each (default 5), into a
#    fresh directory under TMPDIR each time, in two forms:
#      bundle: `build --no-docs --site-url URL` (bench/build.sh's case, plus
#              the address the subscription feeds need);
#      site:   `build --no-docs --site DIR --site-url URL --precompress`, as
#              scripts/build-site deploys it (static pages, .gz and .br);
#    and the medians are compared.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$GK_ROOT"

base="${1:-main}"
n="${2:-10000}"
runs="${RUNS:-5}"
site_url="https://example.gov.cn/xxgk/"
[ -f "$GK_DIST/index.html" ] || gk_die "no $GK_DIST/index.html: run scripts/build-site first (the shell the static pages fill)"

work=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-library-build.XXXXXX")
# A fixed path: cargo keys the workspace's crates by it, so a second run
# compiles nothing again.
base_tree="$GK_TARGET/bench-base-tree"
cleanup() {
    git worktree remove --force "$base_tree" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

gk_step "cargo build --profile cli (this tree: gongkai, gen_feed)" gk_build_cli --example gen_feed
cp "$GK_CLI" "$work/gongkai-head"
"$GK_TARGET/cli/examples/gen_feed" "$n" >"$work/feed.json"
gk_log "feed: $n notices, $(du -h "$work/feed.json" | cut -f1)"

git worktree remove --force "$base_tree" 2>/dev/null || rm -rf "$base_tree"
git worktree add --quiet --detach "$base_tree" "$base"
gk_step "cargo build --profile cli ($base: gongkai)" \
    bash -c 'cd "$1" && cargo build --profile cli -p gongkai-cli --bin gongkai' _ "$base_tree"
cp "$GK_CLI" "$work/gongkai-base"
git worktree remove --force "$base_tree"
# Put this tree's CLI back where the scripts expect it.
gk_build_cli >/dev/null 2>&1

# time_build BIN FORM: seconds of one fresh build.
time_build() {
    local bin="$1" form="$2" out="$work/out" start end
    rm -rf "$out"
    mkdir -p "$out"
    local args=(build "$work/feed.json" --out "$out/bundle" --no-docs --site-url "$site_url")
    if [ "$form" = site ]; then
        cp "$GK_DIST/index.html" "$out/index.html"
        args+=(--site "$out" --precompress)
    fi
    start=$(date +%s.%N)
    "$bin" "${args[@]}" >/dev/null
    end=$(date +%s.%N)
    rm -rf "$out"
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", e - s }'
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

gk_log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for form in bundle site; do
    : >"$work/base.$form"
    : >"$work/head.$form"
    # Alternating, so that a change in the machine's load hits both alike.
    for _ in $(seq 1 "$runs"); do
        time_build "$work/gongkai-base" "$form" >>"$work/base.$form"
        time_build "$work/gongkai-head" "$form" >>"$work/head.$form"
    done
    b=$(median <"$work/base.$form")
    h=$(median <"$work/head.$form")
    printf '%-7s %s: median %6.2f s  [%s]\n' "$form" "$base" "$b" "$(tr '\n' ' ' <"$work/base.$form")"
    printf '%-7s %s: median %6.2f s  [%s]\n' "$form" "this tree" "$h" "$(tr '\n' ' ' <"$work/head.$form")"
    printf '%-7s growth: %+.1f %%\n' "$form" "$(awk -v b="$b" -v h="$h" 'BEGIN { print (h - b) * 100 / b }')"
done
gk_log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
