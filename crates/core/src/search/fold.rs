//! Character folding shared by the index and the query: full-width ASCII to
//! half-width, Latin to lower case, traditional to simplified characters.
//!
//! Every character folds to exactly one character, so a position in folded
//! text is a position in the original text; that is what lets
//! [`crate::search::highlight_ranges`] map matches back to the source.

use super::fold_table::{FOLD_ASTRAL, FOLD_BMP};

/// Folds one character.
///
/// ```
/// use gongkai_core::search::fold::fold_char;
/// assert_eq!(fold_char('Ａ'), 'a');
/// assert_eq!(fold_char('２'), '2');
/// assert_eq!(fold_char('學'), '学');
/// assert_eq!(fold_char('学'), '学');
/// ```
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let u = c as u32;
    // Pairs with a character outside the BMP (on either side) are in FOLD_ASTRAL.
    let bmp = u16::try_from(u).ok().and_then(|k| {
        FOLD_BMP
            .binary_search_by_key(&k, |&(k, _)| k)
            .ok()
            .map(|i| u32::from(FOLD_BMP[i].1))
    });
    let folded = bmp.or_else(|| {
        FOLD_ASTRAL
            .binary_search_by_key(&u, |&(k, _)| k)
            .ok()
            .map(|i| FOLD_ASTRAL[i].1)
    });
    folded.and_then(char::from_u32).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_idempotent() {
        assert!(FOLD_BMP.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(FOLD_ASTRAL.windows(2).all(|w| w[0].0 < w[1].0));
        for &(k, v) in FOLD_BMP {
            assert_ne!(k, v);
            let v = char::from_u32(v.into()).unwrap();
            assert_eq!(fold_char(v), v, "fold of {v} is not idempotent");
        }
    }

    #[test]
    fn folds() {
        let s: String = "ＡＢＣ１２３科學與技術 Wi-Fi　發展"
            .chars()
            .map(fold_char)
            .collect();
        assert_eq!(s, "abc123科学与技术 wi-fi 发展");
    }

    /// Regenerate with `python3 crates/core/build-tools/gen_fold.py`.
    #[test]
    fn fold_table_matches_dictionary() {
        let path = std::env::var("OPENCC_TS").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/opencc/TSCharacters.txt").to_owned()
        });
        let Ok(dict) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: {path} not found (set OPENCC_TS)");
            return;
        };
        let mut n = 0;
        for line in dict.lines().filter(|l| !l.starts_with('#')) {
            let Some((key, values)) = line.split_once('\t') else {
                continue;
            };
            let first = values.split(' ').next().unwrap_or("");
            let (mut k, mut f) = (key.chars(), first.chars());
            if let (Some(k), None, Some(f), None) = (k.next(), k.next(), f.next(), f.next()) {
                if k != f {
                    n += 1;
                    assert_eq!(fold_char(k), fold_char(f), "{k} should fold like {f}");
                    assert_ne!(fold_char(k), k, "{k} missing from the table");
                }
            }
        }
        assert_eq!(n, FOLD_BMP.len() + FOLD_ASTRAL.len());
    }
}
