#!/usr/bin/env bash
# What each large feature costs in the app's wasm: builds the release wasm
# (cargo release profile, wasm-bindgen, wasm-opt -Oz, as trunk does) of the
# committed HEAD as it is and with one feature's mount points deleted from
# src/app.rs, so that the linker drops everything only that feature uses;
# prints raw and brotli -q 11 bytes and the difference from the whole app.
# Runs in a temporary git worktree with its own target directory: the
# working tree and target/ are not touched.
#   bash bench/size-features.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$GK_ROOT"
export PATH="$GK_ROOT/node_modules/.bin:$PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-size-features.XXXXXX")
git worktree add -q --detach "$work/tree" HEAD
trap 'git worktree remove --force "$work/tree"; rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$GK_TARGET/size-features"
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals)

# name|sed script deleting the feature's lines from src/app.rs
variants=(
    'whole app|'
    'without search (box, page, engine)|/<Route path=path!("\/search") view=SearchPage\/>/d; /view! { <SearchForm\/> })}/d'
    'without 我的收藏 page (import/export)|/<Route path=path!("\/favourites") view=FavouritesPage\/>/d'
    'without 无障碍阅读 toolbar|/^[[:space:]]*<A11yBar\/>$/d'
    'reading core (none of the three)|/<Route path=path!("\/search") view=SearchPage\/>/d; /view! { <SearchForm\/> })}/d; /<Route path=path!("\/favourites") view=FavouritesPage\/>/d; /^[[:space:]]*<A11yBar\/>$/d'
)
whole=0
printf '%-40s %10s %10s %10s\n' variant raw brotli 'Δ brotli'
for v in "${variants[@]}"; do
    name="${v%%|*}" script="${v#*|}"
    git -C "$work/tree" checkout -q -- src/app.rs
    if [ -n "$script" ]; then
        before=$(md5sum < "$work/tree/src/app.rs")
        sed -i "$script" "$work/tree/src/app.rs"
        [ "$before" != "$(md5sum < "$work/tree/src/app.rs")" ] \
            || gk_die "'$name': the sed script no longer matches src/app.rs"
    fi
    (cd "$work/tree" && cargo build --release --target wasm32-unknown-unknown --bin gongkai-app -q)
    rm -rf "$work/out"
    wasm-bindgen --target web --no-typescript --out-dir "$work/out" \
        "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/gongkai-app.wasm"
    wasm-opt -Oz "${features[@]}" "$work/out/gongkai-app_bg.wasm" -o "$work/out/opt.wasm"
    raw=$(wc -c < "$work/out/opt.wasm")
    br=$(brotli -q 11 -c "$work/out/opt.wasm" | wc -c)
    [ "$whole" = 0 ] && whole=$br
    printf '%-40s %10d %10d %10d\n' "$name" "$raw" "$br" $((br - whole))
done
