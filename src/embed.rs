//! Embedding: the mount element's settings (`config`) and, when the app runs
//! in an iframe, reporting its height to the parent page (`frame`).
//!
//! See `docs/embedding.md` for the attributes and the message format.

mod config;
mod frame;

pub use config::{
    contrast_ratio, normalize_base, parse_origin, ConfigError, EmbedMode, FooterMode,
    MountSettings, PortalOverrides, ThemeToken, FRAME_MESSAGE_TYPE, FRAME_MESSAGE_VERSION,
    FRAME_NAVIGATION_TYPE,
};
pub use frame::{owns_document, report_height, report_navigation, retarget_external_link};

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The selectors of every style rule in `css` (inside `@media` and
    /// `@supports` too), with comments removed; at-rules with descriptor
    /// blocks (`@font-face`, `@keyframes`, `@page`) are skipped.
    fn selectors(css: &str) -> Vec<String> {
        let mut text = String::new();
        let mut rest = css;
        while let Some(start) = rest.find("/*") {
            text.push_str(&rest[..start]);
            rest = rest[start..]
                .split_once("*/")
                .map_or("", |(_, after)| after);
        }
        text.push_str(rest);
        let mut out = Vec::new();
        collect(&text, &mut out);
        out
    }

    fn collect(block: &str, out: &mut Vec<String>) {
        let mut rest = block;
        while let Some(open) = rest.find('{') {
            let prelude = rest[..open].rsplit([';', '}']).next().unwrap_or("").trim();
            // The matching close brace.
            let mut depth = 0;
            let mut close = rest.len();
            for (i, c) in rest[open..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            close = open + i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let body = &rest[open + 1..close];
            if prelude.starts_with("@media") || prelude.starts_with("@supports") {
                collect(body, out);
            } else if !prelude.starts_with('@') {
                // Commas at the top level only: `:where(p, ul)` is one selector.
                let mut depth = 0;
                let mut start = 0;
                for (i, c) in prelude.char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        ',' if depth == 0 => {
                            out.push(prelude[start..i].trim().to_owned());
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                out.push(prelude[start..].trim().to_owned());
            }
            rest = &rest[(close + 1).min(rest.len())..];
        }
    }

    /// Issue 7: embedded in a portal page, the app's CSS must not reach the
    /// host's elements, so every selector starts at an app class: no
    /// element, `*`, `html`, `body` or `:root` selectors.
    #[test]
    fn every_rule_in_style_is_scoped_to_an_app_class() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("style");
        let mut files = vec![];
        let mut dirs = vec![dir];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "css") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() >= 5, "style/*.css not found: {files:?}");
        let mut unscoped = vec![];
        let mut count = 0;
        for file in &files {
            for selector in selectors(&std::fs::read_to_string(file).unwrap()) {
                count += 1;
                if !selector.starts_with(".gk-") {
                    unscoped.push(format!("{}: {selector}", file.display()));
                }
            }
        }
        assert!(
            count > 100,
            "only {count} selectors found: the parser is broken"
        );
        assert!(
            unscoped.is_empty(),
            "selectors outside the app:\n{}",
            unscoped.join("\n")
        );
    }

    #[test]
    fn the_selector_scan_sees_what_it_must_refuse() {
        let css = "/* a { } */ .gk-a, body .gk-b { x: 1 } @media print { :root { y: 2 } } \
                   @font-face { src: url(x) } @keyframes k { from { a: b } } p{} \
                   .gk-c :where(p, ul) { z: 3 }";
        assert_eq!(
            selectors(css),
            [".gk-a", "body .gk-b", ":root", "p", ".gk-c :where(p, ul)"]
        );
    }
}
