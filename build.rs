//! Link step of the app's wasm: with the `split` feature (trunk builds the
//! site with it, see index.html), the linker keeps its relocations
//! (`--emit-relocs`) so that `wasm-split-cli` can cut the code behind
//! `#[lazy]` functions into chunks loaded on demand
//! (scripts/trunk-post-build, docs/performance.md). Nothing else changes.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
