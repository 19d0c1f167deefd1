//! 文号 and 索引号 as search keys. The index lists each document under the
//! keys of its identifiers; a query that is one, in any common form, looks
//! them up and puts those documents first ([`super::Tier::Id`]).
//!
//! 文号 are read by the shared parser ([`crate::docno`]): the index keys
//! a document's 文号 twice, in full (`n武科发〔2023〕12`) and without the
//! 机关代字 (`n〔2023〕12`), so that `〔2023〕12号` finds it too. 索引号
//! keys keep only the ASCII letters and digits, so `kjj1/2023-00026`,
//! `ｋｊｊ１／２０２３－０００２６` and `kjj12023-00026` are one key.

use super::fold::fold_char;
use super::format::TermKey;
#[cfg(feature = "build")]
use crate::docno::DocNo;
use crate::docno::DocNoQuery;

/// The 机关代字 as a key: folded (繁→简, full-width → ASCII), spaces out.
fn agency_key(agency: &str) -> String {
    agency
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn full_key(agency: &str, year: u16, number: u32) -> TermKey {
    TermKey::DocNo(format!("{}〔{year}〕{number}", agency_key(agency)))
}

fn number_key(year: u16, number: u32) -> TermKey {
    TermKey::DocNo(format!("〔{year}〕{number}"))
}

/// The keys a document with 文号 `doc_no` is listed under: in full and
/// without the 代字. None if the parser cannot read it (`gongkai check`
/// warns about such a 文号; its text is still searched as words).
#[cfg(feature = "build")]
pub(crate) fn doc_no_keys(doc_no: &str) -> Option<[TermKey; 2]> {
    let d = DocNo::parse(doc_no).ok()?;
    Some([
        full_key(&d.agency, d.year, d.number),
        number_key(d.year, d.number),
    ])
}

/// The key an 索引号 is listed under: its ASCII letters and digits, folded
/// and lower-cased. None if it has none.
pub(crate) fn index_no_key(index_no: &str) -> Option<TermKey> {
    let k: String = index_no
        .chars()
        .map(fold_char)
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (!k.is_empty()).then_some(TermKey::IndexNo(k))
}

/// What a query that is an identifier looks up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IdKeys {
    /// The whole 文号, when the query names a 代字.
    pub doc_no: Option<TermKey>,
    /// Year and number of a 文号: every document so numbered if the query
    /// has no 代字; with one, only when no document has the whole 文号 (a
    /// typo in the 代字).
    pub number: Option<TermKey>,
    /// An 索引号.
    pub index_no: Option<TermKey>,
}

impl IdKeys {
    /// The keys of a query, if it reads as a 文号 or looks like an 索引号:
    /// only ASCII letters, digits, `/ - _ .` and spaces after folding, at
    /// least 8 letters and digits of which at least 4 digits.
    pub fn of(text: &str) -> IdKeys {
        let mut keys = IdKeys::default();
        if let Some(q) = DocNoQuery::parse(text) {
            keys.doc_no = q.agency.as_deref().map(|a| full_key(a, q.year, q.number));
            keys.number = Some(number_key(q.year, q.number));
        }
        let folded: Vec<char> = text.chars().map(fold_char).collect();
        let allowed = folded
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | ' '));
        let alnum = folded.iter().filter(|c| c.is_ascii_alphanumeric()).count();
        let digits = folded.iter().filter(|c| c.is_ascii_digit()).count();
        if allowed && alnum >= 8 && digits >= 4 {
            keys.index_no = index_no_key(text);
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The document side of the keys is built only with the `build` feature.
    #[cfg(feature = "build")]
    #[test]
    fn doc_no_forms_share_keys() {
        let [full, number] = doc_no_keys("武科发〔2023〕12号").unwrap();
        for q in [
            "武科发〔2023〕12号",
            "武科发[2023]12号",
            "武科发 2023 12",
            "武科發〔２０２３〕１２號",
        ] {
            let k = IdKeys::of(q);
            assert_eq!(k.doc_no.as_ref(), Some(&full), "{q}");
            assert_eq!(k.number.as_ref(), Some(&number), "{q}");
        }
        let k = IdKeys::of("〔2023〕12号");
        assert_eq!((k.doc_no, k.number), (None, Some(number)));
        assert_eq!(IdKeys::of("科技活动周"), IdKeys::default());
        assert_eq!(doc_no_keys("无"), None);
    }

    #[test]
    fn index_no_forms_share_a_key() {
        let key = index_no_key("kjj1/2023-00026").unwrap();
        assert_eq!(key.key(), "ikjj1202300026");
        for q in [
            "kjj1/2023-00026",
            "ＫＪＪ１／２０２３－０００２６",
            "kjj12023-00026",
            " kjj1 2023 00026 ",
        ] {
            assert_eq!(IdKeys::of(q).index_no.as_ref(), Some(&key), "{q}");
        }
        for q in ["2023", "kejiju", "科技局2023-00026", "kj/2023"] {
            assert_eq!(IdKeys::of(q).index_no, None, "{q}");
        }
    }
}
