#!/usr/bin/env bash
# Where the app's wasm bytes go, per crate: builds the release wasm exactly as
# trunk does (cargo release profile, wasm-bindgen, wasm-opt -Oz) but keeps the
# function names (`wasm-opt -g`), then runs `twiggy top` and sums each
# function's and data segment's shallow size by the crate that owns it
# (the crate of the function's path; for `<T as Trait>::f`, the crate of T).
# Generic code is counted in the crate that defines it (tachys,
# reactive_graph), even when its body is our view code inlined into it.
#   bash bench/size-breakdown.sh          (needs twiggy: cargo install twiggy)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
command -v twiggy >/dev/null || gk_die "twiggy missing: cargo install twiggy"
export PATH="$GK_ROOT/node_modules/.bin:$PATH"
bindgen_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
[ "$(wasm-bindgen --version | cut -d' ' -f2)" = "$bindgen_version" ] \
    || gk_die "wasm-bindgen-cli is not $bindgen_version (the version in Cargo.lock)"

cargo build --release --target wasm32-unknown-unknown --bin gongkai-app -q
out="$GK_TARGET/size-breakdown"
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
    "$GK_TARGET/wasm32-unknown-unknown/release/gongkai-app.wasm"
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals)
wasm-opt -Oz "${features[@]}" -g "$out/gongkai-app_bg.wasm" -o "$out/named.wasm"
wasm-opt -Oz "${features[@]}" "$out/gongkai-app_bg.wasm" -o "$out/stripped.wasm"
twiggy top -n 1000000 -f csv "$out/named.wasm" > "$out/top.csv"
printf 'stripped wasm: %d B raw, %d B brotli -q 11\n' \
    "$(wc -c < "$out/stripped.wasm")" "$(brotli -q 11 -c "$out/stripped.wasm" | wc -c)"
node bench/size-breakdown.mjs "$out/top.csv" "$out/stripped.wasm"
