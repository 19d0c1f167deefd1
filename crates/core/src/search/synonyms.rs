//! Synonym groups for 模糊 search: the default table of common government
//! synonyms and abbreviations (`crates/core/data/synonyms.tsv`, each group
//! with its source) and the site's own table (`_gov.synonyms` in the feed),
//! which extends it and overrides the default groups it shares a term with.
//!
//! Terms are compared as the index reads them ([`super::text::normalize`]:
//! folded to 简体, full-width to ASCII, spaces dropped), so `醫保` and
//! `医保` are one term.

use super::text::{is_word_char, normalize};

/// Longest synonym term, in characters.
pub const MAX_TERM_CHARS: usize = 16;

/// Groups of equivalent terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
}

/// Why a synonym table is not valid. Groups and terms are numbered from 1,
/// as a reader counts them in the feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynonymError {
    /// A group with fewer than two different terms.
    #[error("synonym group {group} needs at least two different terms")]
    TooFew {
        /// The group.
        group: usize,
    },
    /// A term with no letter, digit or character.
    #[error("synonym group {group}, term {term} is empty or only punctuation")]
    Empty {
        /// The group.
        group: usize,
        /// The term's place in its group.
        term: usize,
    },
    /// A term over [`MAX_TERM_CHARS`] characters.
    #[error("synonym group {group}: {text:?} is longer than {MAX_TERM_CHARS} characters")]
    TooLong {
        /// The group.
        group: usize,
        /// The term.
        text: String,
    },
    /// A term in two groups, or twice in one.
    #[error("synonym {text:?} is in group {first} and again in group {second}: a term belongs to one group")]
    Repeated {
        /// The term.
        text: String,
        /// The group it is first in.
        first: usize,
        /// The group it is in again.
        second: usize,
    },
}

/// A term as the index compares it.
fn term_key(t: &str) -> String {
    normalize(t).into_iter().collect()
}

impl Synonyms {
    /// A table from groups of terms (terms trimmed), checked: every group has
    /// two different terms or more, every term has a word character and at
    /// most [`MAX_TERM_CHARS`] characters, no term is in two groups.
    ///
    /// ```
    /// use gongkai_core::search::synonyms::{Synonyms, SynonymError};
    /// let t = Synonyms::new(vec![vec!["低保".into(), "最低生活保障".into()]]).unwrap();
    /// assert_eq!(t.groups().len(), 1);
    /// let err = Synonyms::new(vec![vec!["医保".into(), "医疗保障".into()], vec!["醫保".into(), "医疗保险".into()]]);
    /// assert_eq!(err, Err(SynonymError::Repeated { text: "醫保".into(), first: 1, second: 2 }));
    /// ```
    pub fn new(groups: Vec<Vec<String>>) -> Result<Self, SynonymError> {
        let mut seen: Vec<(String, usize)> = Vec::new();
        let mut out = Vec::with_capacity(groups.len());
        for (gi, g) in groups.into_iter().enumerate() {
            let group = gi + 1;
            let mut terms: Vec<String> = Vec::new();
            for (ti, t) in g.into_iter().enumerate() {
                let t = t.trim().to_owned();
                let key = term_key(&t);
                if !key.chars().any(is_word_char) {
                    return Err(SynonymError::Empty {
                        group,
                        term: ti + 1,
                    });
                }
                if key.chars().count() > MAX_TERM_CHARS {
                    return Err(SynonymError::TooLong { group, text: t });
                }
                if let Some(&(_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    return Err(SynonymError::Repeated {
                        text: t,
                        first,
                        second: group,
                    });
                }
                seen.push((key, group));
                terms.push(t);
            }
            if terms.len() < 2 {
                return Err(SynonymError::TooFew { group });
            }
            out.push(terms);
        }
        Ok(Synonyms { groups: out })
    }

    /// The groups, each a list of terms as written.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// This table extended by `site`: a site group replaces every group of
    /// this table that shares a term with it; the other groups stay.
    pub fn with_site(&self, site: &Synonyms) -> Synonyms {
        let site_keys: Vec<String> = site.groups.iter().flatten().map(|t| term_key(t)).collect();
        let mut groups: Vec<Vec<String>> = self
            .groups
            .iter()
            .filter(|g| !g.iter().any(|t| site_keys.contains(&term_key(t))))
            .cloned()
            .collect();
        groups.extend(site.groups.iter().cloned());
        Synonyms { groups }
    }
}

/// The default table: `crates/core/data/synonyms.tsv`.
#[cfg(feature = "build")]
const DEFAULT_TSV: &str = include_str!("../../data/synonyms.tsv");

/// One line of the default table: its terms and its source.
#[cfg(feature = "build")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedGroup {
    /// The terms.
    pub terms: Vec<String>,
    /// Where the equivalence comes from (a document and its 文号, or a glossary).
    pub source: String,
}

/// The lines of the default table: `term|term…<TAB>source`; `#` starts a comment line.
#[cfg(feature = "build")]
pub fn default_groups() -> Vec<SourcedGroup> {
    DEFAULT_TSV
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (terms, source) = l.split_once('\t').unwrap_or((l, ""));
            SourcedGroup {
                terms: terms.split('|').map(|t| t.trim().to_owned()).collect(),
                source: source.trim().to_owned(),
            }
        })
        .collect()
}

#[cfg(feature = "build")]
impl Synonyms {
    /// The default table of common government synonyms and abbreviations.
    /// Checked by a test, so that building a bundle can rely on it.
    pub fn default_table() -> Synonyms {
        let groups = default_groups().into_iter().map(|g| g.terms).collect();
        Synonyms::new(groups).unwrap_or_default()
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_is_valid_sourced_and_large() {
        let lines = default_groups();
        assert!(
            lines.len() >= 100,
            "{} groups, at least 100 wanted",
            lines.len()
        );
        for g in &lines {
            assert!(
                g.source.chars().count() >= 4,
                "group {:?} has no source",
                g.terms
            );
        }
        // Valid as a whole: two terms or more each, no term in two groups.
        let table = Synonyms::new(lines.iter().map(|g| g.terms.clone()).collect());
        assert_eq!(
            table.as_ref().map(|t| t.groups().len()),
            Ok(lines.len()),
            "{table:?}"
        );
        assert_eq!(Synonyms::default_table().groups().len(), lines.len());
    }

    #[test]
    fn site_groups_extend_and_override() {
        let base = Synonyms::new(vec![
            vec!["医保".into(), "医疗保障".into()],
            vec!["社保".into(), "社会保险".into()],
        ])
        .unwrap();
        let site = Synonyms::new(vec![vec!["醫保".into(), "医疗保险".into()]]).unwrap();
        let merged = base.with_site(&site);
        assert_eq!(
            merged.groups(),
            [
                vec!["社保".to_owned(), "社会保险".to_owned()],
                vec!["醫保".to_owned(), "医疗保险".to_owned()],
            ]
        );
    }

    #[test]
    fn bad_tables_say_what_is_wrong() {
        let s = |g: &[&[&str]]| {
            Synonyms::new(
                g.iter()
                    .map(|g| g.iter().map(|t| (*t).to_owned()).collect())
                    .collect(),
            )
        };
        assert_eq!(s(&[&["低保"]]), Err(SynonymError::TooFew { group: 1 }));
        assert_eq!(
            s(&[&["a", "b"], &["低保", "，"]]),
            Err(SynonymError::Empty { group: 2, term: 2 })
        );
        assert_eq!(
            s(&[&["低保", "低 保"]]),
            Err(SynonymError::Repeated {
                text: "低 保".into(),
                first: 1,
                second: 1
            })
        );
        let long = "长".repeat(17);
        assert!(matches!(
            s(&[&["a", &long]]),
            Err(SynonymError::TooLong { group: 1, .. })
        ));
        assert!(SynonymError::TooFew { group: 3 }
            .to_string()
            .contains("group 3"));
    }
}
