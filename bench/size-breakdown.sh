#!/usr/bin/env bash
# Where the app's wasm bytes go, per crate, in the main module and in what
# each route loads (issue 16): builds the release wasm exactly as the site
# build does (cargo release profile with the `split` feature,
# wasm-split-cli, wasm-bindgen --keep-lld-exports, wasm-opt -Oz) but keeps
# the function names (`wasm-opt -g`), runs `twiggy top` on every module and
# sums each function's and data segment's shallow size by the crate that
# owns it (the crate of the function's path; for `<T as Trait>::f`, the
# crate of T). Generic code is counted in the crate that defines it
# (tachys, reactive_graph), even when its body is our view code inlined
# into it.
#   bash bench/size-breakdown.sh [main|list|article|search|favourites|all]
# (needs twiggy: GK_BENCH_TOOLS=1 bash scripts/setup)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
command -v twiggy >/dev/null || gk_die "twiggy missing: GK_BENCH_TOOLS=1 bash scripts/setup"
command -v wasm-split-cli >/dev/null || gk_die "wasm-split-cli missing: bash scripts/setup"
bindgen_version=$(gk_wasm_bindgen_version)
[ "$(wasm-bindgen --version | cut -d' ' -f2)" = "$bindgen_version" ] \
    || gk_die "wasm-bindgen-cli is not $bindgen_version (the version in Cargo.lock)"
what="${1:-all}"

cargo build --release --target wasm32-unknown-unknown --bin gongkai-app --features split -q
out="$GK_TARGET/size-breakdown"
rm -rf "$out" && mkdir -p "$out/split" "$out/named" "$out/stripped"
wasm-split-cli "$GK_TARGET/wasm32-unknown-unknown/release/gongkai-app.wasm" "$out/split" \
    --out-name gongkai-app --target web
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$out/bg" \
    --out-name gongkai-app "$out/split/gongkai-app.wasm"
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals)
modules=("$out/bg/gongkai-app_bg.wasm")
for f in "$out"/split/*.wasm; do
    [ "$(basename "$f")" = gongkai-app.wasm ] || modules+=("$f")
done
for m in "${modules[@]}"; do
    name=$(basename "$m")
    [ "$name" = gongkai-app_bg.wasm ] && name=main.wasm
    wasm-opt -Oz "${features[@]}" -g "$m" -o "$out/named/$name" 2>/dev/null
    wasm-opt -Oz "${features[@]}" "$m" -o "$out/stripped/$name" 2>/dev/null
    # A chunk of data alone (no code section) is beyond twiggy: counted whole.
    twiggy top -n 1000000 -f csv "$out/named/$name" > "$out/named/$name.csv" 2>/dev/null \
        || printf 'Name,ShallowSize,ShallowSizePercent\n(data-only chunk),%d,100\n' \
            "$(wc -c < "$out/stripped/$name")" > "$out/named/$name.csv"
done

# Which modules each route loads: the route's page split and its shared
# chunks, as the site's boot module fetches them (scripts/trunk-post-build).
routes=$(python3 - "$out/split/__wasm_split.js" <<'PY'
import importlib.machinery, importlib.util, json, sys
loader = importlib.machinery.SourceFileLoader("post_build", "scripts/trunk-post-build")
spec = importlib.util.spec_from_loader("post_build", loader)
post_build = importlib.util.module_from_spec(spec)
loader.exec_module(post_build)
link = open(sys.argv[1]).read()
names = {}
import re
for name in re.findall(r'"\./([\w.]+\.wasm)"', link):
    names[name] = name
print(json.dumps(post_build.route_chunks(link, names)))
PY
)
node bench/size-breakdown.mjs "$out" "$what" "$routes"
