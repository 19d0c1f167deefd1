#!/usr/bin/env bash
# Times `gongkai import` on generated inputs made from the test fixtures
# (crates/import/examples/gen_import.rs): a catalogue of ROWS rows
# (default 10,000) with a body file each (six in ten .docx, two .html, one
# .txt, one .pdf), and PAGES saved pages (default 1,000) in the five
# layouts. Prints rows/s, pages/s and the peak memory (GNU time's maximum
# resident set size).
#
#   bench/import.sh [ROWS] [PAGES]
set -euo pipefail

ROWS="${1:-10000}"
PAGES="${2:-1000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

cargo build --profile cli -p gongkai-cli --bin gongkai
cargo build --profile cli -p gongkai-import --example gen_import
bin="$target_dir/cli/gongkai"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$target_dir/cli/examples/gen_import" "$work" "$ROWS" "$PAGES"
site="crates/import/tests/fixtures/site.json"
echo "inputs: catalog.xlsx $(du -h "$work/catalog.xlsx" | cut -f1), bodies $(du -sh "$work/bodies" | cut -f1) in $(find "$work/bodies" -type f | wc -l) files, pages $(du -sh "$work/pages" | cut -f1) in $(find "$work/pages" -type f | wc -l) files; $(nproc) cores"

# measure NAME CMD...: the command's summary and check lines, wall time and peak RSS.
measure() {
    local name="$1"; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out.txt"
    read -r secs kb <"$work/time"
    grep -E '^(summary|check|files):' "$work/out.txt"
    awk -v n="$name" -v s="$secs" -v kb="$kb" 'BEGIN { printf "%s: %.1f s wall, peak RSS %.0f MB\n", n, s, kb / 1024 }'
}

measure "catalog, $ROWS rows with bodies" \
    "$bin" import catalog "$work/catalog.xlsx" --bodies "$work/bodies" --merge "$site" --out "$work/catalog.json"
measure "catalog, $ROWS rows with bodies, PDFs read in this process (no child per PDF)" \
    env GONGKAI_PDF_IN_PROCESS=1 "$bin" import catalog "$work/catalog.xlsx" --bodies "$work/bodies" --merge "$site" --out "$work/catalog-inproc.json"
measure "catalog, $ROWS rows without bodies" \
    "$bin" import catalog "$work/catalog.xlsx" --merge "$site" --out "$work/catalog-nobody.json"
measure "html, $PAGES pages" \
    "$bin" import html "$work/pages" --base-url http://www.wushan.gov.cn/ --merge "$site" --out "$work/pages.json" --index-prefix kjj1
measure "merge: the catalogue again into its own feed" \
    "$bin" import catalog "$work/catalog.xlsx" --bodies "$work/bodies" --merge "$work/catalog.json" --out "$work/catalog.json"
